import { useState } from 'preact/hooks';
import { ExtensionError } from '@/utils/errors';
import { changeMasterPassword, MIN_PASSWORD_LENGTH } from '@/utils/vault';
import { estimateStrength } from '@/utils/vault/password-strength';
import { PasswordField } from './password-field';
import { StrengthMeter } from './strength-meter';
import { useUnlockThrottle } from './use-unlock-throttle';
import { vaultErrorText, waitText } from './vault-error-text';
import './vault.css';

type Field = 'current' | 'next' | 'confirm';
type Outcome = { kind: 'error'; field?: Field; message: string } | { kind: 'done' };

/** Settings: current, new and confirmed master password. The history is not re-encrypted, only its key re-wrapped. */
export function ChangePasswordForm({ subscriptionHash }: { subscriptionHash: string }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const { waitSeconds } = useUnlockThrottle(subscriptionHash);
  const strength = estimateStrength(next);

  const fail = (message: string, field?: Field) => {
    setOutcome({ kind: 'error', field, message });
    if (field) document.getElementById(`change-${field}`)?.focus();
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || waitSeconds > 0) return;
    // Read the fields themselves: a submit can arrive before the last keystroke's render.
    const field = (name: Field) => (document.getElementById(`change-${name}`) as HTMLInputElement | null)?.value ?? '';
    const [oldTyped, newTyped, newRetyped] = [field('current'), field('next'), field('confirm')];
    if (oldTyped === '') return fail('Enter your current master password.', 'current');
    if ([...newTyped.normalize('NFKC')].length < MIN_PASSWORD_LENGTH) return fail(`Use at least ${MIN_PASSWORD_LENGTH} characters for the new master password.`, 'next');
    if (newRetyped !== newTyped) return fail('The new passwords do not match.', 'confirm');
    if (newTyped === oldTyped) return fail('The new master password is the same as the current one.', 'next');
    setBusy(true);
    setOutcome(undefined);
    try {
      await changeMasterPassword(subscriptionHash, oldTyped, newTyped);
      setCurrent('');
      setNext('');
      setConfirm('');
      setOutcome({ kind: 'done' });
    } catch (error) {
      const wrong = error instanceof ExtensionError && error.code === 'wrong_password';
      fail(wrong ? 'Wrong master password. Nothing was changed.' : vaultErrorText(error), wrong ? 'current' : undefined);
    } finally {
      setBusy(false);
    }
  };

  const problem = outcome?.kind === 'error' ? outcome : undefined;
  const describe = (field: Field, extra?: string) => [extra, problem?.field === field ? 'change-message' : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <form class="vault-form" aria-labelledby="change-heading" onSubmit={(e) => void submit(e)} noValidate>
      <h3 id="change-heading" class="settings-subheading">
        Change master password
      </h3>
      <PasswordField id="change-current" label="Current master password" value={current} onInput={setCurrent} autocomplete="current-password" disabled={busy} invalid={problem?.field === 'current'} describedBy={describe('current')} />
      <PasswordField id="change-next" label="New master password" value={next} onInput={setNext} autocomplete="new-password" disabled={busy} invalid={problem?.field === 'next'} describedBy={describe('next', 'change-strength')} />
      <StrengthMeter id="change-strength" strength={strength} empty={next === ''} />
      <PasswordField id="change-confirm" label="Confirm new master password" value={confirm} onInput={setConfirm} autocomplete="new-password" disabled={busy} invalid={problem?.field === 'confirm'} describedBy={describe('confirm')} />
      <div class="vault-actions">
        <button type="submit" disabled={busy || waitSeconds > 0}>
          Change master password
        </button>
        <span class="muted" role="status">
          {busy && 'Changing…'}
          {!busy && waitSeconds > 0 && `Too many wrong attempts. Try again in ${waitText(waitSeconds)}.`}
        </span>
      </div>
      <p id="change-message" class="error" role="alert">
        {problem?.message}
      </p>
      <p class="vault-success" role="status">
        {outcome?.kind === 'done' && 'Your master password was changed. Use the new one from now on.'}
      </p>
    </form>
  );
}
