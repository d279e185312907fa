/**
 * The encrypted history of one subscription. Every call asks session-key.ts
 * for the data key (imported once, dropped when any context locks, so it
 * fails with `vault_locked` from then on), decrypts in parallel batches, and
 * reports damaged records instead of failing the whole call.
 */
import { openHistoryDb, writeAll, type StoredConversation } from './history-db';
import { decodeConversation, decodeMessage, encodeConversation, encodeMessage } from './history-codec';
import type { Conversation, DamagedRecord, HistoryStore, Listing, Message } from './history-types';
import { getDataKey } from './session-key';
import { withVaultMutex } from './vault-mutex';
import { ExtensionError } from '../errors';

const DEFAULT_PAGE = 50;
const DEFAULT_BATCH = 500;

/** All of a conversation's messages in the `byConversation` index: numbers sort before arrays. */
export const messagesOf = (conversationId: string) => IDBKeyRange.bound([conversationId], [conversationId, []]);

async function decodeAll<R extends { id: string }, T>(
  rows: R[],
  store: DamagedRecord['store'],
  decode: (row: R) => Promise<T | undefined>,
): Promise<Listing<T>> {
  const decoded = await Promise.all(rows.map(decode));
  const items: T[] = [];
  const damaged: DamagedRecord[] = [];
  decoded.forEach((item, i) => (item === undefined ? damaged.push({ store, id: rows[i]!.id }) : items.push(item)));
  return { items, damaged };
}

/** Walks a store in primary-key order, one batch at a time, so memory and pauses stay small. */
async function scanRows<R extends { id: string }, T>(
  fetch: (range: IDBKeyRange | undefined) => Promise<R[]>,
  decode: (rows: R[]) => Promise<Listing<T>>,
  emit: (items: T[]) => void | Promise<void>,
  damaged: DamagedRecord[],
): Promise<void> {
  let rows = await fetch(undefined);
  while (rows.length > 0) {
    const listing = await decode(rows);
    damaged.push(...listing.damaged);
    await emit(listing.items);
    rows = await fetch(IDBKeyRange.lowerBound(rows.at(-1)!.id, true));
  }
}

const newestFirst = (a: Conversation, b: Conversation) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : -1);

/** The encrypted store for this subscription; its vault must be unlocked when each method runs. */
export function openHistory(subscriptionHash: string): HistoryStore {
  const db = () => openHistoryDb(subscriptionHash);
  const key = () => getDataKey(subscriptionHash);
  const serialized = <T>(task: () => Promise<T>) => withVaultMutex(`${subscriptionHash}:history`, task);

  async function getConversation(id: string): Promise<Conversation | undefined> {
    const row = await (await db()).get('conversations', id);
    if (!row) return undefined;
    const conversation = await decodeConversation(await key(), row);
    if (!conversation) throw new ExtensionError('vault_damaged', 'This conversation is damaged and cannot be opened.');
    return conversation;
  }

  return {
    getConversation,

    async getConversations(ids) {
      if (ids.length === 0) return [];
      const dataKey = await key();
      const store = (await db()).transaction('conversations').store;
      const rows = await Promise.all(ids.map((id) => store.get(id)));
      return Promise.all(rows.map((row) => (row ? decodeConversation(dataKey, row) : undefined)));
    },

    saveConversation: (conversation) =>
      serialized(async () => {
        const row = await encodeConversation(await key(), conversation);
        await (await db()).put('conversations', row);
      }),

    addMessage: (input, { searchRecord } = {}) =>
      serialized(async () => {
        const dataKey = await key();
        const conversation = await getConversation(input.conversationId);
        if (!conversation) throw new ExtensionError('internal_error', 'That conversation no longer exists.');
        const tx = (await db()).transaction('messages');
        const last = await tx.store.index('byConversation').openCursor(messagesOf(input.conversationId), 'prev');
        const message: Message = { ...input, id: input.id ?? crypto.randomUUID(), seq: last ? last.value.seq + 1 : 0 };
        const touched = { ...conversation, updatedAt: Math.max(conversation.updatedAt, message.createdAt) };
        const [messageRow, conversationRow] = await Promise.all([encodeMessage(dataKey, message), encodeConversation(dataKey, touched)]);
        // One transaction, everything sealed beforehand (awaiting anything but its requests would let it commit early):
        // the list never shows a conversation without its newest message, and the index never misses a stored one.
        await writeAll(await db(), ['messages', 'conversations', 'searchLog'], [
          (tx) => tx.objectStore('messages').put(messageRow),
          (tx) => tx.objectStore('conversations').put(conversationRow),
          (tx) => (searchRecord ? tx.objectStore('searchLog').put(searchRecord) : Promise.resolve()),
        ]);
        return message;
      }),

    async listConversations({ limit = DEFAULT_PAGE, after } = {}) {
      const dataKey = await key();
      const range = after ? IDBKeyRange.upperBound([after.sortTime, after.id], true) : undefined;
      const rows: StoredConversation[] = [];
      let cursor = await (await db()).transaction('conversations').store.index('bySortTime').openCursor(range, 'prev');
      while (cursor && rows.length < limit) {
        rows.push(cursor.value);
        cursor = await cursor.continue();
      }
      const { items, damaged } = await decodeAll(rows, 'conversations', (row) => decodeConversation(dataKey, row));
      const last = rows.at(-1);
      const next = cursor && last ? { sortTime: last.sortTime, id: last.id } : undefined;
      return { items: items.sort(newestFirst), damaged, ...(next && { next }) };
    },

    async getMessages(conversationId) {
      const dataKey = await key();
      const rows = await (await db()).getAllFromIndex('messages', 'byConversation', messagesOf(conversationId));
      return decodeAll(rows, 'messages', (row) => decodeMessage(dataKey, row));
    },

    deleteConversation: (id) =>
      serialized(async () => {
        const tx = (await db()).transaction(['conversations', 'messages'], 'readwrite');
        const messages = tx.objectStore('messages');
        const ids = await messages.index('byConversation').getAllKeys(messagesOf(id));
        await Promise.all([tx.objectStore('conversations').delete(id), ...ids.map((messageId) => messages.delete(messageId))]);
        await tx.done;
      }),

    async scanAll(onBatch, { batchSize = DEFAULT_BATCH } = {}) {
      const damaged: DamagedRecord[] = [];
      await scanRows(
        async (range) => (await db()).getAll('conversations', range, batchSize),
        async (rows) => decodeAll(rows, 'conversations', decodeConversation.bind(null, await key())),
        (conversations) => onBatch({ conversations, messages: [] }),
        damaged,
      );
      await scanRows(
        async (range) => (await db()).getAll('messages', range, batchSize),
        async (rows) => decodeAll(rows, 'messages', decodeMessage.bind(null, await key())),
        (messages) => onBatch({ conversations: [], messages }),
        damaged,
      );
      return damaged;
    },
  };
}
