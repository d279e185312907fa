/**
 * Bench-only page: the product's vault library (utils/vault), bundled from
 * source and loaded as a page of the bench's copy of the extension, so it
 * shares the extension's origin (IndexedDB, storage.session) with the real
 * popup and side panel. It fills the encrypted history with generated
 * conversations, written with the product's own codec and schema, and times
 * the library's list and search. Exposed to the bench as `__vaultBench`.
 */
import { openHistory, buildSearchIndex, getDataKey, openPersistentSearch, type SearchSources } from '@/utils/vault';
import { openHistoryDb } from '@/utils/vault/history-db';
import { encodeConversation, encodeMessage } from '@/utils/vault/history-codec';
import type { Conversation, Message } from '@/utils/vault/history-types';
import type { SearchIndex } from '@/utils/vault/search-index';
import { createWords, type WordSource } from './vault-words';

const DAY_MS = 86_400_000;

export interface GenerateOptions {
  hash: string;
  conversations: number;
  messages: number;
  /** Seeds the made-up text; call with another seed for the next slice of a large history. */
  seed: number;
  /** Conversations written per IndexedDB transaction. */
  batch?: number;
}

export interface Generated {
  ms: number;
  conversations: number;
  messages: number;
  plaintextChars: number;
  /** One conversation id and its message count, to check the library reads what was written. */
  sample: { id: string; messages: number };
  /** The five most recently active conversations, newest first: what a conversation list shows on top. */
  newest: { title: string; updatedAt: number }[];
}

/** Writes `conversations` conversations holding `messages` messages in all (2–18 each, 10 on average). */
async function generate({ hash, conversations, messages, seed, batch = 250 }: GenerateOptions): Promise<Generated> {
  const started = performance.now();
  const key = await getDataKey(hash);
  const db = await openHistoryDb(hash);
  const words: WordSource = createWords(seed);
  const newest: Generated['newest'] = [];
  const now = Date.now();
  const perConversation = messages / conversations;
  let written = 0;
  let chars = 0;
  let sample = { id: '', messages: 0 };
  let delta = 0;
  for (let first = 0; first < conversations; first += batch) {
    const rows: Promise<[Awaited<ReturnType<typeof encodeConversation>>, Awaited<ReturnType<typeof encodeMessage>>[]]>[] = [];
    for (let c = first; c < Math.min(conversations, first + batch); c++) {
      const isLast = c === conversations - 1;
      // Pairs of conversations differ by ±delta around the mean, so the total stays exact; the last takes what is left.
      delta = c % 2 === 0 ? words.int(-8, 8) : -delta;
      const count = isLast ? Math.max(0, messages - written) : Math.max(1, Math.round(perConversation + delta));
      written += count;
      const createdAt = now - words.int(0, 365) * DAY_MS - words.int(0, DAY_MS);
      const conversation: Conversation = { id: crypto.randomUUID(), title: words.sentence(3, 7), createdAt, updatedAt: createdAt };
      const list: Message[] = [];
      for (let seq = 0; seq < count; seq++) {
        const role = seq % 2 === 0 ? 'user' : 'assistant';
        const content = role === 'user' ? words.text(20, 300) : words.text(200, 1500);
        chars += content.length;
        list.push({ id: crypto.randomUUID(), conversationId: conversation.id, seq, role, content, createdAt: createdAt + seq * 30_000 });
      }
      conversation.updatedAt = list.at(-1)?.createdAt ?? createdAt;
      if (c === 0) sample = { id: conversation.id, messages: count };
      newest.push({ title: conversation.title, updatedAt: conversation.updatedAt });
      newest.sort((a, b) => b.updatedAt - a.updatedAt).splice(5);
      rows.push(Promise.all([encodeConversation(key, conversation), Promise.all(list.map((m) => encodeMessage(key, m)))]));
    }
    const sealed = await Promise.all(rows);
    const tx = db.transaction(['conversations', 'messages'], 'readwrite');
    const puts: Promise<unknown>[] = [];
    for (const [conversation, list] of sealed) {
      puts.push(tx.objectStore('conversations').put(conversation));
      for (const m of list) puts.push(tx.objectStore('messages').put(m));
    }
    await Promise.all([...puts, tx.done]);
  }
  return { ms: performance.now() - started, conversations, messages: written, plaintextChars: chars, sample, newest };
}

let index: SearchIndex | undefined;

/** The sources the product's chat store gives its persistent index (bench messages are plain text, no envelope). */
function sources(hash: string): SearchSources {
  const history = openHistory(hash);
  return {
    scanAll: (onBatch, options) => history.scanAll(onBatch, options),
    async read(id) {
      const conversation = await history.getConversation(id);
      return conversation && { conversation, contents: (await history.getMessages(id)).items.map((m) => m.content) };
    },
  };
}

const api = {
  generate,
  /** How many messages the product's history API decrypts for one conversation. */
  async countMessages(hash: string, conversationId: string): Promise<number> {
    return (await openHistory(hash).getMessages(conversationId)).items.length;
  },
  /** The first page of the conversation list (what a panel shows first), timed. */
  async listFirstPage(hash: string): Promise<{ ms: number; items: number }> {
    const started = performance.now();
    const page = await openHistory(hash).listConversations({ limit: 50 });
    return { ms: performance.now() - started, items: page.items.length };
  },
  /** Decrypts everything and builds the in-memory search index, timed. */
  async buildIndex(hash: string): Promise<{ ms: number; conversations: number; damaged: number }> {
    const started = performance.now();
    const built = await buildSearchIndex(openHistory(hash));
    index = built.index;
    return { ms: performance.now() - started, conversations: built.index.size, damaged: built.damaged.length };
  },
  /**
   * The product's persistent index: the first call on a history without one
   * builds it from a full scan and stores it sealed (what a user's index holds
   * after being kept up to date write by write); later calls time what an
   * unlock costs: decrypt the snapshot, replay the log, reconcile. Searches
   * then run on the loaded index.
   */
  async loadIndex(hash: string): Promise<{ ms: number; conversations: number }> {
    const started = performance.now();
    index = await openPersistentSearch(hash, sources(hash)).index();
    return { ms: performance.now() - started, conversations: index.size };
  },
  /** Queries mixing common, rare and prefix words, one or two per query. */
  queries(count: number): string[] {
    return createWords(0x5eed).queries(count);
  },
  /** Each query's time in ms and hit count, on the index {@link api.buildIndex} built or {@link api.loadIndex} loaded. */
  search(queries: string[]): { ms: number; hits: number }[] {
    if (!index) throw new Error('build the index first');
    return queries.map((q) => {
      const started = performance.now();
      const hits = index!.search(q, { limit: 50 }).length;
      return { ms: performance.now() - started, hits };
    });
  },
  async storageUsage(): Promise<number> {
    return (await navigator.storage.estimate()).usage ?? 0;
  },
};

export type VaultBenchApi = typeof api;
declare global {
  /** Set by this page; the bench calls it with `page.evaluate`. */
  var __vaultBench: VaultBenchApi;
}
globalThis.__vaultBench = api;
