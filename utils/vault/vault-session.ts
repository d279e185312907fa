/**
 * The vault's life cycle for one subscription: create, unlock, lock, status.
 * The vault record decides whether a master password exists; the
 * `master_password_created` flags only spare the UI a lookup and are repaired
 * from the record whenever they disagree.
 */
import { masterPasswordCreated, masterPasswordCreatedFor } from '../storage-items';
import { generateDataKey } from './key-wrap';
import { deriveKey } from './kdf';
import { CURRENT_KDF_COST, newKdfParams, type KdfCost } from './kdf-params';
import { storeSessionKey } from './session-key';
import { assertAllowedBy, clearUnlockFailures, recordUnlockFailure, unlockThrottleState } from './unlock-throttle';
import { insertVaultRecord, openVault, readVaultRecord, sameSlot, sealSlot, updateVaultRecord, VAULT_FORMAT, type OpenedVault, type VaultRecord } from './vault-record';
import { vaultExists, vaultNotFound, weakPassword } from './vault-errors';
import { withVaultMutex } from './vault-mutex';
import { ExtensionError } from '../errors';

import { hasVaultRecord } from './vault-status';

export { getDataKey, isUnlocked } from './session-key';
export { lock, vaultStatus, watchVaultStatus, type VaultStatus } from './vault-status';

/** Shortest master password accepted, in characters after NFKC normalisation. */
export const MIN_PASSWORD_LENGTH = 8;

export interface VaultClock {
  /** Epoch ms; injectable so tests can move time. */
  now?: () => number;
}

export function assertPasswordStrength(password: string): void {
  if ([...password.normalize('NFKC')].length < MIN_PASSWORD_LENGTH) throw weakPassword(MIN_PASSWORD_LENGTH);
}

async function markCreated(subscriptionHash: string): Promise<void> {
  await Promise.all([masterPasswordCreated.setValue(true), masterPasswordCreatedFor(subscriptionHash).setValue(true)]);
}

/**
 * Creates this subscription's vault and leaves it unlocked. Throws
 * `weak_password` or `vault_exists`. `cost` is for tests and benchmarks; the
 * default is {@link CURRENT_KDF_COST}.
 */
export function createVault(subscriptionHash: string, password: string, options: { cost?: KdfCost } = {}): Promise<void> {
  assertPasswordStrength(password);
  return withVaultMutex(subscriptionHash, async () => {
    if (await hasVaultRecord(subscriptionHash)) throw vaultExists();
    const kdf = newKdfParams(options.cost ?? CURRENT_KDF_COST);
    const dataKey = generateDataKey();
    const kek = await deriveKey(password, kdf);
    try {
      const current = await sealSlot(subscriptionHash, dataKey, kek, kdf);
      const record: VaultRecord = { format: VAULT_FORMAT, createdAt: Date.now(), current };
      await insertVaultRecord(subscriptionHash, record);
      await storeSessionKey(subscriptionHash, dataKey);
      await markCreated(subscriptionHash);
    } finally {
      kek.fill(0);
      dataKey.fill(0);
    }
  });
}

/**
 * Finishes or rolls back a password change that a crash interrupted: the
 * password the user just proved decides. Skipped if the record changed meanwhile.
 */
async function settlePendingSlot(subscriptionHash: string, seen: VaultRecord, via: OpenedVault['via']): Promise<void> {
  if (!seen.pending) return;
  const kept = via === 'pending' ? seen.pending : seen.current;
  await updateVaultRecord(subscriptionHash, (stored) => {
    if (!sameSlot(stored.current, seen.current) || !sameSlot(stored.pending, seen.pending)) return stored;
    return { format: VAULT_FORMAT, createdAt: stored.createdAt, current: kept };
  });
}

/**
 * Unlocks with the master password. Throws `vault_not_found`,
 * `unlock_throttled`, `wrong_password` (nothing written but the failure
 * count), or `vault_unsupported` / `vault_damaged` for records this build cannot open.
 */
export function unlock(subscriptionHash: string, password: string, { now = Date.now }: VaultClock = {}): Promise<void> {
  return withVaultMutex(subscriptionHash, async () => {
    // Read together, and written together below: the user waits for every round trip on top of the derivation.
    const [throttle, record] = await Promise.all([unlockThrottleState(subscriptionHash), readVaultRecord(subscriptionHash)]);
    assertAllowedBy(throttle, now());
    if (!record) throw vaultNotFound();
    const opened = await openVaultCounted(subscriptionHash, record, password, now, throttle.failures);
    try {
      await settlePendingSlot(subscriptionHash, record, opened.via);
      await Promise.all([storeSessionKey(subscriptionHash, opened.dataKey), markCreated(subscriptionHash)]);
    } finally {
      opened.dataKey.fill(0);
    }
  });
}

/**
 * {@link openVault}, counting a wrong password against the throttle and
 * clearing the count on success (skipped when `failuresBefore` says there is none).
 */
export async function openVaultCounted(
  subscriptionHash: string,
  record: VaultRecord,
  password: string,
  now: () => number,
  failuresBefore?: number,
): Promise<OpenedVault> {
  try {
    const opened = await openVault(subscriptionHash, record, password);
    if (failuresBefore !== 0) await clearUnlockFailures(subscriptionHash);
    return opened;
  } catch (error) {
    if (error instanceof ExtensionError && error.code === 'wrong_password') await recordUnlockFailure(subscriptionHash, now());
    throw error;
  }
}
