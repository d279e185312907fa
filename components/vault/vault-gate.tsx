import type { ComponentChildren } from 'preact';
import { CreateVaultForm } from './create-vault-form';
import { UnlockForm } from './unlock-form';
import { useVaultStatus } from './use-vault-status';
import './vault.css';

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
  const { status, refresh } = useVaultStatus(subscriptionHash);
  switch (status) {
    case 'loading':
      return (
        <p class="muted" role="status">
          Opening your history…
        </p>
      );
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
      return <CreateVaultForm subscriptionHash={subscriptionHash} onCreated={refresh} />;
    case 'locked':
      return <UnlockForm subscriptionHash={subscriptionHash} onUnlocked={refresh} onReset={refresh} now={now} />;
    case 'unlocked':
      return <>{children(subscriptionHash)}</>;
  }
}
