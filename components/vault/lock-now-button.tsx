import { useState } from 'preact/hooks';
import { lock } from '@/utils/vault/vault-status';
import { useVaultStatus } from './use-vault-status';

/** "Lock now" for the page header: shown only while this subscription's history is unlocked. */
export function LockNowButton({ subscriptionHash }: { subscriptionHash: string }) {
  const { status } = useVaultStatus(subscriptionHash);
  const [busy, setBusy] = useState(false);
  if (status !== 'unlocked') return null;
  const lockNow = async () => {
    setBusy(true);
    try {
      await lock(subscriptionHash);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" class="lock-now" disabled={busy} onClick={() => void lockNow()}>
      Lock now
    </button>
  );
}
