/**
 * Typed accessors for the inventory's extension-storage keys. This is the only
 * module that touches extension storage directly; everything else goes through it.
 */
import { storage } from 'wxt/utils/storage';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export const masterPasswordCreated = storage.defineItem<boolean>('local:master_password_created', {
  fallback: false,
  version: 1,
});

/** The per-subscription flag; `subscriptionHash` is the lowercase hex SHA-256 of the KRN. */
export function masterPasswordCreatedFor(subscriptionHash: string) {
  if (!SHA256_HEX.test(subscriptionHash)) throw new TypeError('expected a lowercase hex SHA-256');
  return storage.defineItem<boolean>(`local:master_password_created_${subscriptionHash}`, { fallback: false, version: 1 });
}

export interface ProcessedCodeEntry {
  state: 'in-flight' | 'done';
  expiresAt: number;
}

/** Keyed by SHA-256 hex of an authorization code; the code itself is never stored. */
export const processedCode = storage.defineItem<Record<string, ProcessedCodeEntry>>('session:processed_code', {
  fallback: {},
  version: 1,
});

/** Keys present now in extension storage, per area; values are not returned. */
export async function listStoredKeys(): Promise<{ local: string[]; session: string[] }> {
  const [local, session] = await Promise.all([storage.snapshot('local'), storage.snapshot('session')]);
  return { local: Object.keys(local), session: Object.keys(session) };
}
