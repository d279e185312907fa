import { useEffect, useState } from 'preact/hooks';
import { describeChatError, type ChatErrorInfo } from '@/utils/chat/chat-errors';

interface ChatErrorProps {
  error: ChatErrorInfo;
  /** Offered for every error a new attempt can fix; left out, no Retry button is shown. */
  onRetry?: () => void;
  onSignIn?: () => void;
}

/** A failed answer in plain words, with the one action that helps. Never blank, never a spinner. */
export function ChatError({ error, onRetry, onSignIn }: ChatErrorProps) {
  const { text, action } = describeChatError(error.code);
  const waitSeconds = useCountdown(action === 'wait' ? error.retryAfterSeconds : undefined);
  return (
    <div class="chat-error" role="alert">
      <p>
        {text}
        {action === 'wait' && (waitSeconds > 0 ? ` Try again in ${waitSeconds} ${waitSeconds === 1 ? 'second' : 'seconds'}.` : ' You can try again now.')}
      </p>
      {error.detail && <p class="chat-error-detail">{error.detail}</p>}
      {action === 'sign_in' && onSignIn && (
        <button type="button" class="primary" onClick={onSignIn}>
          Sign in again
        </button>
      )}
      {(action === 'retry' || action === 'wait') && onRetry && (
        <button type="button" onClick={onRetry} disabled={waitSeconds > 0}>
          Retry
        </button>
      )}
    </div>
  );
}

/** Whole seconds left of `seconds`, counted from when the error was first shown. */
function useCountdown(seconds: number | undefined): number {
  const [deadline] = useState(() => Date.now() + (seconds ?? 0) * 1000);
  const left = () => Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  const [remaining, setRemaining] = useState(left);
  useEffect(() => {
    if (remaining <= 0) return;
    const timer = setInterval(() => {
      const now = left();
      setRemaining(now);
      if (now <= 0) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, []);
  return remaining;
}
