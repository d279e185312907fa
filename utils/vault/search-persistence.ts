/**
 * Keeps the search index on disk, sealed, so unlocking loads it instead of
 * decrypting and tokenizing the whole history (~9 s at 100,000 messages).
 *
 * Like a log-structured store: a sealed snapshot of the whole index plus a
 * log of sealed changes since (one per message, rename, delete). Loading
 * decrypts the snapshot, replays the log, and reconciles with the
 * conversations actually stored (auto-delete runs while locked and cannot
 * write to the index; a conversation whose records were lost to a dying
 * worker is read afresh; a lost message of a known one is not). When
 * the log grows long, the index is written as a new snapshot and the log
 * cleared, in one transaction. Everything on disk is AES-GCM sealed with the
 * vault's data key: the index holds the words of the user's text. A vault
 * without a snapshot (kept before the index was) is indexed once from a full
 * scan.
 */
import * as v from 'valibot';
import { buildSearchIndex } from './build-search-index';
import { openHistoryDb, type StoredSearchOp } from './history-db';
import type { HistoryStore } from './history-types';
import { openBytes, openRecord, recordAad, sealBytes, sealRecord } from './record-cipher';
import { SearchIndex } from './search-index';
import { decodeSnapshot, encodeSnapshot } from './search-snapshot';
import { tokenize } from './search-tokens';
import { getDataKey } from './session-key';
import { withVaultMutex } from './vault-mutex';

export const SEARCH_SNAPSHOT_KEY = 'snapshot';
/** Changes replayed at load stay cheap below this; past it the next write compacts. */
export const COMPACT_AFTER = 200;

const Meta = v.object({ id: v.string(), title: v.string(), updatedAt: v.number() });
const Change = v.variant('op', [
  /** A conversation added or re-titled. */
  v.object({ op: v.literal('conversation'), conversation: Meta }),
  v.object({ op: v.literal('message'), conversationId: v.string(), content: v.string(), createdAt: v.number() }),
  /** The conversation indexed afresh (after an edit replaced a message). */
  v.object({ op: v.literal('replace'), conversation: Meta, contents: v.array(v.string()) }),
  v.object({ op: v.literal('remove'), id: v.string() }),
]);
export type SearchChange = v.InferOutput<typeof Change>;

export interface SearchSources {
  /** Every stored conversation and message, with messages' searchable text as `content`. */
  scanAll: HistoryStore['scanAll'];
  /** One stored conversation and its messages' searchable text, or undefined when it is gone. */
  read(id: string): Promise<{ conversation: v.InferOutput<typeof Meta>; contents: string[] } | undefined>;
}

/** A change sealed for the log, to be stored in the same transaction as the history write it describes. */
export interface PreparedChange {
  readonly row: StoredSearchOp;
  /** Call once that transaction committed: the loaded index learns the change. */
  written(): Promise<void>;
  /** Call when the history write failed: the record was not stored either. */
  abandon(): void;
}

export interface PersistentSearch {
  /** The index, loaded (or, the first time, built) on first call and kept until {@link drop}. */
  index(): Promise<SearchIndex>;
  /** Applies the change to the loaded index and appends it, sealed, to the log. Call after the history write. */
  record(change: SearchChange): Promise<void>;
  /**
   * Seals a change whose order against other changes does not matter (a message's words) for the history write to
   * carry (`addMessage`'s `searchRecord`); then call `written` or `abandon`, one of them, always.
   */
  prepare(change: SearchChange & { op: 'message' }): Promise<PreparedChange>;
  /** Forgets the in-memory index (on lock); what is on disk stays. */
  drop(): void;
}

const snapshotAad = () => recordAad('search', SEARCH_SNAPSHOT_KEY);
const logAad = (key: number) => recordAad('searchLog', key);
/** Only the words matter to the index, once each: the log never holds the text itself. */
const words = (text: string) => [...new Set(tokenize(text))].join(' ');
const wordsOnly = (change: SearchChange): SearchChange =>
  change.op === 'message' ? { ...change, content: words(change.content) } : change.op === 'replace' ? { ...change, contents: change.contents.map(words) } : change;

export function applyChange(index: SearchIndex, change: SearchChange): void {
  if (change.op === 'conversation') index.addConversation(change.conversation);
  else if (change.op === 'message') index.addMessage(change);
  else if (change.op === 'replace') index.replaceConversation(change.conversation, change.contents);
  else index.removeConversation(change.id);
}

/** Log keys increase with time (×1024 leaves room for many changes in one millisecond). */
let lastKey = 0;
const nextKey = () => (lastKey = Math.max(Date.now() * 1024, lastKey + 1));

