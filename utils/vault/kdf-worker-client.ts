/**
 * Starts the KDF worker for one derivation. A worker that cannot start (no
 * Worker in this context, or it failed to load) is reported as
 * {@link KdfWorkerUnavailable} so the caller can derive in-thread instead.
 */
import type { KdfRequest, KdfResponse } from './argon2';
import type { KdfParams } from './kdf-params';
import { ExtensionError } from '../errors';
import KdfWorker from './kdf-worker.ts?worker';

export class KdfWorkerUnavailable extends Error {
  override readonly name = 'KdfWorkerUnavailable';
}

/** The part of `Worker` we use; tests pass a fake. */
export interface KdfWorkerLike {
  onmessage: ((event: MessageEvent<KdfResponse>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  postMessage(message: KdfRequest, transfer: Transferable[]): void;
  terminate(): void;
}

export type KdfWorkerFactory = () => KdfWorkerLike;

// Vite's explicit worker import: WXT's page build does not rewrite `new Worker(new URL(…, import.meta.url))`,
// which left the worker out of the build and derivation on the page's main thread.
const startWorker: KdfWorkerFactory = () => new KdfWorker();

/**
 * Derives in a fresh worker. `password` is copied before it is transferred,
 * so the caller still holds its bytes for a fallback and must zero them.
 */
export function deriveInWorker(password: Uint8Array, params: KdfParams, createWorker = startWorker): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let worker: KdfWorkerLike;
    try {
      worker = createWorker();
    } catch {
      reject(new KdfWorkerUnavailable('the KDF worker could not be created'));
      return;
    }
    worker.onmessage = (event) => {
      worker.terminate();
      if (event.data.ok) resolve(event.data.key);
      else reject(new ExtensionError('internal_error', 'The master password could not be checked. Please try again.'));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new KdfWorkerUnavailable('the KDF worker failed to load'));
    };
    const copy = password.slice();
    worker.postMessage({ password: copy, params }, [copy.buffer]);
  });
}
