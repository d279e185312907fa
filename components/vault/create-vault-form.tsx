import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { createVault, MIN_PASSWORD_LENGTH } from '@/utils/vault';
import { estimateStrength } from '@/utils/vault/password-strength';
import { PasswordField } from './password-field';
import { StrengthMeter } from './strength-meter';
import { usePreparedKeyDerivation } from './use-prepared-key-derivation';
import { vaultErrorText } from './vault-error-text';
import './vault.css';

interface CreateVaultFormProps {
  subscriptionHash: string;
  onCreated: () => void;
  /** Where it sits: the popup's own screen, or a Settings card (no big heading, no autofocus). */
  inSettings?: boolean;
}

type Problem = { field: 'password' | 'confirm' | 'form'; message: string };

/** Creates this subscription's master password: typed twice, with a strength meter and the plain truth about forgetting it. */
export function CreateVaultForm({ subscriptionHash, onCreated, inSettings = false }: CreateVaultFormProps) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<Problem | undefined>();
  const [busy, setBusy] = useState(false);
  const passwordInput = useRef<HTMLInputElement>(null);
  const confirmInput = useRef<HTMLInputElement>(null);
  const strength = estimateStrength(password);
  usePreparedKeyDerivation();
  // `autofocus` works only once per document; this screen also appears after a reset. Before the first paint,
  // so the screen (loaded on demand) never shows unfocused.
  useLayoutEffect(() => {
    if (!inSettings) passwordInput.current?.focus();
  }, [inSettings]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    // Read the fields themselves: a submit can arrive before the last keystroke's render.
    const typed = passwordInput.current?.value ?? '';
    const retyped = confirmInput.current?.value ?? '';
    if ([...typed.normalize('NFKC')].length < MIN_PASSWORD_LENGTH) {
      setProblem({ field: 'password', message: `Use at least ${MIN_PASSWORD_LENGTH} characters.` });
      passwordInput.current?.focus();
      return;
    }
    if (retyped !== typed) {
      setProblem({ field: 'confirm', message: 'The two passwords do not match.' });
      confirmInput.current?.focus();
      return;
    }
    setProblem(undefined);
    setBusy(true);
    try {
      await createVault(subscriptionHash, typed);
      setPassword('');
      setConfirm('');
      onCreated();
    } catch (error) {
      setProblem({ field: 'form', message: vaultErrorText(error) });
    } finally {
      setBusy(false);
    }
  };

  const errorId = 'create-error';
  const Heading = inSettings ? 'h3' : 'h2';
  return (
    <form class={`vault-form ${inSettings ? '' : 'vault-screen'}`} aria-labelledby="create-heading" onSubmit={(e) => void submit(e)} noValidate>
      <Heading id="create-heading" class={inSettings ? 'settings-subheading' : ''}>
        Create your master password
      </Heading>
      <p class="muted">It encrypts your chat history on this device. ExpressAI never sees it, and you will need it each time your history is locked.</p>
      <PasswordField
        id="create-password"
        label="Master password"
        value={password}
        onInput={setPassword}
        autocomplete="new-password"
        inputRef={passwordInput}
        disabled={busy}
        invalid={problem?.field === 'password'}
        describedBy={`create-strength${problem?.field === 'password' ? ` ${errorId}` : ''}`}
      />
      <StrengthMeter id="create-strength" strength={strength} empty={password === ''} />
      <PasswordField
        id="create-confirm"
        label="Confirm master password"
        value={confirm}
        onInput={setConfirm}
        autocomplete="new-password"
        inputRef={confirmInput}
        disabled={busy}
        invalid={problem?.field === 'confirm'}
        describedBy={problem?.field === 'confirm' ? errorId : undefined}
      />
      <p class="vault-warning" id="create-warning">
        If you forget it, your chat history cannot be recovered. You can reset it, which erases your history.
      </p>
      <p id={errorId} class="error" role="alert">
        {problem?.message}
      </p>
      <div class="vault-actions">
        <button type="submit" class="primary" disabled={busy} aria-describedby="create-warning">
          Create master password
        </button>
        <span class="muted" role="status">
          {busy && 'Setting up encryption…'}
        </span>
      </div>
    </form>
  );
}
