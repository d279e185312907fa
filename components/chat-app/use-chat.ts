/**
 * The chat of one page, kept by the background: this hook connects, shows
 * the current conversation, and turns the user's actions into port requests.
 * Deltas are applied at most once per animation frame.
 */
import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { createDeltaBatcher } from '@/utils/chat/answer-runner';
import type { ErrorCode } from '@/utils/errors';
import type { ChatPortEvent, ChatPortRequest } from '@/utils/messages';
import { ChatConnection, type ConnectionState } from './chat-connection';
import { INITIAL_PAGE_CHAT, pageChatReducer, type PageChat } from './page-chat';

export interface ChatNotice {
  code: ErrorCode;
  message: string;
}

export interface ChatController {
  page: PageChat;
  connection: ConnectionState;
  /** The last refusal from the background, in plain words. */
  notice: ChatNotice | undefined;
  dismissNotice(): void;
  /** A draft the background kept for this conversation (set when it is opened). */
  draft: { conversationId: string; text: string } | undefined;
  post(request: ChatPortRequest): void;
  /** Shows another conversation (a new one when `conversationId` is a fresh id). */
  open(conversationId: string | null): void;
  subscribe(listener: (event: ChatPortEvent) => void): () => void;
  reconnect(): void;
}

/**
 * The conversation this page last showed, per subscription: when the chat is
 * shown again in the same page (after a lock or a new sign-in) it comes back
 * to it, rather than to whichever conversation another page made current.
 */
const lastShown = new Map<string, string>();

const OFFLINE_NOTICE: ChatNotice = { code: 'no_receiver', message: 'ExpressAI’s background is not responding. Try again in a moment.' };

export function useChat(subscriptionHash: string, createConnection: () => ChatConnection = () => new ChatConnection()): ChatController {
  const [page, dispatch] = useReducer(pageChatReducer, subscriptionHash, (hash) => ({ ...INITIAL_PAGE_CHAT, conversationId: lastShown.get(hash) ?? null }));
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [notice, setNotice] = useState<ChatNotice | undefined>();
  const [draft, setDraft] = useState<ChatController['draft']>();
  const shown = useRef<string | null>(null);
  shown.current = page.conversationId;
  if (page.conversationId && page.loaded) lastShown.set(subscriptionHash, page.conversationId);
  const client = useMemo(createConnection, []);

  useEffect(() => {
    let pending: { conversationId: string; id: string } | undefined;
    const batcher = createDeltaBatcher((text) => pending && dispatch({ type: 'delta', ...pending, text }));
    const unsubscribe = client.subscribe((event) => {
      switch (event.type) {
        case 'conversation':
          // The snapshot holds every delta sent before it.
          pending = undefined;
          batcher.drain();
          dispatch({ type: 'snapshot', event });
          if (event.draft !== undefined) setDraft({ conversationId: event.conversationId, text: event.draft });
          break;
        case 'delta':
          if (pending && (pending.id !== event.id || pending.conversationId !== event.conversationId)) batcher.drain();
          pending = { conversationId: event.conversationId, id: event.id };
          batcher.push(event.text);
          break;
        case 'error':
          setNotice({ code: event.code, message: event.message });
          break;
      }
    });
    const unwatch = client.onState(setConnection);
    client.start(() => client.post({ type: 'open', conversationId: shown.current }));
    return () => {
      unsubscribe();
      unwatch();
      client.close();
    };
  }, [client]);

  const post = (request: ChatPortRequest) => {
    // Typing (drafts) and keep-alive pings leave a refusal on screen while the user fixes what it names.
    if (client.post(request)) {
      if (request.type !== 'draft' && request.type !== 'ping') setNotice(undefined);
    } else setNotice(OFFLINE_NOTICE);
  };

  return {
    page,
    connection,
    notice,
    dismissNotice: () => setNotice(undefined),
    draft,
    post,
    open(conversationId) {
      dispatch({ type: 'switch', conversationId });
      shown.current = conversationId;
      post({ type: 'open', conversationId });
    },
    subscribe: (listener) => client.subscribe(listener),
    reconnect: () => client.reconnectNow(),
  };
}
