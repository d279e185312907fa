/**
 * Dedicated worker that runs Argon2id off the page's main thread, so typing
 * and animations keep going while a master password is checked. Pages start
 * it through kdf-worker-client.ts, ahead of the request when they can; it
 * answers one request and is terminated, which also frees the 64 MiB of
 * WebAssembly memory the derivation used.
 */
import { createArgon2id, handleKdfMessage, type KdfMessage, type KdfResponse } from './argon2';

interface WorkerScope {
  onmessage: ((event: MessageEvent<KdfMessage>) => void) | null;
  postMessage(message: KdfResponse, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

const argon2id = createArgon2id();
// Marked handled: a failed setup is reported to the request that meets it, not as an uncaught rejection.
argon2id.catch(() => undefined);
// In order: a page that starts this worker ahead of the password sends a warm-up first, and the request waits for it.
let queue = Promise.resolve();

scope.onmessage = (event) => {
  queue = queue.then(async () => {
    const response = await handleKdfMessage(event.data, argon2id);
    if (response) scope.postMessage(response, response.ok ? [response.key.buffer] : []);
  });
};
