/**
 * The data key (random, 256-bit) encrypts the history; a key derived from the
 * master password wraps it with AES-GCM. Changing the password re-wraps this
 * one small value and never touches the history.
 */
import { ownBytes, randomBytes } from './bytes';
import { wrongPassword } from './vault-errors';

export const DATA_KEY_BYTES = 32;
export const IV_BYTES = 12;

export interface WrappedKey {
  iv: Uint8Array;
  wrappedKey: Uint8Array;
}

export function generateDataKey(): Uint8Array<ArrayBuffer> {
  return randomBytes(DATA_KEY_BYTES);
}

/** A non-extractable AES-GCM key: once imported, its bytes cannot be read back out. */
export function importAesKey(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', ownBytes(raw), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

/** `aad` binds the wrap to its context (subscription, KDF parameters), so they cannot be swapped or downgraded. */
export async function wrapDataKey(dataKey: Uint8Array, kek: Uint8Array, aad: Uint8Array): Promise<WrappedKey> {
  const iv = randomBytes(IV_BYTES);
  const key = await importAesKey(kek);
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: ownBytes(aad) }, key, ownBytes(dataKey));
  return { iv, wrappedKey: new Uint8Array(sealed) };
}

/**
 * Unwraps, or throws `wrong_password`: a failed tag means the password (hence
 * the derived key) is wrong, or the record was altered, and the two cannot be told apart.
 */
export async function unwrapDataKey(wrapped: WrappedKey, kek: Uint8Array, aad: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const key = await importAesKey(kek);
  try {
    const raw = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: ownBytes(wrapped.iv), additionalData: ownBytes(aad) },
      key,
      ownBytes(wrapped.wrappedKey),
    );
    if (raw.byteLength !== DATA_KEY_BYTES) throw wrongPassword();
    return new Uint8Array(raw);
  } catch {
    throw wrongPassword();
  }
}
