import { useState } from 'preact/hooks';
import { lock } from '@/utils/vault';
import { useAuthStatus } from '../use-auth-status';
import { AutoLockField } from './auto-lock-field';
import { ChangePasswordForm } from './change-password-form';
import { CreateVaultForm } from './create-vault-form';
import { ResetVaultButton } from './reset-vault-dialog';
import { useVaultStatus } from './use-vault-status';
import './vault.css';

const STATUS_TEXT = {
  loading: 'Checking your history…',
  error: 'Your history could not be opened.',
  none: 'No master password yet for this account.',
  locked: 'Your history is locked.',
  unlocked: 'Your history is unlocked.',
} as const;

/** The signed-in account's master password: lock, change, reset (or create, after a reset). */
function MasterPasswordControls({ subscriptionHash }: { subscriptionHash: string }) {
  const { status, refresh } = useVaultStatus(subscriptionHash);
  const [wasReset, setWasReset] = useState(false);
  const exists = status === 'locked' || status === 'unlocked';

  return (
    <>
      <div class="vault-actions">
        <span class="vault-status" role="status">
          {STATUS_TEXT[status]}
        </span>
        <button type="button" disabled={status !== 'unlocked'} onClick={() => void lock(subscriptionHash)}>
          Lock now
        </button>
      </div>
      {status === 'none' && (
        <>
          {wasReset && <p class="vault-success">Your history was erased. Create a new master password to start again.</p>}
          <CreateVaultForm subscriptionHash={subscriptionHash} onCreated={refresh} inSettings />
        </>
      )}
      {exists && <ChangePasswordForm subscriptionHash={subscriptionHash} />}
      {exists && (
        <div>
          <h3 class="settings-subheading">Reset master password</h3>
          <p class="muted">If you forgot your master password, resetting erases this account's chat history on this device and lets you choose a new one.</p>
          <ResetVaultButton
            subscriptionHash={subscriptionHash}
            onReset={() => {
              setWasReset(true);
              refresh();
            }}
          />
        </div>
      )}
    </>
  );
}

/** Settings → Security: lock, auto-lock, and the master password. */
export function SecuritySection() {
  const { status } = useAuthStatus();
  const hash = status?.state === 'signed-in' ? status.subscriptionHash : undefined;
  return (
    <section class="card" aria-labelledby="security-heading">
      <h2 id="security-heading">Security</h2>
      {hash ? <MasterPasswordControls key={hash} subscriptionHash={hash} /> : <p class="muted">Sign in to lock, change or reset your master password.</p>}
      <AutoLockField />
    </section>
  );
}
