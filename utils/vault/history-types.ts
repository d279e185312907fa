/**
 * The history's public shapes, shared by the encrypted store, the in-memory
 * store for ephemeral chats, and the search index.
 */
import type { StoredSearchOp } from './history-db';

export interface Conversation {
  id: string;
  title: string;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms of the last activity; the list is newest first. */
  updatedAt: number;
}

export type MessageRole = 'user' | 'assistant' | 'system';

export interface Message {
  id: string;
  conversationId: string;
  /** 0, 1, 2… in the order the messages were added. */
  seq: number;
  role: MessageRole;
  content: string;
  createdAt: number;
}

export type NewMessage = Omit<Message, 'id' | 'seq'> & { id?: string };

export interface AddMessageOptions {
  /**
   * The sealed search index change for this message (search-persistence.ts `prepare`), written in the message's own
   * transaction: both are stored or neither. The in-memory store, never indexed on disk, ignores it.
   */
  searchRecord?: StoredSearchOp;
}

/** A record that failed authentication (altered, swapped or corrupted): skipped, and reported. */
export interface DamagedRecord {
  store: 'conversations' | 'messages';
  id: string;
}

/** Where the next page of the conversation list starts. */
export interface PageCursor {
  sortTime: number;
  id: string;
}

export interface Listing<T> {
  items: T[];
  damaged: DamagedRecord[];
}

export interface ConversationPage extends Listing<Conversation> {
  /** Present when more conversations follow. */
  next?: PageCursor;
}

export interface HistoryBatch {
  conversations: Conversation[];
  messages: Message[];
}

/** What both the encrypted store and the in-memory one offer. */
export interface HistoryStore {
  /** Creates or replaces a conversation (rename, touch). */
  saveConversation(conversation: Conversation): Promise<void>;
  /** Appends a message (assigning `seq` and, if absent, `id`) and moves the conversation's `updatedAt` forward. */
  addMessage(message: NewMessage, options?: AddMessageOptions): Promise<Message>;
  /** Newest first, `limit` at a time (default 50). */
  listConversations(options?: { limit?: number; after?: PageCursor }): Promise<ConversationPage>;
  getConversation(id: string): Promise<Conversation | undefined>;
  /** Several at once (one key, one transaction): in the order asked, undefined for a missing or damaged one. */
  getConversations(ids: readonly string[]): Promise<(Conversation | undefined)[]>;
  /** In `seq` order. */
  getMessages(conversationId: string): Promise<Listing<Message>>;
  /** Deletes the conversation and all its messages. */
  deleteConversation(id: string): Promise<void>;
  /** Every readable record, decrypted `batchSize` at a time (for the search index); returns what was damaged. */
  scanAll(onBatch: (batch: HistoryBatch) => void | Promise<void>, options?: { batchSize?: number }): Promise<DamagedRecord[]>;
}
