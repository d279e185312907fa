/**
 * Starts the KDF worker for one derivation. A worker that cannot start (no
 * Worker in this context, or it failed to load) is reported as
 * {@link KdfWorkerUnavailable} so the caller can derive in-thread instead.
 */
import type { KdfMessage, KdfResponse } from './argon2';
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
  postMessage(message: KdfMessage, transfer: Transferable[]): void;
  terminate(): void;
}

export type KdfWorkerFactory = () => KdfWorkerLike;

// Vite's explicit worker import: WXT's page build does not rewrite `new Worker(new URL(…, import.meta.url))`,
// which left the worker out of the build and derivation on the page's main thread.
const startWorker: KdfWorkerFactory = () => new KdfWorker();

interface Prepared {
  worker: KdfWorkerLike;
  failed: boolean;
}

/** A worker started ahead of the next derivation; it holds no secret until that derivation takes it. */
let prepared: Prepared | null = null;

/**
 * Starts the worker for the next derivation now, so loading it and setting up
 * Argon2id happen while the password is typed rather than after "Unlock".
 * Returns a function that stops it if no derivation took it.
 */
export function prepareKdfWorker(createWorker = startWorker): () => void {
  if (prepared) return () => undefined;
  let entry: Prepared;
  try {
    entry = { worker: createWorker(), failed: false };
  } catch {
    return () => undefined;
  }
  entry.worker.onerror = (event) => {
    event.preventDefault();
    entry.failed = true;
  };
  // Only a worker started ahead warms up: one started with the request would make the request wait for it.
  entry.worker.postMessage({ warmUp: true }, []);
  prepared = entry;
  return () => {
    if (prepared !== entry) return;
    prepared = null;
    entry.worker.terminate();
  };
}

/**
 * Derives in the prepared worker, or else a fresh one. `password` is copied
 * before it is transferred, so the caller still holds its bytes for a
 * fallback and must zero them.
 */
export function deriveInWorker(password: Uint8Array, params: KdfParams, createWorker = startWorker): Promise<Uint8Array> {
  const ready = prepared;
  prepared = null;
  return new Promise((resolve, reject) => {
    let worker: KdfWorkerLike;
    try {
      worker = ready?.worker ?? createWorker();
    } catch {
      reject(new KdfWorkerUnavailable('the KDF worker could not be created'));
      return;
    }
    if (ready?.failed) {
      worker.terminate();
      reject(new KdfWorkerUnavailable('the KDF worker failed to load'));
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
