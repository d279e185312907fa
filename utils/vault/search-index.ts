/**
 * Full-text search over the unlocked history: inverted indexes from tokens to
 * conversations, held in memory only (they would reveal the history, so they
 * are never written anywhere and are dropped with the page or on lock).
 * Every query word matches as a prefix, so results appear while typing.
 *
 * Sized for 10,000 conversations / 100,000 messages: postings are plain
 * arrays of small integers, a query word becomes a bitset over conversations,
 * words are ANDed bitwise, and recent words' bitsets are cached while typing.
 */
import { tokenize } from './search-tokens';
import { SortedVocabulary } from './search-vocabulary';

export interface SearchOptions {
  /** Most results returned, newest conversation first (default: all). */
  limit?: number;
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
  private readonly titleTokens = new Map<number, string[]>();
  private readonly vocabulary = new SortedVocabulary();
  /** Bitsets of recent query words, valid while `version` is unchanged. */
  private readonly termCache = new Map<string, Uint32Array>();
  private cachedVersion = 0;
  private version = 0;
  private live = 0;

  /** Number of conversations indexed. */
  get size(): number {
    return this.live;
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

  /** Bitset of the slots having some token that starts with `term`. */
  private termBits(term: string): Uint32Array {
    if (this.cachedVersion !== this.version) {
      this.termCache.clear();
      this.cachedVersion = this.version;
    }
    const cached = this.termCache.get(term);
    if (cached) return cached;
    const bits = new Uint32Array((this.ids.length + 31) >>> 5);
    for (const token of this.vocabulary.withPrefix(term)) {
      for (const postings of [this.titles.get(token), this.bodies.get(token)]) {
        if (postings) for (const slot of postings) bits[slot >>> 5]! |= 1 << (slot & 31);
      }
    }
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
      this.vocabulary.add(token);
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
