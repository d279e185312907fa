/**
 * Where an unlocked data key lives: storage.session (memory-backed, shared by
 * the background and our pages, gone when the browser closes) and, for the
 * moment of use, a non-extractable CryptoKey. Nothing is cached beside
 * storage.session, so a lock from any context takes effect everywhere at once.
 */
import { listStoredKeys, vaultSessionKeyFor } from '../storage-items';
import { fromBase64, toBase64 } from './bytes';
import { importAesKey } from './key-wrap';
import { vaultLocked } from './vault-errors';

const SESSION_KEY_PREFIX = 'vault_key_';

export async function storeSessionKey(subscriptionHash: string, dataKey: Uint8Array): Promise<void> {
  await vaultSessionKeyFor(subscriptionHash).setValue(toBase64(dataKey));
}

/** The data key as a non-extractable AES-GCM key; throws `vault_locked` when locked. */
export async function getDataKey(subscriptionHash: string): Promise<CryptoKey> {
  const encoded = await vaultSessionKeyFor(subscriptionHash).getValue();
  if (!encoded) throw vaultLocked();
  const raw = fromBase64(encoded);
  try {
    return await importAesKey(raw);
  } finally {
    raw.fill(0);
  }
}

export async function isUnlocked(subscriptionHash: string): Promise<boolean> {
  return (await vaultSessionKeyFor(subscriptionHash).getValue()) !== null;
}

/** Forgets one subscription's key, or every unlocked one. */
export async function forgetSessionKeys(subscriptionHash?: string): Promise<void> {
  if (subscriptionHash) return vaultSessionKeyFor(subscriptionHash).removeValue();
  const { session } = await listStoredKeys();
  const hashes = session.filter((key) => key.startsWith(SESSION_KEY_PREFIX) && !key.endsWith('$'));
  await Promise.all(hashes.map((key) => vaultSessionKeyFor(key.slice(SESSION_KEY_PREFIX.length)).removeValue()));
}

/** Calls back with true on unlock and false on lock, from whichever context did it. Returns an unwatch function. */
export function watchUnlocked(subscriptionHash: string, callback: (unlocked: boolean) => void): () => void {
  return vaultSessionKeyFor(subscriptionHash).watch((value) => callback(value !== null));
}
