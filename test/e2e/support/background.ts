/**
 * Ends the background's life the way the browser does: Chrome stops the
 * service worker, Firefox reloads the event page. Either way every in-memory
 * state is gone and the next event starts a fresh one.
 */
import type { Target } from 'puppeteer';
import type { ExtensionSession } from './session';
import { E2E_TIMEOUT_MS } from './browsers';

export async function restartBackground(session: ExtensionSession): Promise<void> {
  if (session.name === 'chrome') {
    const isOurWorker = (t: Target) => t.type() === 'service_worker' && t.url().startsWith(session.baseUrl);
    const target = await session.browser.waitForTarget(isOurWorker, { timeout: E2E_TIMEOUT_MS });
    const worker = await target.worker();
    if (!worker) throw new Error('the service worker target has no worker');
    // Chrome may start a new worker at once (a page is waiting on it): wait for this one to be gone, not for none.
    const gone = new Promise<void>((resolve) => {
      const onDestroyed = (t: Target) => {
        if (t !== target) return;
        session.browser.off('targetdestroyed', onDestroyed);
        resolve();
      };
      session.browser.on('targetdestroyed', onDestroyed);
    });
    await worker.close();
    await Promise.race([
      gone,
      new Promise((_, reject) => setTimeout(() => reject(new Error('the service worker did not stop')), E2E_TIMEOUT_MS)),
    ]);
    return;
  }
  await session.harness.evaluate(async () => {
    type Api = { runtime: { getBackgroundPage(): Promise<Window | null> } };
    const page = await (globalThis as unknown as { browser: Api }).browser.runtime.getBackgroundPage();
    if (!page) throw new Error('no background page');
    page.location.reload();
  });
}
