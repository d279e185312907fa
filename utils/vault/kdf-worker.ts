/**
 * Dedicated worker that runs Argon2id off the page's main thread, so typing
 * and animations keep going while a master password is checked. Pages start
 * it through kdf-worker-client.ts; it answers one request and is terminated,
 * which also frees the 64 MiB of WebAssembly memory the derivation used.
 */
import { runKdfRequest, type KdfRequest, type KdfResponse } from './argon2';

interface WorkerScope {
  onmessage: ((event: MessageEvent<KdfRequest>) => void) | null;
  postMessage(message: KdfResponse, transfer: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  void runKdfRequest(event.data).then((response) => {
    scope.postMessage(response, response.ok ? [response.key.buffer] : []);
  });
};