export function openPersistentSearch(subscriptionHash: string, sources: SearchSources): PersistentSearch {
  const db = () => openHistoryDb(subscriptionHash);
  const key = () => getDataKey(subscriptionHash);
  const serialized = <T>(task: () => Promise<T>) => withVaultMutex(`${subscriptionHash}:search`, task);
  let loaded: Promise<SearchIndex> | undefined;
  let current: SearchIndex | undefined;
  let logged = 0;
  let generations = 0;
  /**
   * Keys of prepared changes not yet applied to the index in memory: their records may be on disk but are not in a
   * snapshot taken now, so compaction keeps them (and everything after) in the log. Replaying a change the snapshot
   * already holds changes nothing.
   */
  const unapplied = new Set<number>();

  async function compact(index: SearchIndex, upTo: number): Promise<void> {
    const keepFrom = Math.min(upTo + 1, ...unapplied);
    const sealed = await sealBytes(await key(), snapshotAad(), encodeSnapshot(index.snapshot()));
    const tx = (await db()).transaction(['search', 'searchLog'], 'readwrite');
    await Promise.all([tx.objectStore('search').put(sealed, SEARCH_SNAPSHOT_KEY), tx.objectStore('searchLog').delete(IDBKeyRange.upperBound(keepFrom, true)), tx.done]);
    logged = 0;
  }

  async function load(): Promise<SearchIndex> {
    const dataKey = await key();
    const tx = (await db()).transaction(['search', 'searchLog', 'conversations']);
    const [sealed, log, live] = await Promise.all([
      tx.objectStore('search').get(SEARCH_SNAPSHOT_KEY),
      tx.objectStore('searchLog').getAll(),
      tx.objectStore('conversations').getAllKeys(),
    ]);
    const bytes = sealed && (await openBytes(dataKey, snapshotAad(), sealed));
    const snapshot = bytes && decodeSnapshot(bytes);
    const changes = await Promise.all(log.map((row: StoredSearchOp) => openRecord(dataKey, logAad(row.key), row, Change)));
    // No snapshot yet, or something unreadable: index from the history itself, once.
    const rebuild = !snapshot || changes.includes(undefined);
    const index = rebuild ? (await buildSearchIndex(sources)).index : SearchIndex.fromSnapshot(snapshot);
    for (const change of changes) if (change) applyChange(index, change);
    const stored = new Set(live);
    let reconciled = 0;
    for (const id of index.conversationIds()) {
      if (stored.has(id)) continue;
      index.removeConversation(id);
      reconciled++;
    }
    for (const id of stored) {
      const found = index.has(id) ? undefined : await sources.read(id);
      if (!found) continue;
      index.replaceConversation(found.conversation, found.contents);
      reconciled++;
    }
    logged = log.length;
    if (rebuild || reconciled > 0 || logged >= COMPACT_AFTER) await compact(index, log.at(-1)?.key ?? 0);
    return index;
  }

  return {
    index() {
      if (!loaded) {
        const generation = ++generations;
        loaded = serialized(async () => {
          const index = await load();
          // Changes queued behind the load apply to it from here on, unless a lock dropped it meanwhile.
          if (generation === generations) current = index;
          return index;
        });
        loaded.catch(() => {
          if (generation === generations) loaded = undefined;
        });
      }
      return loaded;
    },

    async prepare(change) {
      const stored = wordsOnly(change);
      const logKey = nextKey();
      unapplied.add(logKey);
      try {
        const row: StoredSearchOp = { key: logKey, ...(await sealRecord(await key(), logAad(logKey), stored)) };
        return {
          row,
          written: () =>
            serialized(async () => {
              unapplied.delete(logKey);
              logged++;
              if (!current) return;
              applyChange(current, stored);
              if (logged >= COMPACT_AFTER) await compact(current, nextKey());
            }),
          abandon: () => void unapplied.delete(logKey),
        };
      } catch (error) {
        unapplied.delete(logKey);
        throw error;
      }
    },

    record(change) {
      return serialized(async () => {
        const stored = wordsOnly(change);
        const logKey = nextKey();
        const row: StoredSearchOp = { key: logKey, ...(await sealRecord(await key(), logAad(logKey), stored)) };
        await (await db()).put('searchLog', row);
        logged++;
        if (!current) return;
        applyChange(current, stored);
        if (logged >= COMPACT_AFTER) await compact(current, logKey);
      });
    },

    drop() {
      generations++;
      loaded = undefined;
      current = undefined;
    },
  };
}
