/**
 * The search index as bytes, to be sealed and stored: a JSON header (ids,
 * times, title tokens, vocabulary), then the frozen message postings as they
 * are in memory, so loading needs no per-posting work.
 */
import * as v from 'valibot';
import type { IndexSnapshot } from './search-index';

const FORMAT = 1;

const Header = v.object({
  format: v.literal(FORMAT),
  ids: v.array(v.string()),
  updatedAt: v.array(v.number()),
  titles: v.array(v.string()),
  vocab: v.array(v.string()),
  dataBytes: v.number(),
});

export function encodeSnapshot(snapshot: IndexSnapshot): Uint8Array<ArrayBuffer> {
  const { ids, updatedAt, titles, bodies } = snapshot;
  const header = new TextEncoder().encode(JSON.stringify({ format: FORMAT, ids, updatedAt, titles, vocab: bodies.vocab, dataBytes: bodies.data.length }));
  // The offsets start on a 4-byte boundary, so they can be read in place.
  const offsetsAt = 4 + Math.ceil(header.length / 4) * 4;
  const bytes = new Uint8Array(offsetsAt + bodies.offsets.byteLength + bodies.data.length);
  new DataView(bytes.buffer).setUint32(0, header.length, true);
  bytes.set(header, 4);
  bytes.set(new Uint8Array(bodies.offsets.buffer, bodies.offsets.byteOffset, bodies.offsets.byteLength), offsetsAt);
  bytes.set(bodies.data, offsetsAt + bodies.offsets.byteLength);
  return bytes;
}

/** The snapshot, or undefined when the bytes are not one this version wrote. */
export function decodeSnapshot(bytes: Uint8Array): IndexSnapshot | undefined {
  try {
    const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
    const parsed = v.safeParse(Header, JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))));
    if (!parsed.success) return undefined;
    const { ids, updatedAt, titles, vocab, dataBytes } = parsed.output;
    const offsetsAt = 4 + Math.ceil(headerLength / 4) * 4;
    const offsetsBytes = (vocab.length + 1) * 4;
    if (updatedAt.length !== ids.length || titles.length !== ids.length) return undefined;
    if (offsetsAt + offsetsBytes + dataBytes !== bytes.length) return undefined;
    const offsets = new Uint32Array(bytes.slice(offsetsAt, offsetsAt + offsetsBytes).buffer);
    if (offsets[vocab.length] !== dataBytes) return undefined;
    const data = bytes.slice(offsetsAt + offsetsBytes);
    return { ids, updatedAt, titles, bodies: { vocab, offsets, data } };
  } catch {
    return undefined;
  }
}
