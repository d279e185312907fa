import { useRef, useState } from 'preact/hooks';

interface ComposerProps {
  /** Returns false when the question was not taken (it stays in the box). */
  onSend: (text: string) => boolean | void;
  onStop: () => void;
  /** An answer is being written: Stop replaces Send and Escape stops. */
  streaming: boolean;
  /** Nothing can be sent (e.g. signed out); typing is still allowed. */
  disabled?: boolean;
  /** Controlled text (e.g. to put the last question back for editing); uncontrolled when left out. */
  value?: string;
  onValueChange?: (value: string) => void;
  placeholder?: string;
  /** Focus the box when shown (the popup opens ready to type). */
  autoFocus?: boolean;
}

/** The message box: Enter sends, Shift+Enter starts a new line, Escape stops an answer. */
export function Composer({ onSend, onStop, streaming, disabled, value, onValueChange, placeholder, autoFocus }: ComposerProps) {
  const [own, setOwn] = useState('');
  const text = value ?? own;
  const input = useRef<HTMLTextAreaElement>(null);
  const setText = (next: string) => {
    if (value === undefined) setOwn(next);
    onValueChange?.(next);
  };
  const canSend = !streaming && !disabled && text.trim().length > 0;
  const send = () => {
    if (!canSend) return;
    if (onSend(text.trim()) === false) return;
    setText('');
    input.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    // keyCode 229: an input method is composing (Chinese, Japanese…); Enter picks a candidate.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      send();
    } else if (event.key === 'Escape' && streaming) {
      event.preventDefault();
      onStop();
    }
  };
  const rows = Math.min(8, Math.max(1, text.split('\n').length));
  return (
    <form
      class="chat-composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <textarea
        ref={input}
        aria-label="Message"
        autoFocus={autoFocus}
        rows={rows}
        value={text}
        placeholder={placeholder ?? 'Ask ExpressAI…'}
        onInput={(event) => setText(event.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      {streaming ? (
        <button type="button" class="chat-stop" onClick={onStop}>
          Stop
        </button>
      ) : (
        <button type="submit" class="primary" disabled={!canSend}>
          Send
        </button>
      )}
    </form>
  );
}
