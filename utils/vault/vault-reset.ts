/**
 * "Forgot my master password": without it the history cannot be read by
 * anyone, so the only way forward is to erase it and start a new vault.
 */
import { masterPasswordCreated, masterPasswordCreatedFor } from '../storage-items';
import { deleteHistoryDb, listHistoryHashes } from './history-db';
import { forgetSessionKeys } from './session-key';
import { clearUnlockFailures } from './unlock-throttle';
import { withVaultMutex } from './vault-mutex';

/**
 * Erases this subscription's vault and all its history, irreversibly; call
 * only after the user confirmed. Afterwards `vaultStatus` is `none`. Other
 * subscriptions' vaults are untouched.
 */
export function resetVault(subscriptionHash: string): Promise<void> {
  return withVaultMutex(subscriptionHash, async () => {
    await forgetSessionKeys(subscriptionHash);
    await deleteHistoryDb(subscriptionHash);
    await Promise.all([masterPasswordCreatedFor(subscriptionHash).removeValue(), clearUnlockFailures(subscriptionHash)]);
    if ((await listHistoryHashes()).length === 0) await masterPasswordCreated.removeValue();
  });
}
