import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ExtensionError } from '@/utils/errors';
import { unlock } from '@/utils/vault';
import { PasswordField } from './password-field';
import { ResetVaultButton } from './reset-vault-dialog';
import { usePreparedKeyDerivation } from './use-prepared-key-derivation';
import { useUnlockThrottle } from './use-unlock-throttle';
import { vaultErrorText, waitText } from './vault-error-text';
import './vault.css';

interface UnlockFormProps {
  subscriptionHash: string;
  onUnlocked: () => void;
  /** After "Forgot it?" → reset: the create screen follows. */
  onReset: () => void;
  /** Epoch ms; tests inject a clock to move time. */
  now?: () => number;
}

/** Asks for the master password; after too many wrong ones, says how long to wait and disables "Unlock" until then. */
export function UnlockForm({ subscriptionHash, onUnlocked, onReset, now = Date.now }: UnlockFormProps) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [forgot, setForgot] = useState(false);
  const [attempts, setAttempts] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const { waitSeconds } = useUnlockThrottle(subscriptionHash, now);
  const waiting = waitSeconds > 0;
  usePreparedKeyDerivation(attempts);
  // `autofocus` works only once per document; this screen also appears when the vault locks later. Before the
  // first paint, so the screen (loaded on demand) never shows unfocused.
  useLayoutEffect(() => input.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || waiting) return;
    // Read the field itself: a submit can arrive before the last keystroke's render.
    const typed = input.current?.value ?? '';
    if (typed === '') {
      setError('Enter your master password.');
      input.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await unlock(subscriptionHash, typed, { now });
      setPassword('');
      onUnlocked();
    } catch (e) {
      // The throttle's own wording is shown below, counting down; the error line says what went wrong.
      const throttled = e instanceof ExtensionError && e.code === 'unlock_throttled';
      setError(throttled ? 'Too many wrong attempts.' : vaultErrorText(e));
      input.current?.focus();
      input.current?.select();
      setAttempts((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="vault-form vault-screen" aria-labelledby="unlock-heading" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="unlock-heading">Your history is locked</h2>
      <p class="muted">Enter your master password to open your chat history.</p>
      <PasswordField
        id="unlock-password"
        label="Master password"
        value={password}
        onInput={setPassword}
        autocomplete="current-password"
        inputRef={input}
        disabled={busy}
        invalid={error !== undefined}
        describedBy="unlock-error unlock-wait"
      />
      <p id="unlock-error" class="error" role="alert">
        {error}
      </p>
      <p id="unlock-wait" class="muted" role="status">
        {waiting && `Try again in ${waitText(waitSeconds)}.`}
      </p>
      <div class="vault-actions">
        <button type="submit" class="primary" disabled={busy || waiting}>
          Unlock
        </button>
        <span class="muted" role="status">
          {busy && 'Checking…'}
        </span>
      </div>
      <div class="vault-forgot">
        <button type="button" class="link-button" aria-expanded={forgot} aria-controls="forgot-panel" onClick={() => setForgot(!forgot)}>
          Forgot it?
        </button>
        {forgot && (
          <div id="forgot-panel">
            <p class="muted">Without your master password nobody can open your history, not even ExpressAI. You can reset it: your history is erased and you choose a new one.</p>
            <ResetVaultButton subscriptionHash={subscriptionHash} onReset={onReset} />
          </div>
        )}
      </div>
    </form>
  );
}
