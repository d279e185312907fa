import { memo } from 'preact/compat';
import type { ChatMessage, ContextTrim } from '@/utils/chat/chat-state';
import type { FrameScheduler } from '@/utils/chat/frame-scheduler';
import { ChatError } from './chat-error';
import { MarkdownMessage } from './markdown-message';

export interface MessageActions {
  /** Ask the last question again after a failure. */
  onRetry?: () => void;
  /** Ask the last question again for a different answer. */
  onRegenerate?: () => void;
  onSignIn?: () => void;
  /** Copy a whole answer (its markdown text); defaults to the clipboard. */
  onCopy?: (text: string) => void;
  /** Put the last question back in the composer to reword it. */
  onEditLast?: (text: string) => void;
  schedule?: FrameScheduler;
}

interface MessageBubbleProps extends MessageActions {
  message: ChatMessage;
  /** The last message of its role: only it offers Retry, Regenerate or Edit. */
  last: boolean;
}

/** One turn: the user's question as plain text, or ExpressAI's answer as safe markdown with its state and actions. */
export const MessageBubble = memo(function MessageBubble({ message, last, ...actions }: MessageBubbleProps) {
  const { role, text, status, error } = message;
  if (role === 'user') {
    return (
      <article class="chat-msg chat-msg-user" aria-label="You said">
        <p class="chat-user-text">{text}</p>
        {last && actions.onEditLast && (
          <div class="chat-actions">
            <button type="button" onClick={() => actions.onEditLast!(text)}>
              Edit
            </button>
          </div>
        )}
      </article>
    );
  }
  const streaming = status === 'streaming';
  const copy = () => (actions.onCopy ? actions.onCopy(text) : void navigator.clipboard?.writeText(text).catch(() => {}));
  return (
    <article class={`chat-msg chat-msg-assistant is-${status}`} aria-label="ExpressAI answered" aria-busy={streaming}>
      {last && message.trimmed && <ContextNote {...message.trimmed} />}
      {(text || streaming) && <MarkdownMessage text={text} streaming={streaming} schedule={actions.schedule} />}
      {streaming && !text && <p class="chat-note chat-waiting">ExpressAI is writing…</p>}
      {status === 'stopped' && <p class="chat-note">Stopped.</p>}
      {status === 'interrupted' && <p class="chat-note chat-interrupted">Interrupted</p>}
      {message.finishReason === 'length' && <p class="chat-note">The answer stopped at its length limit.</p>}
      {(status === 'failed' || status === 'interrupted') && (
        // A saved turn may lack its error; it still must not show as an empty bubble.
        <ChatError error={error ?? { code: 'stream_cut' }} onRetry={last ? actions.onRetry : undefined} onSignIn={actions.onSignIn} />
      )}
      {!streaming && (text || (last && actions.onRegenerate)) && (
        <div class="chat-actions">
          {text && (
            <button type="button" onClick={copy}>
              Copy answer
            </button>
          )}
          {last && actions.onRegenerate && (status === 'complete' || status === 'stopped') && (
            <button type="button" onClick={actions.onRegenerate}>
              Regenerate
            </button>
          )}
        </div>
      )}
    </article>
  );
});

/** Said once, at the newest answer only: the model did not see the whole conversation. */
function ContextNote({ omitted, shortened }: ContextTrim) {
  const text =
    omitted > 0
      ? 'Earlier messages were left out to fit the model’s limit.'
      : `${shortened === 1 ? 'An earlier message was' : 'Earlier messages were'} shortened to fit the model’s limit.`;
  return (
    <p class="chat-note chat-context-note" role="note" aria-label="Conversation shortened">
      {text}
    </p>
  );
}
