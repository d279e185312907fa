/**
 * Encrypts one history record as JSON with AES-GCM: a fresh random 96-bit IV
 * per write, and additional data naming the record (store, id and every field
 * kept in clear), so a ciphertext moved to another row, store or position
 * fails authentication instead of showing up in the wrong place.
 */
import * as v from 'valibot';
import type { Sealed } from './history-db';
import { ownBytes, randomBytes, utf8 } from './bytes';
import { IV_BYTES } from './key-wrap';

const AAD_LABEL = 'expressai-history/1';

/** Additional data from the record's clear fields; the separator cannot occur in ids or numbers. */
export function recordAad(store: string, ...clearFields: (string | number)[]): Uint8Array<ArrayBuffer> {
  return utf8([AAD_LABEL, store, ...clearFields].join('\u0000'));
}

export async function sealRecord(key: CryptoKey, aad: Uint8Array, value: unknown): Promise<Sealed> {
  return sealBytes(key, aad, utf8(JSON.stringify(value)));
}

/** Seals bytes as they are (the search index snapshot), then zeroes them. */
export async function sealBytes(key: CryptoKey, aad: Uint8Array, plaintext: Uint8Array<ArrayBuffer>): Promise<Sealed> {
  const iv = randomBytes(IV_BYTES);
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: ownBytes(aad) }, key, plaintext);
  plaintext.fill(0);
  return { iv, ct: new Uint8Array(ct) };
}

/** The bytes, or undefined when they fail authentication. */
export async function openBytes(key: CryptoKey, aad: Uint8Array, sealed: Sealed): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: ownBytes(sealed.iv), additionalData: ownBytes(aad) }, key, ownBytes(sealed.ct)));
  } catch {
    return undefined;
  }
}

/** The decrypted, validated value, or undefined when the record fails authentication or its shape is wrong. */
export async function openRecord<T>(key: CryptoKey, aad: Uint8Array, sealed: Sealed, schema: v.GenericSchema<unknown, T>): Promise<T | undefined> {
  try {
    const plaintext = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: ownBytes(sealed.iv), additionalData: ownBytes(aad) }, key, ownBytes(sealed.ct));
    const parsed = v.safeParse(schema, JSON.parse(new TextDecoder().decode(plaintext)));
    return parsed.success ? parsed.output : undefined;
  } catch {
    return undefined;
  }
}
