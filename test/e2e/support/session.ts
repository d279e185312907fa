/**
 * The browser-neutral way into the built extension: one `ExtensionSession`
 * per browser, with the same methods in Chromium and Firefox.
 */
import type { Browser, Page } from 'puppeteer';
import type { BrowserName } from './browsers';
import type { StorageDump } from './storage-dump';

export interface PageSize {
  width: number;
  height: number;
}

/**
 * The real toolbar popup and side panel cannot be driven headless, so their
 * pages are opened as ordinary tabs at the size the browser gives them.
 */
export const POPUP_SIZE: PageSize = { width: 400, height: 600 };
export const SIDE_PANEL_SIZE: PageSize = { width: 400, height: 900 };
export const TAB_SIZE: PageSize = { width: 1280, height: 800 };

/** The size a page gets when `openPage` is not told one: the popup's and side panel's own, else a desktop tab. */
export function defaultSizeFor(path: string): PageSize {
  const file = path.replace(/^\//, '').split(/[?#]/)[0];
  return file === 'popup.html' ? POPUP_SIZE : file === 'sidepanel.html' ? SIDE_PANEL_SIZE : TAB_SIZE;
}

/** A console error or uncaught exception seen in one of the extension's contexts. */
export interface ConsoleError {
  /**
   * `unattributed`: Firefox prints `console.error` text without saying which
   * page logged it (see firefox-console.ts), so it may come from any page.
   */
  source: 'page' | 'background' | 'worker' | 'unattributed';
  /** The page or script the error came from, when the browser says. */
  url?: string;
  text: string;
}

export interface ExtensionSession {
  readonly name: BrowserName;
  /** The puppeteer browser, for what the session does not wrap. */
  readonly browser: Browser;
  /** `chrome-extension://<id>/` or `moz-extension://<uuid>/`, with the trailing slash. */
  readonly baseUrl: string;
  /** The runtime id: the Chrome extension id or the gecko id. */
  readonly extensionId: string;
  /**
   * An inert extension tab (it shows an icon and runs none of our code) for
   * evaluating extension APIs directly, e.g. planting storage. Do not close it.
   */
  readonly harness: Page;
  /** Absolute URL of an extension page, e.g. `url('popup.html')`. */
  url(path: string): string;
  /** Opens an extension page in a new foreground tab and waits for it to load; `size` defaults to {@link defaultSizeFor}. */
  openPage(path: string, size?: PageSize): Promise<Page>;
  /** Moves an extension tab to another extension page and waits for it to load. */
  navigate(page: Page, path: string): Promise<void>;
  /** Opens a web (http) page in a new tab. */
  openWebPage(url: string): Promise<Page>;
  /**
   * The tab the background opened on install (welcome.html), brought to the
   * front. Chromium does not keep a background tab's accessibility tree up to
   * date, so bring a tab to the front (`page.bringToFront()`) before using
   * `::-p-aria` selectors on it again.
   */
  welcomePage(): Promise<Page>;
  /** Waits for a tab or window whose real URL satisfies `match` (e.g. the launchWebAuthFlow window) and brings it to the front. */
  waitForPage(match: (href: string) => boolean, what: string): Promise<Page>;
  /** Sends `message` with `runtime.sendMessage` from an extension page (default: an inert harness tab) and returns the answer. */
  sendMessage(message: unknown, from?: Page): Promise<unknown>;
  /** Every storage area of the extension, values included. */
  dumpStorage(): Promise<StorageDump>;
  /** Console errors and uncaught exceptions of extension pages and the background so far. */
  consoleErrors(): ConsoleError[];
  /**
   * Ends the background's life the way the browser does (Chrome stops the
   * service worker, Firefox reloads the event page); every in-memory state is
   * gone and the next event starts a fresh one.
   */
  restartBackground(): Promise<void>;
  /** Closes the browser and removes its temporary profile. Safe to call twice. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Start with this existing profile instead of a fresh one (see restart.ts); the session removes it on close. */
  profileDir?: string;
  /** Downloads are saved here without asking (Chromium: the DevTools download behaviour; Firefox: download prefs). */
  downloadDir?: string;
  /**
   * Chromium: run headed on a private Xvfb display, where the browser's own
   * dialogs (the extension permission prompt) exist and can be answered (see
   * permission-prompt.ts); needs Xvfb and xdotool. Firefox needs none of this
   * and ignores it: its optional-permission prompts are off by pref.
   */
  nativeDialogs?: boolean;
}

/** Launches a fresh browser with a fresh profile (or `options.profileDir`) and the built extension installed. */
export async function launchExtension(name: BrowserName, options: LaunchOptions = {}): Promise<ExtensionSession> {
  if (name === 'chrome') return (await import('./chrome-session')).launchChrome(options);
  return (await import('./firefox-session')).launchFirefox(options);
}
