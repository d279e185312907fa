/**
 * Dedicated worker that runs Argon2id off the page's main thread, so typing
 * and animations keep going while a master password is checked. Pages start
 * it through kdf-worker-client.ts, ahead of the request when they can; it
 * answers one request and is terminated, which also frees the 64 MiB of
 * WebAssembly memory the derivation used.
 */
import { createArgon2id, runKdfRequest, warmUpArgon2id, type KdfRequest, type KdfResponse } from './argon2';

interface WorkerScope {
  onmessage: ((event: MessageEvent<KdfRequest>) => void) | null;
  postMessage(message: KdfResponse, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

// A page starts this worker when it shows a password form, so the setup is done before the password is sent. A
// failed setup is left for the request to report.
const argon2id = createArgon2id();
const warm = argon2id.then(warmUpArgon2id, () => undefined);

scope.onmessage = (event) => {
  void warm.then(() => runKdfRequest(event.data, argon2id)).then((response) => {
    scope.postMessage(response, response.ok ? [response.key.buffer] : []);
  });
};
