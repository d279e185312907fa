/**
 * Where an unlocked data key lives: storage.session (memory-backed, shared by
 * the background and our pages, gone when the browser closes) and, once
 * imported, a non-extractable CryptoKey memo per context. The memo never
 * outlives the storage.session record: this context's own writes drop it at
 * once, and a watch on the record drops it when any other context locks,
 * unlocks or resets. A stopped worker loses the memo and simply imports again.
 */
import { listStoredKeys, vaultSessionKeyFor } from '../storage-items';
import { fromBase64, toBase64 } from './bytes';
import { importAesKey } from './key-wrap';
import { vaultLocked } from './vault-errors';

const SESSION_KEY_PREFIX = 'vault_key_';

interface Imported {
  key: Promise<CryptoKey>;
  unwatch: () => void;
}

/**
 * Reading storage.session and importing the key cost a few ms on every history
 * call (a search decrypts ~50 titles, a chat turn several records): import once.
 */
const imported = new Map<string, Imported>();

function forgetImported(subscriptionHash?: string): void {
  for (const [hash, entry] of imported) {
    if (subscriptionHash !== undefined && hash !== subscriptionHash) continue;
    imported.delete(hash);
    entry.unwatch();
  }
}

async function readAndImport(subscriptionHash: string): Promise<CryptoKey> {
  const encoded = await vaultSessionKeyFor(subscriptionHash).getValue();
  if (!encoded) throw vaultLocked();
  const raw = fromBase64(encoded);
  try {
    return await importAesKey(raw);
  } finally {
    raw.fill(0);
  }
}

export async function storeSessionKey(subscriptionHash: string, dataKey: Uint8Array): Promise<void> {
  forgetImported(subscriptionHash);
  await vaultSessionKeyFor(subscriptionHash).setValue(toBase64(dataKey));
}

/** The data key as a non-extractable AES-GCM key; throws `vault_locked` when locked. */
export async function getDataKey(subscriptionHash: string): Promise<CryptoKey> {
  const cached = imported.get(subscriptionHash);
  if (cached) return cached.key;
  // Watching before reading: a lock from another context between the read and the import still drops the memo.
  const unwatch = vaultSessionKeyFor(subscriptionHash).watch(() => {
    if (imported.get(subscriptionHash) === entry) forgetImported(subscriptionHash);
  });
  const entry: Imported = { key: readAndImport(subscriptionHash), unwatch };
  imported.set(subscriptionHash, entry);
  entry.key.catch(() => {
    if (imported.get(subscriptionHash) === entry) forgetImported(subscriptionHash);
  });
  return entry.key;
}

/** Whether a storage.session key name is (or is the metadata of) a vault's data key. */
export function isSessionKeyName(name: string): boolean {
  return name.startsWith(SESSION_KEY_PREFIX);
}

/** Whether `names` (storage.session's key names, see `sessionKeyNames`) hold this subscription's data key. */
export function isUnlockedIn(names: readonly string[], subscriptionHash: string): boolean {
  return names.includes(`${SESSION_KEY_PREFIX}${subscriptionHash}`);
}

export async function isUnlocked(subscriptionHash: string): Promise<boolean> {
  return (await vaultSessionKeyFor(subscriptionHash).getValue()) !== null;
}

/** Forgets one subscription's key, or every unlocked one. */
export async function forgetSessionKeys(subscriptionHash?: string): Promise<void> {
  forgetImported(subscriptionHash);
  if (subscriptionHash) return vaultSessionKeyFor(subscriptionHash).removeValue();
  const { session } = await listStoredKeys();
  const hashes = session.filter((key) => key.startsWith(SESSION_KEY_PREFIX) && !key.endsWith('$'));
  await Promise.all(hashes.map((key) => vaultSessionKeyFor(key.slice(SESSION_KEY_PREFIX.length)).removeValue()));
}

/** Calls back with true on unlock and false on lock, from whichever context did it. Returns an unwatch function. */
export function watchUnlocked(subscriptionHash: string, callback: (unlocked: boolean) => void): () => void {
  return vaultSessionKeyFor(subscriptionHash).watch((value) => callback(value !== null));
}
