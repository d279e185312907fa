/**
 * Argon2id through hash-wasm's WebAssembly build: about five times faster
 * than a pure-JS Argon2 at our parameters. Runs wherever it is called; the
 * page-friendly entry point is {@link deriveKey} in kdf.ts.
 */
import { argon2id } from 'hash-wasm';
import type { KdfParams } from './kdf-params';

/** Bytes of the key-encryption key the KDF produces (AES-256). */
export const DERIVED_KEY_BYTES = 32;

/** Argon2id over already-normalised password bytes. */
export function argon2idRaw(password: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  return argon2id({
    password,
    salt: params.salt,
    iterations: params.iterations,
    parallelism: params.parallelism,
    memorySize: params.memoryKiB,
    hashLength: DERIVED_KEY_BYTES,
    outputType: 'binary',
  });
}

/** What a page posts to the KDF worker. */
export interface KdfRequest {
  password: Uint8Array;
  params: KdfParams;
}

export type KdfResponse = { ok: true; key: Uint8Array } | { ok: false };

/** The worker's whole job; kept here so it can be tested without a Worker. */
export async function runKdfRequest(request: KdfRequest): Promise<KdfResponse> {
  try {
    return { ok: true, key: await argon2idRaw(request.password, request.params) };
  } catch {
    // The error text is not forwarded: it could only be a wasm/CSP failure, never useful to a user.
    return { ok: false };
  } finally {
    request.password.fill(0);
  }
}
