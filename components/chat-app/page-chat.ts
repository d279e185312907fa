/**
 * What a page shows of the conversation: the background's snapshot of it,
 * plus the deltas that arrived since. Events for another conversation, and
 * deltas for an answer that is not streaming, are ignored.
 */
import { EMPTY_CHAT, chatReducer, type ChatState } from '@/utils/chat/chat-state';
import type { ChatPortEvent } from '@/utils/messages';

export interface PageChat {
  /** Null while the page waits to hear which conversation is current. */
  conversationId: string | null;
  title: string | null;
  chat: ChatState;
  /** The background has answered for this conversation. */
  loaded: boolean;
}

export type PageChatAction =
  | { type: 'snapshot'; event: Extract<ChatPortEvent, { type: 'conversation' }> }
  | { type: 'delta'; conversationId: string; id: string; text: string }
  /** The page moves to a conversation (null: whichever is current) before the background answers. */
  | { type: 'switch'; conversationId: string | null };

export const INITIAL_PAGE_CHAT: PageChat = { conversationId: null, title: null, chat: EMPTY_CHAT, loaded: false };

export function pageChatReducer(state: PageChat, action: PageChatAction): PageChat {
  switch (action.type) {
    case 'switch':
      if (action.conversationId !== null && action.conversationId === state.conversationId) return state;
      return { ...INITIAL_PAGE_CHAT, conversationId: action.conversationId };
    case 'snapshot': {
      const { event } = action;
      if (state.conversationId !== null && event.conversationId !== state.conversationId) return state;
      return { conversationId: event.conversationId, title: event.title, chat: { messages: event.messages, streamingId: event.streamingId }, loaded: true };
    }
    case 'delta':
      if (action.conversationId !== state.conversationId) return state;
      return { ...state, chat: chatReducer(state.chat, { type: 'delta', id: action.id, text: action.text }) };
  }
}
