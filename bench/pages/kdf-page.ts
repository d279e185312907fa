/**
 * Bench-only page: Argon2id at the product's configured cost
 * (CURRENT_KDF_COST), through the product's own KDF worker module
 * (utils/vault/kdf-worker.ts, bundled beside this page as kdf-worker.js) and
 * on the page's main thread, to separate the cost of the derivation itself
 * from how the shipped unlock runs it. Exposed to the bench as `__kdfBench`.
 */
import { argon2idRaw, type KdfMessage, type KdfRequest, type KdfResponse } from '@/utils/vault/argon2';
import { normalizePassword } from '@/utils/vault/kdf';
import { CURRENT_KDF_COST, newKdfParams } from '@/utils/vault/kdf-params';

const PASSWORD = 'bench correct horse battery staple';

/**
 * Work started by the bench's `page.evaluate` runs inside a DevTools task,
 * which the Long Tasks API does not report: start from a timer instead, a
 * task of the page's own like the click that starts an unlock.
 */
const inPageTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/** How long a password form is shown before its password is sent, at the least: the product starts the worker then. */
const TYPING_MS = 1000;

/** ms from posting the request to the key arriving, in a dedicated worker started `startedBeforeMs` earlier. */
async function inWorker(startedBeforeMs: number): Promise<number> {
  const worker = new Worker(new URL('./kdf-worker.js', location.href), { type: 'module' });
  // As `prepareKdfWorker` does for a worker started ahead of the password.
  if (startedBeforeMs > 0) worker.postMessage({ warmUp: true } satisfies KdfMessage);
  // A timer, so the request is posted from a task of the page's own (see inPageTask).
  await new Promise((resolve) => setTimeout(resolve, startedBeforeMs));
  return new Promise((resolve, reject) => {
    const password = normalizePassword(PASSWORD);
    const request: KdfRequest = { password, params: newKdfParams() };
    const started = performance.now();
    worker.onmessage = (event: MessageEvent<KdfResponse>) => {
      worker.terminate();
      if (event.data.ok) resolve(performance.now() - started);
      else reject(new Error('the KDF worker failed'));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`the KDF worker did not load: ${event.message}`));
    };
    worker.postMessage(request, [password.buffer]);
  });
}

const api = {
  cost: { ...CURRENT_KDF_COST },
  /** A worker started as the request is sent: it loads and sets up Argon2id first. */
  inWorker: () => inWorker(0),
  /** A worker started when the password form appeared, as the product does (`prepareKeyDerivation`). */
  inPreparedWorker: () => inWorker(TYPING_MS),
  /** ms of the same derivation on this page's main thread (what a page does when its worker cannot start). */
  async onMainThread(): Promise<number> {
    await inPageTask();
    const started = performance.now();
    await argon2idRaw(normalizePassword(PASSWORD), newKdfParams());
    return performance.now() - started;
  },
};

export type KdfBenchApi = typeof api;
declare global {
  /** Set by this page; the bench calls it with `page.evaluate`. */
  var __kdfBench: KdfBenchApi;
}
globalThis.__kdfBench = api;
