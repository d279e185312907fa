/**
 * Headless Chromium with the bench build loaded unpacked, the e2e launch
 * recipe (test/e2e/support) pointed at bench/.build instead of .output. Each
 * browser gets a temporary profile that browser-process.ts removes on close,
 * and kills with the bench if the bench dies first.
 */
import puppeteer, { type Browser, type CDPSession, type Page, type Target } from 'puppeteer';
import { createBrowserProcess, LAUNCH_SIGNAL_OPTIONS } from '../../test/e2e/support/browser-process';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/e2e/support/browsers';
import { installProbe, installReadyCheck } from './probe';

export interface PageSize {
  width: number;
  height: number;
}

/** The sizes the issue measures at: the popup, and the side panel as a 400×900 tab. */
export const POPUP_SIZE: PageSize = { width: 400, height: 600 };
export const PANEL_SIZE: PageSize = { width: 400, height: 900 };

export interface OpenOptions {
  size?: PageSize;
  /** Also mark when the message box (or what shows instead) is ready. */
  readyCheck?: boolean;
}

export interface BenchBrowser {
  browser: Browser;
  baseUrl: string;
  profileDir: string;
  url(path: string): string;
  /** A new foreground tab with the probe installed, navigated to an extension page (load event awaited). */
  open(path: string, options?: OpenOptions): Promise<Page>;
  /** The extension's service worker target (started if needed by the caller). */
  worker(): Promise<Target>;
  close(): Promise<void>;
}

const TIMEOUT_MS = 60_000;

export async function launchBench(extensionDir: string): Promise<BenchBrowser> {
  const proc = createBrowserProcess('chrome');
  try {
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      pipe: true,
      enableExtensions: [extensionDir],
      userDataDir: proc.profileDir,
      args: CHROMIUM_ARGS,
      protocolTimeout: 180_000,
      ...LAUNCH_SIGNAL_OPTIONS,
    });
    proc.adopt(browser);
    const isWorker = (t: Target) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://');
    const first = await browser.waitForTarget(isWorker, { timeout: TIMEOUT_MS });
    const baseUrl = `chrome-extension://${new URL(first.url()).host}/`;
    const url = (path: string) => new URL(path.replace(/^\//, ''), baseUrl).href;
    return {
      browser,
      baseUrl,
      profileDir: proc.profileDir,
      url,
      async open(path, { size = PANEL_SIZE, readyCheck = false } = {}) {
        const page = await browser.newPage();
        await page.setViewport(size);
        // tsx compiles with keepNames, which wraps functions in `__name(…)`: give serialised functions that helper.
        await page.evaluateOnNewDocument('globalThis.__name ??= (fn) => fn;');
        await page.evaluateOnNewDocument(installProbe);
        if (readyCheck) await page.evaluateOnNewDocument(installReadyCheck);
        await page.goto(url(path), { waitUntil: 'load', timeout: TIMEOUT_MS });
        await page.bringToFront();
        return page;
      },
      worker: () => browser.waitForTarget((t) => isWorker(t) && t.url().startsWith(baseUrl), { timeout: TIMEOUT_MS }),
      close: () => proc.shutdown(),
    };
  } catch (error) {
    await proc.shutdown();
    throw error;
  }
}

/** JS heap in use after a full garbage collection, in bytes, via the DevTools protocol. */
export async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.enable');
  // Twice: the first pass can leave garbage that only becomes collectable after finalizers ran.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.send('HeapProfiler.disable');
  return usedSize;
}
