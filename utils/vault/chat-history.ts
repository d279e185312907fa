/**
 * The history a chat page talks to: temporary chats, and all chats while the
 * user keeps no history, stay in memory; the rest go to the encrypted store.
 * Lists and scans show both, memory-only chats first.
 */
import { historyRetention } from '../storage-items';
import { openHistory } from './history-store';
import type { Conversation, HistoryStore } from './history-types';
import { createMemoryHistory } from './memory-history';

export interface ChatHistory extends HistoryStore {
  /** Saves a conversation; a new one marked `temporary` (or any new one under "keep no history") is never written to disk. */
  saveConversation(conversation: Conversation, options?: { temporary?: boolean }): Promise<void>;
  /** True when the conversation lives only in memory. */
  isEphemeral(conversationId: string): boolean;
}

/** The persistent part is used only when something is actually stored, so an ephemeral-only page never needs the vault unlocked. */
export function openChatHistory(subscriptionHash: string, memory = createMemoryHistory()): ChatHistory {
  const disk = openHistory(subscriptionHash);
  const keepsNothing = async () => (await historyRetention.getValue()) === 'none';
  const storeOf = (conversationId: string) => (memory.has(conversationId) ? memory : disk);

  return {
    isEphemeral: (id) => memory.has(id),

    async saveConversation(conversation, { temporary = false } = {}) {
      const ephemeral = memory.has(conversation.id) || temporary || (await keepsNothing());
      await (ephemeral ? memory : disk).saveConversation(conversation);
    },

    addMessage: (message, options) => storeOf(message.conversationId).addMessage(message, options),
    getConversation: (id) => storeOf(id).getConversation(id),
    async getConversations(ids) {
      const onDisk = ids.filter((id) => !memory.has(id));
      const fromDisk = new Map((await disk.getConversations(onDisk)).map((conversation, i) => [onDisk[i]!, conversation]));
      return Promise.all(ids.map((id) => (memory.has(id) ? memory.getConversation(id) : fromDisk.get(id))));
    },
    getMessages: (id) => storeOf(id).getMessages(id),
    deleteConversation: (id) => storeOf(id).deleteConversation(id),

    async listConversations(options = {}) {
      const stored = (await keepsNothing()) ? { items: [], damaged: [] } : await disk.listConversations(options);
      if (options.after) return stored;
      const { items } = await memory.listConversations({ limit: Number.MAX_SAFE_INTEGER });
      return { ...stored, items: [...items, ...stored.items] };
    },

    async scanAll(onBatch, options) {
      await memory.scanAll(onBatch);
      return (await keepsNothing()) ? [] : disk.scanAll(onBatch, options);
    },
  };
}
