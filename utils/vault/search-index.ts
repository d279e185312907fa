/**
 * Full-text search over the unlocked history: inverted indexes from tokens to
 * conversations. Every query word matches as a prefix, so results appear
 * while typing. In memory it is plain text, so it lives only in the unlocked
 * background and is dropped on lock; on disk it exists only sealed (see
 * search-persistence.ts).
 *
 * Sized for 10,000 conversations / 100,000 messages: message words loaded
 * from a snapshot stay frozen (search-postings.ts) and are decoded per query
 * word; words added since go to small mutable postings. A query word becomes
 * a bitset over conversations, words are ANDed bitwise, and recent words'
 * bitsets are cached while typing.
 */
import { createPostingsWriter, decodeRenumbered, EMPTY_POSTINGS, forEachSlot, prefixRange, type FrozenPostings } from './search-postings';
import { tokenize } from './search-tokens';
import { SortedVocabulary } from './search-vocabulary';

export interface SearchOptions {
  /** Most results returned, newest conversation first (default: all). */
  limit?: number;
}

/** A compact copy of the index's live conversations, what search-snapshot.ts stores. */
export interface IndexSnapshot {
  ids: string[];
  updatedAt: number[];
  /** Each conversation's title tokens, space-separated. */
  titles: string[];
  bodies: FrozenPostings;
}

type Postings = Map<string, number[]>;

export class SearchIndex {
  private readonly ids: string[] = [];
  private readonly slotOf = new Map<string, number>();
  /** By slot; NaN once removed (its slot is never reused, stale postings are skipped). */
  private readonly updatedAt: number[] = [];
  /** Titles and bodies are posted apart, so a rename can withdraw old title words exactly. */
  private readonly titles: Postings = new Map();
  private readonly bodies: Postings = new Map();
  private frozen: FrozenPostings = EMPTY_POSTINGS;
  private readonly titleTokens = new Map<number, string[]>();
  private readonly vocabulary = new SortedVocabulary();
  /** Bitsets of recent query words, valid while `version` is unchanged. */
  private readonly termCache = new Map<string, Uint32Array>();
  private cachedVersion = 0;
  private version = 0;
  private live = 0;

  /** The index a snapshot was taken of; its titles are tokens already, so nothing is tokenized again. */
  static fromSnapshot(snapshot: IndexSnapshot): SearchIndex {
    const index = new SearchIndex();
    index.frozen = snapshot.bodies;
    snapshot.ids.forEach((id, slot) => {
      index.ids.push(id);
      index.slotOf.set(id, slot);
      index.updatedAt.push(snapshot.updatedAt[slot]!);
      const tokens = snapshot.titles[slot] ? snapshot.titles[slot].split(' ') : [];
      index.titleTokens.set(slot, tokens);
      for (const token of tokens) index.post(index.titles, token, slot);
    });
    index.live = snapshot.ids.length;
    return index;
  }

