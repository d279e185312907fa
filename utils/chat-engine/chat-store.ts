/**
 * The background's view of one subscription's history: conversations as
 * chat turns, a turn saved again under its id replacing the earlier version,
 * and the in-memory search index, built on first search and kept current
 * alongside every write. Temporary chats (and all chats under "keep no
 * history") live in this background's memory only.
 */
import type { ChatMessage } from '../chat/chat-state';
import type { ConversationSummary } from '../messages';
import { temporaryChatsDefault } from '../storage-items';
import { buildSearchIndex, openChatHistory, type ChatHistory, type Conversation, type SearchIndex } from '../vault';
import { encodeTurn, searchableText, settleOrphans, turnsOf } from './turn-codec';

/** The list shows this many conversations (newest first) and at most this many search hits. */
export const LIST_LIMIT = 200;
const TITLE_CHARS = 80;

export interface StoredConversation {
  conversation: Conversation | undefined;
  turns: ChatMessage[];
}

export interface ChatStore {
  readonly subscriptionHash: string;
  /** The conversation and its turns; answers left streaming by a stopped background read as interrupted. */
  load(conversationId: string): Promise<StoredConversation>;
  /** Creates the conversation, titled after its first question. */
  create(conversationId: string, firstQuestion: string, now: number): Promise<Conversation>;
  saveTurn(conversationId: string, turn: ChatMessage, now: number): Promise<void>;
  /** True when the conversation is never written to disk; saving its partial answers gains nothing. */
  isEphemeral(conversationId: string): boolean;
  list(query: string): Promise<ConversationSummary[]>;
  rename(conversationId: string, title: string): Promise<Conversation | undefined>;
  remove(conversationId: string): Promise<void>;
  /** Forgets the search index (on lock, or when edits leave stale words in it). */
  dropIndex(): void;
}

export function titleFrom(question: string): string {
  const line = question.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'New chat';
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line;
}

export function openChatStore(subscriptionHash: string, history: ChatHistory = openChatHistory(subscriptionHash)): ChatStore {
  let index: Promise<SearchIndex> | undefined;
  const withIndex = (update: (index: SearchIndex) => void) => {
    void index?.then(update, () => undefined);
  };
  const summary = ({ id, title, updatedAt }: Conversation): ConversationSummary => ({ id, title, updatedAt });

  return {
    subscriptionHash,

    async load(conversationId) {
      const conversation = await history.getConversation(conversationId);
      if (!conversation) return { conversation, turns: [] };
      const { items } = await history.getMessages(conversationId);
      return { conversation, turns: settleOrphans(turnsOf(items)) };
    },

    async create(conversationId, firstQuestion, now) {
      const conversation: Conversation = { id: conversationId, title: titleFrom(firstQuestion), createdAt: now, updatedAt: now };
      await history.saveConversation(conversation, { temporary: await temporaryChatsDefault.getValue() });
      withIndex((i) => i.addConversation(conversation));
      return conversation;
    },

    async saveTurn(conversationId, turn, now) {
      await history.addMessage(encodeTurn(conversationId, turn, now));
      if (turn.status !== 'streaming' && turn.text) withIndex((i) => i.addMessage({ conversationId, content: turn.text, createdAt: now }));
    },

    isEphemeral: (conversationId) => history.isEphemeral(conversationId),

    async list(query) {
      if (!query.trim()) {
        const { items } = await history.listConversations({ limit: LIST_LIMIT });
        return items.map(summary);
      }
      index ??= buildSearchIndex({
        scanAll: (onBatch, options) =>
          history.scanAll(
            ({ conversations, messages }) =>
              onBatch({ conversations, messages: messages.map((m) => ({ ...m, content: searchableText(m) })) }),
            options,
          ),
      }).then((built) => built.index);
      index.catch(() => (index = undefined));
      const ids = (await index).search(query, { limit: LIST_LIMIT });
      const found = await Promise.all(ids.map((id) => history.getConversation(id).catch(() => undefined)));
      return found.filter((c): c is Conversation => c !== undefined).map(summary);
    },

    async rename(conversationId, title) {
      const conversation = await history.getConversation(conversationId);
      if (!conversation) return undefined;
      const renamed = { ...conversation, title };
      await history.saveConversation(renamed);
      withIndex((i) => i.addConversation(renamed));
      return renamed;
    },

    async remove(conversationId) {
      await history.deleteConversation(conversationId);
      withIndex((i) => i.removeConversation(conversationId));
    },

    dropIndex: () => {
      index = undefined;
    },
  };
}
