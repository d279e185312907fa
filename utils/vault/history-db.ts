/**
 * One IndexedDB database per subscription (`expressai-history-{hash}`), so
 * two accounts on one browser never share a key or a record. It holds the
 * vault record (`meta`) and the encrypted conversations and messages; only
 * ids, a minute-rounded sort time and message order stay in clear.
 */
import { deleteDB, openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';

export const HISTORY_DB_PREFIX = 'expressai-history-';
/** The `meta` key of the vault record (utils/vault/vault-record.ts). */
export const VAULT_RECORD_KEY = 'vault';
/** 2 added the sealed search index (`search`, `searchLog`). */
const VERSION = 2;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** An AES-GCM ciphertext and its 96-bit IV. */
export interface Sealed {
  iv: Uint8Array;
  ct: Uint8Array;
}

export interface StoredConversation extends Sealed {
  id: string;
  /** Last activity, rounded down to the minute: enough to order the list and expire old chats. */
  sortTime: number;
}

export interface StoredMessage extends Sealed {
  id: string;
  conversationId: string;
  /** Position in the conversation. */
  seq: number;
}

/** One sealed change to the search index since its snapshot, keyed in the order they happened. */
export interface StoredSearchOp extends Sealed {
  key: number;
}

export interface HistorySchema extends DBSchema {
  meta: { key: string; value: unknown };
  /** The sealed search index snapshot, under `SEARCH_SNAPSHOT_KEY`. */
  search: { key: string; value: Sealed };
  searchLog: { key: number; value: StoredSearchOp };
  conversations: { key: string; value: StoredConversation; indexes: { bySortTime: [number, string] } };
  messages: { key: string; value: StoredMessage; indexes: { byConversation: [string, number] } };
}

export type HistoryDb = IDBPDatabase<HistorySchema>;

const connections = new Map<string, Promise<HistoryDb>>();

export function historyDbName(subscriptionHash: string): string {
  if (!SHA256_HEX.test(subscriptionHash)) throw new TypeError('expected a lowercase hex SHA-256');
  return HISTORY_DB_PREFIX + subscriptionHash;
}

/** The subscription's database, created on first use; one shared connection per context. */
export function openHistoryDb(subscriptionHash: string): Promise<HistoryDb> {
  const name = historyDbName(subscriptionHash);
  let connection = connections.get(subscriptionHash);
  if (!connection) {
    const drop = () => {
      if (connections.get(subscriptionHash) === connection) connections.delete(subscriptionHash);
    };
    connection = openDB<HistorySchema>(name, VERSION, {
      upgrade(db, oldVersion) {
        if (oldVersion < 1) {
          db.createObjectStore('meta');
          db.createObjectStore('conversations', { keyPath: 'id' }).createIndex('bySortTime', ['sortTime', 'id']);
          db.createObjectStore('messages', { keyPath: 'id' }).createIndex('byConversation', ['conversationId', 'seq']);
        }
        if (oldVersion < 2) {
          db.createObjectStore('search');
          db.createObjectStore('searchLog', { keyPath: 'key' });
        }
      },
      // Another context is resetting this vault: let go so the delete is not blocked.
      blocking: () => {
        drop();
        void connection?.then((db) => db.close());
      },
      terminated: drop,
    });
    connection.catch(drop);
    connections.set(subscriptionHash, connection);
  }
  return connection;
}

/**
 * Runs the writes in one readwrite transaction: all of them are stored, or none. A write that throws (a bad key, a
 * value that cannot be cloned) aborts the transaction too, where IndexedDB alone would commit the others.
 */
export async function writeAll<S extends StoreNames<HistorySchema>[]>(
  db: HistoryDb,
  stores: S,
  writes: ((tx: IDBPTransaction<HistorySchema, S, 'readwrite'>) => Promise<unknown>)[],
): Promise<void> {
  const tx = db.transaction(stores, 'readwrite');
  const done = tx.done;
  const requests: Promise<unknown>[] = [];
  try {
    for (const write of writes) {
      const request = write(tx);
      // Failing with the transaction is expected once any write failed: the error worth throwing is that write's.
      request.catch(() => undefined);
      requests.push(request);
    }
    await Promise.all(requests);
    await done;
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // Already aborted by the failed request.
    }
    await done.catch(() => undefined);
    throw error;
  }
}

/** Hashes of the subscriptions that have a history database on this device. */
export async function listHistoryHashes(): Promise<string[]> {
  const databases = await indexedDB.databases();
  return databases
    .map((d) => d.name ?? '')
    .filter((name) => name.startsWith(HISTORY_DB_PREFIX))
    .map((name) => name.slice(HISTORY_DB_PREFIX.length))
    .filter((hash) => SHA256_HEX.test(hash));
}

/** Checked without opening, which would create an empty database as a side effect. */
export async function historyDbExists(subscriptionHash: string): Promise<boolean> {
  const name = historyDbName(subscriptionHash);
  return (await indexedDB.databases()).some((d) => d.name === name);
}

/** Deletes the whole database, closing this context's connection first. */
export async function deleteHistoryDb(subscriptionHash: string): Promise<void> {
  const name = historyDbName(subscriptionHash);
  const connection = connections.get(subscriptionHash);
  connections.delete(subscriptionHash);
  if (connection) await connection.then((db) => db.close()).catch(() => undefined);
  await deleteDB(name);
}