  /** Number of conversations indexed. */
  get size(): number {
    return this.live;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** Ids of the conversations indexed. */
  conversationIds(): string[] {
    return [...this.slotOf.keys()];
  }

  /** Adds or re-titles a conversation. */
  addConversation(conversation: { id: string; title: string; updatedAt: number }): void {
    const slot = this.slot(conversation.id);
    const fresh = [...new Set(tokenize(conversation.title))];
    for (const token of this.titleTokens.get(slot) ?? []) {
      if (fresh.includes(token)) continue;
      const posting = this.titles.get(token);
      const at = posting?.indexOf(slot) ?? -1;
      if (at >= 0) posting!.splice(at, 1);
      this.version++;
    }
    const known = this.titleTokens.get(slot) ?? [];
    this.titleTokens.set(slot, fresh);
    for (const token of fresh) if (!known.includes(token)) this.post(this.titles, token, slot);
    this.touch(slot, conversation.updatedAt);
  }

  addMessage(message: { conversationId: string; content: string; createdAt?: number }): void {
    const slot = this.slot(message.conversationId);
    for (const token of tokenize(message.content)) this.post(this.bodies, token, slot);
    this.touch(slot, message.createdAt ?? 0);
  }

  /** Indexes the conversation afresh from its current messages: words of edited or replaced messages go. */
  replaceConversation(conversation: { id: string; title: string; updatedAt: number }, contents: readonly string[]): void {
    this.removeConversation(conversation.id);
    this.addConversation(conversation);
    for (const content of contents) this.addMessage({ conversationId: conversation.id, content });
  }

  removeConversation(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.slotOf.delete(id);
    this.titleTokens.delete(slot);
    this.updatedAt[slot] = Number.NaN;
    this.live--;
    this.version++;
  }

  /** Conversation ids whose title or messages contain every query word (as a prefix), newest first. */
  search(query: string, { limit }: SearchOptions = {}): string[] {
    const terms = [...new Set(tokenize(query))];
    if (terms.length === 0) return [];
    const hits = this.termBits(terms[0]!).slice();
    for (const term of terms.slice(1)) {
      const bits = this.termBits(term);
      for (let i = 0; i < hits.length; i++) hits[i]! &= bits[i]!;
    }
    const found: number[] = [];
    for (let word = 0; word < hits.length; word++) {
      for (let bits = hits[word]!; bits !== 0; bits &= bits - 1) {
        const slot = word * 32 + (31 - Math.clz32(bits & -bits));
        if (!Number.isNaN(this.updatedAt[slot])) found.push(slot);
      }
    }
    found.sort((a, b) => this.updatedAt[b]! - this.updatedAt[a]! || (this.ids[a]! < this.ids[b]! ? -1 : 1));
    return (limit === undefined ? found : found.slice(0, limit)).map((slot) => this.ids[slot]!);
  }

  /** The live conversations only, renumbered: removed ones and their words are left out. */
  snapshot(): IndexSnapshot {
    const renumber = new Int32Array(this.ids.length).fill(-1);
    const snapshot: IndexSnapshot = { ids: [], updatedAt: [], titles: [], bodies: EMPTY_POSTINGS };
    this.ids.forEach((id, slot) => {
      if (Number.isNaN(this.updatedAt[slot])) return;
      renumber[slot] = snapshot.ids.push(id) - 1;
      snapshot.updatedAt.push(this.updatedAt[slot]!);
      snapshot.titles.push((this.titleTokens.get(slot) ?? []).join(' '));
    });
    // Merge the frozen and the mutable postings token by token, in order, straight into the new frozen form.
    const { frozen } = this;
    const added = [...this.bodies.keys()].sort();
    const writer = createPostingsWriter();
    const frozenSlots = new Int32Array(this.ids.length);
    let merged = new Int32Array(Math.max(16, this.ids.length));
    for (let i = 0, j = 0; i < frozen.vocab.length || j < added.length; ) {
      const fromFrozen = frozen.vocab[i];
      const fromAdded = added[j];
      const token = fromAdded === undefined || (fromFrozen !== undefined && fromFrozen <= fromAdded) ? fromFrozen! : fromAdded;
      const n = fromFrozen === token ? decodeRenumbered(frozen, i++, renumber, frozenSlots, 0) : 0;
      if (fromAdded !== token) {
        writer.add(token, frozenSlots.subarray(0, n));
        continue;
      }
      // Words added since the snapshot: few, and mostly in slot order; merged with the frozen ones, repeats dropped.
      const extra = Int32Array.from(this.bodies.get(added[j++]!)!, (slot) => renumber[slot]!).sort();
      if (n + extra.length > merged.length) merged = new Int32Array(n + extra.length);
      let m = 0;
      for (let a = 0, b = 0; a < n || b < extra.length; ) {
        const next = b >= extra.length || (a < n && frozenSlots[a]! <= extra[b]!) ? frozenSlots[a++]! : extra[b++]!;
        if (next >= 0 && (m === 0 || next !== merged[m - 1])) merged[m++] = next;
      }
      writer.add(token, merged.subarray(0, m));
    }
    snapshot.bodies = writer.finish();
    return snapshot;
  }

  /** Bitset of the slots having some token that starts with `term`. */
  private termBits(term: string): Uint32Array {
    if (this.cachedVersion !== this.version) {
      this.termCache.clear();
      this.cachedVersion = this.version;
    }
    const cached = this.termCache.get(term);
    if (cached) return cached;
    const bits = new Uint32Array((this.ids.length + 31) >>> 5);
    const set = (slot: number) => {
      bits[slot >>> 5]! |= 1 << (slot & 31);
    };
    for (const token of this.vocabulary.withPrefix(term)) {
      for (const postings of [this.titles.get(token), this.bodies.get(token)]) postings?.forEach(set);
    }
    const [from, to] = prefixRange(this.frozen.vocab, term);
    for (let i = from; i < to; i++) forEachSlot(this.frozen, i, set);
    if (this.termCache.size >= 16) this.termCache.delete(this.termCache.keys().next().value!);
    this.termCache.set(term, bits);
    return bits;
  }

  private slot(id: string): number {
    let slot = this.slotOf.get(id);
    if (slot === undefined) {
      slot = this.ids.push(id) - 1;
      this.slotOf.set(id, slot);
      this.updatedAt.push(0);
      this.live++;
    }
    return slot;
  }

  private post(postings: Postings, token: string, slot: number): void {
    const list = postings.get(token);
    if (!list) {
      postings.set(token, [slot]);
      // A token both in titles and bodies is listed once; withPrefix checks both maps.
      if (!(postings === this.titles ? this.bodies : this.titles).has(token)) this.vocabulary.add(token);
    } else if (list[list.length - 1] !== slot) {
      // Only adjacent repeats are skipped; a rare older repeat costs one array entry, never a wrong result.
      list.push(slot);
    } else return;
    this.version++;
  }

  private touch(slot: number, time: number): void {
    this.updatedAt[slot] = Math.max(this.updatedAt[slot]!, time);
  }
}
