/**
 * History that lives only in this page's memory: temporary chats, and every
 * chat when the user keeps no history. Nothing here is ever written to disk;
 * closing the page forgets it.
 */
import type { Conversation, HistoryStore, Message } from './history-types';

export function createMemoryHistory(): HistoryStore & { has(conversationId: string): boolean } {
  const conversations = new Map<string, Conversation>();
  const messages = new Map<string, Message[]>();
  const sorted = () => [...conversations.values()].sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : -1));

  return {
    has: (id) => conversations.has(id),

    async saveConversation(conversation) {
      conversations.set(conversation.id, { ...conversation });
    },

    async addMessage(input) {
      const conversation = conversations.get(input.conversationId);
      if (!conversation) throw new Error('unknown conversation');
      const list = messages.get(input.conversationId) ?? [];
      const message: Message = { ...input, id: input.id ?? crypto.randomUUID(), seq: list.length };
      messages.set(input.conversationId, [...list, message]);
      conversation.updatedAt = Math.max(conversation.updatedAt, message.createdAt);
      return message;
    },

    async listConversations({ limit = 50, after } = {}) {
      const all = sorted();
      const start = after ? all.findIndex((c) => c.id === after.id) + 1 : 0;
      const items = all.slice(start, start + limit);
      const last = items.at(-1);
      const more = start + limit < all.length && last;
      return { items: items.map((c) => ({ ...c })), damaged: [], ...(more && { next: { sortTime: last.updatedAt, id: last.id } }) };
    },

    async getConversation(id) {
      const conversation = conversations.get(id);
      return conversation && { ...conversation };
    },

    async getConversations(ids) {
      return ids.map((id) => {
        const conversation = conversations.get(id);
        return conversation && { ...conversation };
      });
    },

    async getMessages(conversationId) {
      return { items: [...(messages.get(conversationId) ?? [])], damaged: [] };
    },

    async deleteConversation(id) {
      conversations.delete(id);
      messages.delete(id);
    },

    async scanAll(onBatch) {
      await onBatch({ conversations: sorted(), messages: [...messages.values()].flat() });
      return [];
    },
  };
}
