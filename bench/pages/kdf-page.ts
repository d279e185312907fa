/**
 * Bench-only page: Argon2id at the product's configured cost
 * (CURRENT_KDF_COST), through the product's own KDF worker module
 * (utils/vault/kdf-worker.ts, bundled beside this page as kdf-worker.js) and
 * on the page's main thread, to separate the cost of the derivation itself
 * from how the shipped unlock runs it. Exposed to the bench as `__kdfBench`.
 */
import { argon2idRaw, type KdfRequest, type KdfResponse } from '@/utils/vault/argon2';
import { normalizePassword } from '@/utils/vault/kdf';
import { CURRENT_KDF_COST, newKdfParams } from '@/utils/vault/kdf-params';

const PASSWORD = 'bench correct horse battery staple';

/**
 * Work started by the bench's `page.evaluate` runs inside a DevTools task,
 * which the Long Tasks API does not report: start from a timer instead, a
 * task of the page's own like the click that starts an unlock.
 */
const inPageTask = () => new Promise((resolve) => setTimeout(resolve, 0));

const api = {
  cost: { ...CURRENT_KDF_COST },
  /** ms from posting the request to the key arriving, in a dedicated worker. */
  async inWorker(): Promise<number> {
    await inPageTask();
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./kdf-worker.js', location.href), { type: 'module' });
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
  },
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
