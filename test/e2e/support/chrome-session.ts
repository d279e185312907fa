/** {@link ExtensionSession} in Chromium: the extension is loaded unpacked at launch and tabs navigate to it directly. */
import puppeteer, { type Page, type Target } from 'puppeteer';
import { createBrowserProcess, LAUNCH_SIGNAL_OPTIONS } from './browser-process';
import { CHROMIUM_ARGS, CHROMIUM_PATH, E2E_TIMEOUT_MS, extensionDir } from './browsers';
import { ChromeConsoleCapture } from './chrome-console';
import { dumpExtensionStorage, harnessPath, sendFromPage } from './harness';
import { pollFor } from './wait';
import { defaultSizeFor, type ExtensionSession, type LaunchOptions } from './session';
import { attachScreen, startXvfb, type VirtualScreen } from './xvfb';

export async function launchChrome(options: LaunchOptions = {}): Promise<ExtensionSession> {
  const dir = extensionDir('chrome');
  const proc = createBrowserProcess('chrome', options.profileDir);
  let screen: VirtualScreen | undefined;
  const shutdown = async () => {
    await proc.shutdown();
    await screen?.stop();
  };
  try {
    screen = options.nativeDialogs ? await startXvfb() : undefined;
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM_PATH,
      headless: !screen,
      ...(screen && { env: { ...process.env, DISPLAY: screen.display } }),
      pipe: true,
      enableExtensions: [dir],
      userDataDir: proc.profileDir,
      args: CHROMIUM_ARGS,
      protocolTimeout: 60_000,
      ...LAUNCH_SIGNAL_OPTIONS,
      ...(options.downloadDir && { downloadBehavior: { policy: 'allow', downloadPath: options.downloadDir } }),
    });
    proc.adopt(browser);
    if (screen) attachScreen(browser, screen);
    const worker = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'), {
      timeout: E2E_TIMEOUT_MS,
    });
    const extensionId = new URL(worker.url()).host;
    const baseUrl = `chrome-extension://${extensionId}/`;
    const url = (path: string) => new URL(path.replace(/^\//, ''), baseUrl).href;
    const capture = new ChromeConsoleCapture(browser, baseUrl, url(harnessPath(dir)));

    const pageOf = async (target: Target): Promise<Page> => {
      const page = await target.page();
      if (!page) throw new Error(`no page for target ${target.url()}`);
      return page;
    };
    /** Chromium does not update a background tab's accessibility tree, which `::-p-aria` queries. */
    const inFront = async (page: Page) => {
      await page.bringToFront();
      return page;
    };
    const openPage = async (path: string, size = defaultSizeFor(path)) => {
      const page = await browser.newPage();
      await page.setViewport(size);
      await page.goto(url(path), { waitUntil: 'load', timeout: E2E_TIMEOUT_MS });
      return page;
    };
    const harness = await openPage(harnessPath(dir));

    const session: ExtensionSession = {
      name: 'chrome',
      browser,
      baseUrl,
      extensionId,
      harness,
      url,
      openPage,
      async navigate(page, path) {
        await page.goto(url(path), { waitUntil: 'load', timeout: E2E_TIMEOUT_MS });
      },
      async openWebPage(webUrl) {
        const page = await browser.newPage();
        await page.goto(webUrl, { waitUntil: 'load', timeout: E2E_TIMEOUT_MS });
        return page;
      },
      async welcomePage() {
        const welcome = url('welcome.html');
        return inFront(await pageOf(await browser.waitForTarget((t) => t.type() === 'page' && t.url() === welcome, { timeout: E2E_TIMEOUT_MS })));
      },
      async waitForPage(match, what) {
        try {
          return await inFront(await pageOf(await browser.waitForTarget((t) => t.type() === 'page' && match(t.url()), { timeout: E2E_TIMEOUT_MS })));
        } catch (error) {
          throw new Error(`No page appeared for ${what}: ${(error as Error).message}`);
        }
      },
      sendMessage: (message, from = harness) => sendFromPage(from, message),
      async dumpStorage() {
        const tabs = browser.targets().filter((t) => t.type() === 'page' && t.url().startsWith(baseUrl));
        // A side panel is a page target that `target.page()` does not wrap; `asPage()` does, so its sessionStorage is audited too.
        const pageOrPanel = async (t: Target) => (await t.page()) ?? (await t.asPage());
        return dumpExtensionStorage(harness, await Promise.all(tabs.map(async (t) => ({ page: await pageOrPanel(t), href: t.url() }))));
      },
      consoleErrors: () => capture.all(),
      async restartBackground() {
        await capture.releaseServiceWorkers();
        const cdp = await browser.target().createCDPSession();
        try {
          const ours = async () => {
            const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string }[] };
            return targetInfos.filter((t) => t.type === 'service_worker' && t.url.startsWith(baseUrl));
          };
          const before = await ours();
          if (before.length === 0) throw new Error('no service worker to stop');
          // DevTools' "Stop": closing the worker's target terminates it once no debugger holds it.
          for (const t of before) await cdp.send('Target.closeTarget', { targetId: t.targetId });
          await pollFor(async () => ((await ours()).some((t) => before.some((b) => b.targetId === t.targetId)) ? undefined : true), {
            what: 'the service worker to stop',
          });
        } finally {
          await cdp.detach().catch(() => undefined);
        }
      },
      close: shutdown,
    };
    return session;
  } catch (error) {
    await shutdown();
    throw error;
  }
}
