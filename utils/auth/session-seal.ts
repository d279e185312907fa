/**
 * Encrypts the stored sign-in session (refresh token, email) with a
 * non-extractable AES-GCM key kept in IndexedDB: the raw token never sits in
 * extension storage, and the key's bytes cannot be read out, only used.
 */
import { openDB, type IDBPDatabase } from 'idb';
import type { SealedBox } from '../storage-items';

const DB_NAME = 'expressai-keys';
const STORE = 'keys';
const KEY_ID = 'session-seal';

let keyPromise: Promise<CryptoKey> | undefined;

function openKeys(): Promise<IDBPDatabase> {
  return openDB(DB_NAME, 1, { upgrade: (db) => db.createObjectStore(STORE) });
}

async function loadOrCreateKey(): Promise<CryptoKey> {
  const db = await openKeys();
  try {
    const existing = (await db.get(STORE, KEY_ID)) as CryptoKey | undefined;
    if (existing) return existing;
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const tx = db.transaction(STORE, 'readwrite');
    // Another context may have created one meanwhile: keep theirs, so nothing sealed with it is lost.
    const raced = (await tx.store.get(KEY_ID)) as CryptoKey | undefined;
    if (!raced) await tx.store.put(key, KEY_ID);
    await tx.done;
    return raced ?? key;
  } finally {
    db.close();
  }
}

function sealKey(): Promise<CryptoKey> {
  keyPromise ??= loadOrCreateKey().catch((error: unknown) => {
    keyPromise = undefined;
    throw error;
  });
  return keyPromise;
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** Encrypts a JSON value under the device key. */
export async function seal(value: unknown): Promise<SealedBox> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plaintext = new TextEncoder().encode(JSON.stringify(value));
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await sealKey(), plaintext));
  return { iv: toBase64(iv), ciphertext: toBase64(ciphertext) };
}

/** Decrypts what {@link seal} produced; throws if it was tampered with or the key is gone. */
export async function unseal<T>(box: SealedBox): Promise<T> {
  const plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(box.iv) }, await sealKey(), fromBase64(box.ciphertext));
  return JSON.parse(new TextDecoder().decode(plaintext)) as T;
}

/** Deletes the device key (erase everything). */
export async function dropSealKey(): Promise<void> {
  keyPromise = undefined;
  const db = await openKeys();
  try {
    await db.delete(STORE, KEY_ID);
  } finally {
    db.close();
  }
}
