/**
 * Changing the master password re-wraps the data key; the history is never
 * re-encrypted. Each step leaves a record that the old or the new password
 * opens (both, between `pending-written` and `promoted`), so a crash or a
 * failed write at any point loses nothing. The next unlock settles a
 * half-done change in favour of whichever password the user types.
 */
import { deriveKey } from './kdf';
import { CURRENT_KDF_COST, newKdfParams, type KdfCost } from './kdf-params';
import { bytesEqual } from './bytes';
import { storeSessionKey } from './session-key';
import { assertUnlockAllowed } from './unlock-throttle';
import { openSlotWithKek, readVaultRecord, sameSlot, sealSlot, updateVaultRecord, VAULT_FORMAT } from './vault-record';
import { assertPasswordStrength, openVaultCounted, type VaultClock } from './vault-session';
import { passwordNotSaved, vaultBusy, vaultNotFound } from './vault-errors';
import { withVaultMutex } from './vault-mutex';

/** The steps, in order; `afterStep` runs after each one (tests inject faults there). */
export const PASSWORD_CHANGE_STEPS = ['old-password-checked', 'new-slot-sealed', 'pending-written', 'pending-verified', 'promoted'] as const;
export type PasswordChangeStep = (typeof PASSWORD_CHANGE_STEPS)[number];

export interface PasswordChangeOptions extends VaultClock {
  /** KDF cost for the new password; defaults to today's, which is how old vaults get upgraded. */
  cost?: KdfCost;
  afterStep?: (step: PasswordChangeStep) => void | Promise<void>;
}

/**
 * Replaces the master password and leaves the vault unlocked. Throws
 * `weak_password`, `unlock_throttled`, `wrong_password` (counted like an
 * unlock; nothing written), `vault_not_found`, `vault_busy` when another
 * context changed the vault at the same time, or `vault_damaged` when the
 * new key slot did not read back intact (the old password still works).
 */
export function changeMasterPassword(
  subscriptionHash: string,
  oldPassword: string,
  newPassword: string,
  { cost = CURRENT_KDF_COST, afterStep = () => undefined, now = Date.now }: PasswordChangeOptions = {},
): Promise<void> {
  assertPasswordStrength(newPassword);
  return withVaultMutex(subscriptionHash, async () => {
    await assertUnlockAllowed(subscriptionHash, now());
    const seen = await readVaultRecord(subscriptionHash);
    if (!seen) throw vaultNotFound();
    const { dataKey } = await openVaultCounted(subscriptionHash, seen, oldPassword, now);
    const kdf = newKdfParams(cost);
    let kek: Uint8Array | undefined;
    try {
      await afterStep('old-password-checked');

      kek = await deriveKey(newPassword, kdf);
      const slot = await sealSlot(subscriptionHash, dataKey, kek, kdf);
      await afterStep('new-slot-sealed');

      await updateVaultRecord(subscriptionHash, (stored) => {
        if (!sameSlot(stored.current, seen.current)) throw vaultBusy();
        return { format: VAULT_FORMAT, createdAt: stored.createdAt, current: stored.current, pending: slot };
      });
      await afterStep('pending-written');

      // Read back what was stored and open it with the new key before the old one is dropped.
      const written = (await readVaultRecord(subscriptionHash))?.pending;
      if (!written || !sameSlot(written, slot)) throw vaultBusy();
      const check = await openSlotWithKek(subscriptionHash, written, kek).catch(() => undefined);
      const intact = check !== undefined && bytesEqual(check, dataKey);
      check?.fill(0);
      if (!intact) throw passwordNotSaved();
      await afterStep('pending-verified');

      await updateVaultRecord(subscriptionHash, (stored) => {
        if (!sameSlot(stored.pending, slot)) throw vaultBusy();
        return { format: VAULT_FORMAT, createdAt: stored.createdAt, current: slot };
      });
      await afterStep('promoted');

      await storeSessionKey(subscriptionHash, dataKey);
    } finally {
      kek?.fill(0);
      dataKey.fill(0);
    }
  });
}
