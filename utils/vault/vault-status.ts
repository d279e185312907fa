/**
 * Whether a subscription has a vault and whether it is unlocked, and locking
 * it: what the popup and side panel need on every open. Kept apart from
 * vault-session.ts so those pages do not load the key derivation (Argon2id in
 * WebAssembly), which only creating, unlocking and changing a password use.
 */
import { historyDbExists, openHistoryDb, VAULT_RECORD_KEY } from './history-db';
import { forgetSessionKeys, isUnlocked, watchUnlocked } from './session-key';

export type VaultStatus = 'none' | 'locked' | 'unlocked';

/** Whether any record is stored, readable or not. Never creates the database. */
export async function hasVaultRecord(subscriptionHash: string): Promise<boolean> {
  if (!(await historyDbExists(subscriptionHash))) return false;
  return (await (await openHistoryDb(subscriptionHash)).count('meta', VAULT_RECORD_KEY)) > 0;
}

/** `none`: ask to create a master password; `locked`: ask for it; `unlocked`: history is readable. */
export async function vaultStatus(subscriptionHash: string): Promise<VaultStatus> {
  if (!(await hasVaultRecord(subscriptionHash))) return 'none';
  return (await isUnlocked(subscriptionHash)) ? 'unlocked' : 'locked';
}

/** Forgets the data key (this subscription's, or every one) in every context. */
export function lock(subscriptionHash?: string): Promise<void> {
  return forgetSessionKeys(subscriptionHash);
}

/**
 * Calls back with the new status whenever this subscription is unlocked or
 * locked, from any context (it watches `vault_key_{hash}` in storage.session).
 */
export function watchVaultStatus(subscriptionHash: string, callback: (status: VaultStatus) => void): () => void {
  return watchUnlocked(subscriptionHash, (unlocked) => {
    if (unlocked) callback('unlocked');
    else void vaultStatus(subscriptionHash).then(callback);
  });
}
