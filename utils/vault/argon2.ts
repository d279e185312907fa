/**
 * Argon2id through hash-wasm's WebAssembly build: about five times faster
 * than a pure-JS Argon2 at our parameters. Runs wherever it is called; the
 * page-friendly entry point is {@link deriveKey} in kdf.ts.
 */
import { argon2id } from 'hash-wasm';
import { ARGON2_VERSION, type KdfParams } from './kdf-params';

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

/**
 * A derivation small enough to cost nothing but the setup every first one pays: compiling the WebAssembly and V8
 * optimising its hot loop (~40 ms here, on top of the derivation itself).
 */
const WARM_UP: KdfParams = {
  algorithm: 'argon2id',
  argon2Version: ARGON2_VERSION,
  memoryKiB: 1024,
  iterations: 3,
  parallelism: 1,
  salt: new Uint8Array(16),
};

/** Pays that setup ahead of time, e.g. in a worker started while the password is being typed. Never fails. */
export function warmUpArgon2id(): Promise<void> {
  return argon2idRaw(new Uint8Array(8), WARM_UP).then(
    () => undefined,
    () => undefined,
  );
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
