import type { ComponentChildren } from 'preact';
import { lazy, Suspense } from 'preact/compat';
import { Shown } from '../page-shown';
import { useVaultStatus, type GateStatus } from './use-vault-status';
import './vault.css';

// Loaded only when needed: an unlocked page (the usual one) never loads the forms, the KDF or the strength meter.
const CreateVaultForm = lazy(() => import('./create-vault-form').then((m) => m.CreateVaultForm));
const UnlockForm = lazy(() => import('./unlock-form').then((m) => m.UnlockForm));

function Opening() {
  return (
    <p class="muted" role="status">
      Opening your history…
    </p>
  );
}

interface VaultGateProps {
  /** The signed-in subscription (`status.subscriptionHash`); render the gate keyed by it so accounts never share state. */
  subscriptionHash: string;
  /**
   * What an unlocked vault shows: the chat. It gets the hash for
   * `openChatHistory(hash)`, and is unmounted the moment the vault locks.
   */
  children: (subscriptionHash: string) => ComponentChildren;
  /** Epoch ms; tests inject a clock to move time. */
  now?: () => number;
}

/**
 * The master-password gate: no vault → create one; locked → unlock (or
 * reset); unlocked → the content. A lock from anywhere (another page, Settings,
 * auto-lock) switches back to the unlock screen at once.
 */
export function VaultGate({ subscriptionHash, children, now }: VaultGateProps) {
  const { status, refresh, unlockedHere } = useVaultStatus(subscriptionHash);
  return (
    <>
      <VaultScreen status={status} subscriptionHash={subscriptionHash} refresh={refresh} unlockedHere={unlockedHere} now={now}>
        {children}
      </VaultScreen>
      {status !== 'loading' && <Shown />}
    </>
  );
}

function VaultScreen({ status, subscriptionHash, children, refresh, unlockedHere, now }: VaultGateProps & { status: GateStatus; refresh: () => void; unlockedHere: () => void }) {
  switch (status) {
    case 'loading':
      return <Opening />;
    case 'error':
      return (
        <div class="vault-screen" role="alert">
          <p class="error">Your history could not be opened. The browser's storage may be full or unavailable.</p>
          <button type="button" onClick={refresh}>
            Try again
          </button>
        </div>
      );
    case 'none':
      return (
        <Suspense fallback={<Opening />}>
          <CreateVaultForm subscriptionHash={subscriptionHash} onCreated={unlockedHere} />
        </Suspense>
      );
    case 'locked':
      return (
        <Suspense fallback={<Opening />}>
          <UnlockForm subscriptionHash={subscriptionHash} onUnlocked={unlockedHere} onReset={refresh} now={now} />
        </Suspense>
      );
    case 'unlocked':
      return <>{children(subscriptionHash)}</>;
  }
}
