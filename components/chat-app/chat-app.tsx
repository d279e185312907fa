import { useEffect, useRef, useState } from 'preact/hooks';
import { ChatView } from '@/components/chat/chat-view';
import { Composer } from '@/components/chat/composer';
import { loadMarkdownRenderer } from '@/components/chat/markdown-message';
import { ModelPicker } from '@/components/chat/model-picker';
import { canRegenerate } from '@/utils/chat/chat-state';
import { ExtensionError } from '@/utils/errors';
import { request } from '@/utils/messaging-client';
import { ConversationList } from './conversation-list';
import { OpenSidePanelButton } from './open-side-panel-button';
import { useChat } from './use-chat';
import { useModels } from './use-models';
import './chat-app.css';

interface ChatAppProps {
  /** The popup is compact; the side panel adds the conversation list. */
  variant: 'popup' | 'sidepanel';
  /** The signed-in subscription whose history is unlocked (render keyed by it). */
  subscriptionHash: string;
}

/** While an answer streams, the page says so this often: an event keeps Firefox's background awake. */
const PING_MS = 10_000;

/** The chat, as the popup and the side panel show it. The background keeps the conversation; this page shows it. */
export function ChatApp({ variant, subscriptionHash }: ChatAppProps) {
  const chat = useChat(subscriptionHash);
  const models = useModels();
  const { page } = chat;
  const id = page.conversationId;
  const streaming = page.chat.streamingId !== null;
  const [text, setText] = useState('');
  const [editing, setEditing] = useState(false);

  // A draft the background kept comes back when its conversation opens; what was typed before it arrived wins.
  useEffect(() => {
    if (!chat.draft || chat.draft.conversationId !== id) return;
    if (text === '') setText(chat.draft.text);
    else if (text !== chat.draft.text) chat.post({ type: 'draft', conversationId: id, text });
  }, [chat.draft]);
  useEffect(() => {
    if (!streaming) return;
    const timer = setInterval(() => chat.post({ type: 'ping' }), PING_MS);
    return () => clearInterval(timer);
  }, [streaming]);

  const changeText = (next: string) => {
    setText(next);
    if (id) chat.post({ type: 'draft', conversationId: id, text: next });
  };
  // A question too long for the model is refused before it joins the conversation: it comes back to be shortened.
  const refusable = useRef<{ conversationId: string; text: string; editing: boolean } | undefined>();
  const typed = useRef(text);
  typed.current = text;
  useEffect(
    () =>
      chat.subscribe((event) => {
        const sent = refusable.current;
        if (event.type !== 'error' || !sent || (event.request !== 'send' && event.request !== 'edit_last')) return;
        refusable.current = undefined;
        if (event.code !== 'question_too_long') return;
        if (typed.current !== '') return;
        setText(sent.text);
        setEditing(sent.editing);
        chat.post({ type: 'draft', conversationId: sent.conversationId, text: sent.text });
      }),
    [],
  );
  const openConversation = (conversationId: string | null) => {
    setText('');
    setEditing(false);
    chat.open(conversationId);
  };
  // Asked before the model list arrived: the question stays in the box and goes as soon as a model is known.
  const waitingForModel = useRef<string | undefined>();
  const send = (question: string): boolean => {
    if (!id) return false;
    // The answer is rendered as markdown: have the renderer ready before its first words arrive.
    void loadMarkdownRenderer().catch(() => undefined);
    if (!models.model) {
      waitingForModel.current = question;
      models.reload();
      return false;
    }
    waitingForModel.current = undefined;
    refusable.current = { conversationId: id, text: question, editing };
    chat.post(editing ? { type: 'edit_last', conversationId: id, text: question, model: models.model } : { type: 'send', conversationId: id, text: question, model: models.model });
    setEditing(false);
    return true;
  };
  useEffect(() => {
    const question = waitingForModel.current;
    // Changed meanwhile: the user decides again.
    if (question === undefined || !models.model || typed.current.trim() !== question || streaming) return;
    if (send(question)) changeText('');
  }, [models.model]);
  const askAgain = (type: 'regenerate' | 'retry') => id && models.model && chat.post({ type, conversationId: id, model: models.model });
  const signIn = async () => {
    try {
      await request('auth.signIn', {});
    } catch (error) {
      // Already signed in again (this page only shows while signed in): the question can simply be asked again.
      if (error instanceof ExtensionError && error.code === 'already_signed_in') askAgain('retry');
    }
  };

  return (
    <div class={`chat chat-app chat-app--${variant}`} aria-busy={!page.loaded}>
      {variant === 'sidepanel' && <ConversationList chat={chat} onOpen={openConversation} />}
      <div class="chat-toolbar">
        <ModelPicker models={models.models} value={models.model} onChange={models.choose} />
        <button type="button" onClick={() => openConversation(crypto.randomUUID())} disabled={page.chat.messages.length === 0}>
          New chat
        </button>
        {variant === 'popup' && <OpenSidePanelButton />}
      </div>
      {page.title && variant === 'sidepanel' && <h2 class="chat-title">{page.title}</h2>}
      {models.error && (
        <div class="chat-notice" role="alert">
          <span>{models.error}</span>
          <button type="button" onClick={models.reload}>
            Try again
          </button>
        </div>
      )}
      {chat.connection === 'unavailable' ? (
        <div class="chat-notice" role="alert">
          <span>ExpressAI’s background is not responding.</span>
          <button type="button" onClick={chat.reconnect}>
            Reconnect
          </button>
        </div>
      ) : (
        chat.notice && (
          <div class="chat-notice" role="alert">
            <span>{chat.notice.message}</span>
            <button type="button" onClick={chat.dismissNotice}>
              Dismiss
            </button>
          </div>
        )
      )}
      <ChatView
        messages={page.chat.messages}
        empty={
          <div class="chat-empty">
            <h2>Private AI chat</h2>
            <p>{page.loaded || !id ? 'Ask ExpressAI anything. Your conversations are encrypted on this device.' : 'Opening the conversation…'}</p>
          </div>
        }
        onRetry={() => askAgain('retry')}
        onRegenerate={canRegenerate(page.chat) ? () => askAgain('regenerate') : undefined}
        onEditLast={(question) => {
          setEditing(true);
          setText(question);
        }}
        onSignIn={() => void signIn()}
      />
      {editing && (
        <div class="chat-editing" role="status">
          <span>Editing your last question.</span>
          <button
            type="button"
            onClick={() => {
              setEditing(false);
              setText('');
            }}
          >
            Cancel edit
          </button>
        </div>
      )}
      <Composer
        value={text}
        onValueChange={changeText}
        onSend={send}
        onStop={() => id && chat.post({ type: 'stop', conversationId: id })}
        streaming={streaming}
        disabled={!id || !page.loaded}
        autoFocus
      />
    </div>
  );
}
