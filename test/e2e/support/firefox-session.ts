/**
 * {@link ExtensionSession} in Firefox. WebDriver BiDi will not navigate a tab
 * to a moz-extension:// URL, so every extension tab is opened by the
 * extension's own pages: the welcome tab the background opens on install
 * opens the harness tab, and the harness opens everything else with
 * `tabs.create` or by setting its `location`. BiDi also reports stale URLs
 * (about:blank) for those tabs, so their real URL is read from inside them.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { GECKO_ID } from '../../../utils/extension-identity';
import { createBrowserProcess, LAUNCH_SIGNAL_OPTIONS } from './browser-process';
import { E2E_TIMEOUT_MS, FIREFOX_EXTENSION_UUID, FIREFOX_PATH, extensionDir } from './browsers';
import { FIREFOX_CONSOLE_PREFS, FirefoxConsoleCapture } from './firefox-console';
import { dumpExtensionStorage, harnessPath, sendFromPage } from './harness';
import { defaultSizeFor, type ExtensionSession, type LaunchOptions } from './session';
import { pollFor } from './wait';

/** The page's real URL, or undefined while it is between documents. */
async function hrefOf(page: Page): Promise<string | undefined> {
  try {
    return await page.evaluate(() => location.href);
  } catch {
    return undefined;
  }
}

async function loadedHref(page: Page): Promise<string | undefined> {
  try {
    return await page.evaluate(() => (document.readyState === 'complete' ? location.href : undefined));
  } catch {
    return undefined;
  }
}

/** The first open page for which `match(href)` holds and that is not in `except`. */
function findPage(browser: Browser, match: (href: string) => boolean, what: string, except?: ReadonlySet<Page>): Promise<Page> {
  return pollFor(
    async () => {
      for (const page of await browser.pages()) {
        if (except?.has(page)) continue;
        const href = await loadedHref(page);
        if (href !== undefined && match(href)) return page;
      }
      return undefined;
    },
    { what },
  );
}

/** Same contract as in Chromium: the returned tab is the one in front. */
async function inFront(page: Page): Promise<Page> {
  await page.bringToFront();
  return page;
}

export async function launchFirefox(options: LaunchOptions = {}): Promise<ExtensionSession> {
  const dir = extensionDir('firefox');
  const proc = createBrowserProcess('firefox', options.profileDir);
  try {
    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      userDataDir: proc.profileDir,
      protocolTimeout: 60_000,
      ...LAUNCH_SIGNAL_OPTIONS,
      extraPrefsFirefox: {
        'xpinstall.signatures.required': false,
        'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_EXTENSION_UUID }),
        // The temporary add-on goes away when Firefox quits; a restarted browser (restart.ts) installs it again onto the same data.
        'extensions.webextensions.keepStorageOnUninstall': true,
        'extensions.webextensions.keepUuidOnUninstall': true,
        // Optional permissions asked for from a click (privacy, technicalAndInteraction) are granted without the doorhanger,
        // which a headless browser could not show: a person's "Allow", as the tests need it.
        'extensions.webextOptionalPermissionPrompts': false,
        ...FIREFOX_CONSOLE_PREFS,
        ...(options.downloadDir && {
          'browser.download.dir': options.downloadDir,
          'browser.download.folderList': 2,
          'browser.download.useDownloadDir': true,
          'browser.download.always_ask_before_handling_new_types': false,
          'browser.download.start_downloads_in_tmp_dir': false,
        }),
      },
    });
    proc.adopt(browser);
    const baseUrl = `moz-extension://${FIREFOX_EXTENSION_UUID}/`;
    const child = browser.process();
    if (!child) throw new Error('puppeteer did not expose the Firefox process');
    const capture = new FirefoxConsoleCapture(child, baseUrl);
    const extensionId = await browser.installExtension(dir);
    const url = (path: string) => new URL(path.replace(/^\//, ''), baseUrl).href;
    const welcomeUrl = url('welcome.html');
    const welcome = await findPage(browser, (href) => href === welcomeUrl, 'the welcome tab the background opens on install');

    const openFrom = async (opener: Page, target: string, active: boolean): Promise<Page> => {
      const before = new Set(await browser.pages());
      await opener.evaluate(
        (u, a) => (globalThis as unknown as { browser: { tabs: { create(p: object): Promise<unknown> } } }).browser.tabs.create({ url: u, active: a }),
        target,
        active,
      );
      return findPage(browser, (href) => href === target, `the new tab ${target}`, before);
    };
    const harness = await openFrom(welcome, url(harnessPath(dir)), false);

    const extensionTabs = async () => {
      const tabs: { page: Page; href: string }[] = [];
      for (const page of await browser.pages()) {
        const href = await hrefOf(page);
        if (href?.startsWith(baseUrl)) tabs.push({ page, href });
      }
      return tabs;
    };

    const session: ExtensionSession = {
      name: 'firefox',
      browser,
      baseUrl,
      extensionId,
      harness,
      url,
      async openPage(path, size = defaultSizeFor(path)) {
        const page = await openFrom(harness, url(path), true);
        await page.setViewport(size);
        return page;
      },
      async navigate(page, path) {
        const target = url(path);
        // The assignment unloads the document, so the evaluate may or may not return.
        await page.evaluate((u) => void (location.href = u), target).catch(() => undefined);
        await pollFor(async () => ((await loadedHref(page)) === target ? true : undefined), { what: `the tab to load ${target}` });
      },
      async openWebPage(webUrl) {
        const page = await browser.newPage();
        await page.goto(webUrl, { waitUntil: 'load', timeout: E2E_TIMEOUT_MS });
        return page;
      },
      welcomePage: async () => inFront(await findPage(browser, (href) => href === welcomeUrl, 'the welcome tab')),
      waitForPage: async (match, what) => inFront(await findPage(browser, match, what)),
      sendMessage: (message, from = harness) => sendFromPage(from, message),
      async dumpStorage() {
        return dumpExtensionStorage(harness, await extensionTabs());
      },
      consoleErrors: () => capture.all(),
      async restartBackground() {
        type Api = { runtime: { getBackgroundPage(): Promise<(Window & { e2eLife?: string }) | null> } };
        // An event page has no "stop" from outside; a reload ends its life the same way. The mark
        // tells the new page from the old one, which keeps answering until the reload happens.
        await harness.evaluate(async () => {
          const page = await (globalThis as unknown as { browser: Api }).browser.runtime.getBackgroundPage();
          if (!page) throw new Error('no background page');
          page.e2eLife = 'previous';
          page.location.reload();
        });
        await pollFor(
          async () => {
            const fresh = await harness.evaluate(async () => {
              const page = await (globalThis as unknown as { browser: Api }).browser.runtime.getBackgroundPage();
              return !!page && page.document.readyState === 'complete' && page.e2eLife === undefined;
            });
            if (!fresh) return undefined;
            return ((await sendFromPage(harness, { type: 'ping', payload: {} })) as { ok?: boolean } | undefined)?.ok || undefined;
          },
          { what: 'the reloaded background page to answer' },
        );
      },
      close: () => proc.shutdown(),
    };
    return session;
  } catch (error) {
    await proc.shutdown();
    throw error;
  }
}
