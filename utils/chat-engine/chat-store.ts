/**
 * The background's view of one subscription's history: conversations as
 * chat turns, a turn saved again under its id replacing the earlier version,
 * and search. Stored conversations are searched through the sealed,
 * persistent index (utils/vault/search-persistence.ts), told of every write;
 * temporary chats (and all chats under "keep no history") live in this
 * background's memory only, and so does their index.
 */
import type { ChatMessage } from '../chat/chat-state';
import type { ConversationSummary } from '../messages';
import { historyRetention, temporaryChatsDefault } from '../storage-items';
import { applyChange, openChatHistory, openPersistentSearch, SearchIndex, type ChatHistory, type Conversation, type SearchChange } from '../vault';
import { encodeTurn, searchableText, settleOrphans, turnsOf } from './turn-codec';

/** Lines of the conversation list (newest first) or search hits when a request names no limit. */
export const LIST_LIMIT = 200;
const TITLE_CHARS = 80;
const WARM_UP_DELAY_MS = 1_000;

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
  /** At most `limit` conversations (default {@link LIST_LIMIT}), newest first: all, or those matching `query`. */
  list(query: string, limit?: number): Promise<ConversationSummary[]>;
  rename(conversationId: string, title: string): Promise<Conversation | undefined>;
  remove(conversationId: string): Promise<void>;
  /** Forgets the in-memory search index (on lock); the sealed one on disk stays. */
  dropIndex(): void;
  /** A message of the conversation is being replaced: its words are indexed afresh at the next finished save. */
  markEdited(conversationId: string): void;
}

export function titleFrom(question: string): string {
  const line = question.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'New chat';
  return line.length > TITLE_CHARS ? `${line.slice(0, TITLE_CHARS - 1)}…` : line;
}

export function openChatStore(subscriptionHash: string, history: ChatHistory = openChatHistory(subscriptionHash)): ChatStore {
  const memoryIndex = new SearchIndex();
  const edited = new Set<string>();
  const summary = ({ id, title, updatedAt }: Conversation): ConversationSummary => ({ id, title, updatedAt });
  const stored = async (id: string) => {
    const conversation = await history.getConversation(id);
    if (!conversation) return undefined;
    const turns = turnsOf((await history.getMessages(id)).items);
    return { conversation, contents: turns.filter((t) => t.status !== 'streaming').map((t) => t.text) };
  };
  const search = openPersistentSearch(subscriptionHash, {
    read: stored,
    scanAll: (onBatch, options) =>
      history.scanAll(
        ({ conversations, messages }) =>
          onBatch({
            conversations: conversations.filter((c) => !history.isEphemeral(c.id)),
            messages: messages.filter((m) => !history.isEphemeral(m.conversationId)).map((m) => ({ ...m, content: searchableText(m) })),
          }),
        options,
      ),
  });
  /** Ephemeral chats change only the memory index; the rest are recorded (sealed) for the persistent one. */
  const indexChange = (conversationId: string, change: SearchChange) => {
    if (history.isEphemeral(conversationId)) {
      applyChange(memoryIndex, change);
      return;
    }
    // After the history write, never holding the chat up. A failed record leaves the change out until the conversation
    // is indexed afresh (the load's reconciliation does that only for conversations it never saw). Messages' words do
    // not come this way: saveTurn writes them with the message.
    void search.record(change).catch(() => undefined);
  };

  let warmTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The list is what a page shows after unlock: load the index a moment later, so the first search finds it ready
   * without the load competing with that first paint (the bench saw unlock → list go from ~130 to ~300 ms). A plain
   * timer: if the worker stops first, the first search loads the index instead.
   */
  const warmSoon = () => {
    clearTimeout(warmTimer);
    warmTimer = setTimeout(() => void search.index().catch(() => undefined), WARM_UP_DELAY_MS);
  };

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
      indexChange(conversationId, { op: 'conversation', conversation: summary(conversation) });
      return conversation;
    },

    async saveTurn(conversationId, turn, now) {
      const message = encodeTurn(conversationId, turn, now);
      const finished = turn.status !== 'streaming';
      if (finished && turn.text && !edited.has(conversationId) && !history.isEphemeral(conversationId)) {
        // The message and its index change in one transaction: a worker stopped in between cannot leave it unsearchable.
        const prepared = await search.prepare({ op: 'message', conversationId, content: turn.text, createdAt: now });
        try {
          await history.addMessage(message, { searchRecord: prepared.row });
        } catch (error) {
          prepared.abandon();
          throw error;
        }
        void prepared.written().catch(() => undefined);
        return;
      }
      await history.addMessage(message);
      if (!finished) return;
      if (edited.delete(conversationId)) {
        const found = await stored(conversationId);
        if (found) indexChange(conversationId, { op: 'replace', ...found });
      } else if (turn.text) indexChange(conversationId, { op: 'message', conversationId, content: turn.text, createdAt: now });
    },

    isEphemeral: (conversationId) => history.isEphemeral(conversationId),

    async list(query, limit = LIST_LIMIT) {
      if (!query.trim()) {
        const { items } = await history.listConversations({ limit });
        warmSoon();
        return items.slice(0, limit).map(summary);
      }
      const memoryHits = memoryIndex.search(query, { limit });
      const keepsNothing = (await historyRetention.getValue()) === 'none';
      const storedHits = keepsNothing ? [] : (await search.index()).search(query, { limit });
      const ids = [...memoryHits, ...storedHits].slice(0, limit);
      // One key and one transaction for all of them: fetched one by one, 50 hits cost ~150 ms in the worker.
      const found = await history.getConversations(ids);
      return found.filter((c): c is Conversation => c !== undefined).map(summary);
    },

    async rename(conversationId, title) {
      const conversation = await history.getConversation(conversationId);
      if (!conversation) return undefined;
      const renamed = { ...conversation, title };
      await history.saveConversation(renamed);
      indexChange(conversationId, { op: 'conversation', conversation: summary(renamed) });
      return renamed;
    },

    async remove(conversationId) {
      const ephemeral = history.isEphemeral(conversationId);
      await history.deleteConversation(conversationId);
      if (ephemeral) memoryIndex.removeConversation(conversationId);
      else void search.record({ op: 'remove', id: conversationId }).catch(() => undefined);
    },

    dropIndex: () => search.drop(),

    markEdited: (conversationId) => {
      edited.add(conversationId);
    },
  };
}
