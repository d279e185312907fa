/**
 * Postings frozen for storage and fast loading: the sorted vocabulary, and
 * each token's conversation slots as ascending gaps in LEB128 varints (one
 * byte for most gaps). They are decoded only when a query touches the token,
 * so loading a large index costs a decryption and a split, not a rebuild.
 */

export interface FrozenPostings {
  /** Sorted. */
  vocab: string[];
  /** Token i's bytes are data[offsets[i]] up to data[offsets[i + 1]]. */
  offsets: Uint32Array;
  data: Uint8Array;
}

export const EMPTY_POSTINGS: FrozenPostings = { vocab: [], offsets: new Uint32Array(1), data: new Uint8Array(0) };

export interface PostingsWriter {
  /** Call in token order, with ascending, distinct slots; a token without slots is left out. */
  add(token: string, slots: ArrayLike<number>): void;
  finish(): FrozenPostings;
}

export function createPostingsWriter(): PostingsWriter {
  const vocab: string[] = [];
  const offsets: number[] = [0];
  let data = new Uint8Array(1 << 16);
  let at = 0;
  return {
    add(token, slots) {
      if (slots.length === 0) return;
      if (at + slots.length * 5 > data.length) {
        const grown = new Uint8Array(Math.max(data.length * 2, at + slots.length * 5));
        grown.set(data);
        data = grown;
      }
      let previous = -1;
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        for (let gap = slot - previous; ; gap >>>= 7) {
          if (gap < 0x80) {
            data[at++] = gap;
            break;
          }
          data[at++] = (gap & 0x7f) | 0x80;
        }
        previous = slot;
      }
      vocab.push(token);
      offsets.push(at);
    },
    finish: () => ({ vocab, offsets: Uint32Array.from(offsets), data: data.slice(0, at) }),
  };
}

/**
 * Appends the token's slots, mapped through `renumber` (negative: left out),
 * to `out` from index `n`; returns the new length. The loop is inlined: a
 * snapshot runs it for every posting of the index.
 */
export function decodeRenumbered(frozen: FrozenPostings, tokenIndex: number, renumber: Int32Array, out: Int32Array, n: number): number {
  const { data, offsets } = frozen;
  let slot = -1;
  let at = offsets[tokenIndex]!;
  const end = offsets[tokenIndex + 1]!;
  while (at < end) {
    let gap = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = data[at++]!;
      gap |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    slot += gap;
    const to = renumber[slot]!;
    if (to >= 0) out[n++] = to;
  }
  return n;
}

/** Calls `visit` with each slot of the token at `tokenIndex`, ascending. */
export function forEachSlot(frozen: FrozenPostings, tokenIndex: number, visit: (slot: number) => void): void {
  const { data, offsets } = frozen;
  let slot = -1;
  let at = offsets[tokenIndex]!;
  const end = offsets[tokenIndex + 1]!;
  while (at < end) {
    let gap = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = data[at++]!;
      gap |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    slot += gap;
    visit(slot);
  }
}

/** Indexes of the tokens starting with `prefix`: [from, to). */
export function prefixRange(vocab: readonly string[], prefix: string): [number, number] {
  const from = lowerBound(vocab, prefix);
  let to = from;
  while (to < vocab.length && vocab[to]!.startsWith(prefix)) to++;
  return [from, to];
}

export function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
