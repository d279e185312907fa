/**
 * Turns conversations and messages into stored rows and back. In clear: ids,
 * the last-activity time rounded down to the minute (list order, expiry), and
 * a message's conversation and position. Everything else is sealed.
 */
import * as v from 'valibot';
import type { StoredConversation, StoredMessage } from './history-db';
import type { Conversation, Message } from './history-types';
import { openRecord, recordAad, sealRecord } from './record-cipher';

/** Clear timestamps keep only the minute: enough to order the list and expire chats by day. */
export const SORT_PRECISION_MS = 60_000;

export const toSortTime = (updatedAt: number) => Math.floor(updatedAt / SORT_PRECISION_MS) * SORT_PRECISION_MS;

const ConversationBody = v.object({ title: v.string(), createdAt: v.number(), updatedAt: v.number() });
const MessageBody = v.object({ role: v.picklist(['user', 'assistant', 'system']), content: v.string(), createdAt: v.number() });

const conversationAad = (row: Pick<StoredConversation, 'id' | 'sortTime'>) => recordAad('conversations', row.id, row.sortTime);
const messageAad = (row: Pick<StoredMessage, 'id' | 'conversationId' | 'seq'>) =>
  recordAad('messages', row.id, row.conversationId, row.seq);

export async function encodeConversation(key: CryptoKey, c: Conversation): Promise<StoredConversation> {
  const clear = { id: c.id, sortTime: toSortTime(c.updatedAt) };
  const body = { title: c.title, createdAt: c.createdAt, updatedAt: c.updatedAt };
  return { ...clear, ...(await sealRecord(key, conversationAad(clear), body)) };
}

/** The conversation, or undefined when the row is damaged. */
export async function decodeConversation(key: CryptoKey, row: StoredConversation): Promise<Conversation | undefined> {
  const body = await openRecord(key, conversationAad(row), row, ConversationBody);
  return body && { id: row.id, ...body };
}

export async function encodeMessage(key: CryptoKey, m: Message): Promise<StoredMessage> {
  const clear = { id: m.id, conversationId: m.conversationId, seq: m.seq };
  const body = { role: m.role, content: m.content, createdAt: m.createdAt };
  return { ...clear, ...(await sealRecord(key, messageAad(clear), body)) };
}

export async function decodeMessage(key: CryptoKey, row: StoredMessage): Promise<Message | undefined> {
  const body = await openRecord(key, messageAad(row), row, MessageBody);
  return body && { id: row.id, conversationId: row.conversationId, seq: row.seq, ...body };
}
