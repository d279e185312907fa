/**
 * Argon2id through openpgpjs' `argon2id` (RFC 9106 in WebAssembly, with SIMD
 * where the browser has it). Runs wherever it is called; the page-friendly
 * entry point is {@link deriveKey} in kdf.ts.
 */
import setupWasm, { type computeHash } from 'argon2id/lib/setup.js';
import simdWasm from 'argon2id/dist/simd.wasm?inline';
import plainWasm from 'argon2id/dist/no-simd.wasm?inline';
import { ARGON2_VERSION, CURRENT_KDF_COST, type KdfParams } from './kdf-params';

/** Bytes of the key-encryption key the KDF produces (AES-256). */
export const DERIVED_KEY_BYTES = 32;

/**
 * No master password is shorter (8 characters, each at least a byte), so a shorter one is wrong without deriving.
 * It also keeps the library's own length check out of the way: it refuses an empty and some one-byte passwords.
 */
export const MIN_PASSWORD_BYTES = 8;

/** Argon2id over already-normalised password bytes, with memory of its own. */
export type Argon2id = (password: Uint8Array, params: KdfParams) => Uint8Array;

// Inlined rather than fetched: the extension pages' CSP lets them connect to the service only, not to their own files.
function wasmBytes(dataUrl: string): Uint8Array<ArrayBuffer> {
  const binary = atob(dataUrl.slice(dataUrl.indexOf(',') + 1));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * An Argon2id that keeps its WebAssembly memory from one derivation to the
 * next (the library zeroes it after each). A derivation on memory already
 * touched is ~15% faster here than on fresh memory, which is what a worker
 * prepared ahead of the password gains from {@link warmUpArgon2id}.
 */
export async function createArgon2id(): Promise<Argon2id> {
  const compute: computeHash = await setupWasm(
    (imports) => WebAssembly.instantiate(wasmBytes(simdWasm), imports),
    (imports) => WebAssembly.instantiate(wasmBytes(plainWasm), imports),
  );
  return (password, params) => {
    if (params.argon2Version !== ARGON2_VERSION) throw new RangeError('unsupported Argon2 version');
    return compute({
      password,
      salt: params.salt,
      passes: params.iterations,
      parallelism: params.parallelism,
      memorySize: params.memoryKiB,
      tagLength: DERIVED_KEY_BYTES,
    });
  };
}

/** One derivation on fresh memory, which is garbage once it returns: for pages, where 64 MiB should not stay. */
export async function argon2idRaw(password: Uint8Array, params: KdfParams): Promise<Uint8Array> {
  return (await createArgon2id())(password, params);
}

/**
 * A single pass over today's memory cost: it compiles the WebAssembly, lets the engine optimise the hot loop and
 * touches every page the real derivation will use, so that one runs on warm memory.
 */
const WARM_UP: KdfParams = {
  algorithm: 'argon2id',
  argon2Version: ARGON2_VERSION,
  memoryKiB: CURRENT_KDF_COST.memoryKiB,
  iterations: 1,
  parallelism: CURRENT_KDF_COST.parallelism,
  salt: new Uint8Array(16),
};

/** Pays that setup ahead of time, e.g. in a worker started while the password is being typed. Never fails. */
export function warmUpArgon2id(argon2id: Argon2id): void {
  try {
    argon2id(new Uint8Array(8), WARM_UP);
  } catch {
    // The real derivation reports its own failure.
  }
}

/** What a page posts to the KDF worker. */
export interface KdfRequest {
  password: Uint8Array;
  params: KdfParams;
}

export type KdfResponse = { ok: true; key: Uint8Array } | { ok: false };

/** What a page posts to the KDF worker: a derivation, or first, to a worker started ahead of one, a warm-up. */
export type KdfMessage = KdfRequest | { warmUp: true };

/**
 * The worker's whole job, kept here so it can be tested without a Worker:
 * answers a request with its own `argon2id`; a warm-up gets no answer.
 */
export async function handleKdfMessage(message: KdfMessage, argon2id: Promise<Argon2id>): Promise<KdfResponse | undefined> {
  if (!('warmUp' in message)) return runKdfRequest(message, argon2id);
  // A failed setup is left for the request to report.
  await argon2id.then(warmUpArgon2id, () => undefined);
  return undefined;
}

/** Derives for one request, with `argon2id` or else an instance of its own; zeroes the password it was sent. */
export async function runKdfRequest(request: KdfRequest, argon2id?: Promise<Argon2id>): Promise<KdfResponse> {
  try {
    const derive = argon2id ? await argon2id : await createArgon2id();
    return { ok: true, key: derive(request.password, request.params) };
  } catch {
    // The error text is not forwarded: it could only be a wasm/CSP failure, never useful to a user.
    return { ok: false };
  } finally {
    request.password.fill(0);
  }
}
