/**
 * Master password → key-encryption key. Pages derive in a dedicated worker so
 * the UI stays responsive; where no Worker exists (Chrome's background service
 * worker, unit tests) the same Argon2id runs in-thread.
 */
import { argon2idRaw } from './argon2';
import { assertKdfParams, type KdfParams } from './kdf-params';
import { deriveInWorker, KdfWorkerUnavailable, prepareKdfWorker } from './kdf-worker-client';
import { utf8 } from './bytes';

let workerBroken = false;

/**
 * The bytes a password is derived from: NFKC-normalised UTF-8, so the same
 * password typed on another keyboard or OS (composed vs decomposed accents,
 * full-width forms, ligatures) opens the vault.
 */
export function normalizePassword(password: string): Uint8Array {
  return utf8(password.normalize('NFKC'));
}

/**
 * Call when a form that will derive a key appears: the next {@link deriveKey}
 * then starts sooner (~50 ms here). Returns the clean-up for when it goes.
 */
export function prepareKeyDerivation(): () => void {
  return typeof Worker === 'function' && !workerBroken ? prepareKdfWorker() : () => undefined;
}

/** Derives the 32-byte key-encryption key; throws `vault_unsupported` for parameters this build cannot run. */
export async function deriveKey(password: string, params: KdfParams): Promise<Uint8Array> {
  assertKdfParams(params);
  const bytes = normalizePassword(password);
  try {
    if (typeof Worker === 'function' && !workerBroken) {
      try {
        return await deriveInWorker(bytes, params);
      } catch (error) {
        if (!(error instanceof KdfWorkerUnavailable)) throw error;
        // A page whose worker cannot load still works, at the cost of a short freeze.
        workerBroken = true;
      }
    }
    return await argon2idRaw(bytes, params);
  } finally {
    bytes.fill(0);
  }
}
