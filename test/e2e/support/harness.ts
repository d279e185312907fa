/**
 * The harness tab: an extension-origin tab running none of our code, from
 * which the tests send messages, read storage and (in Firefox) open tabs.
 * It shows one of the extension's icons: any packaged file is an extension
 * page with the full `runtime` and `storage` APIs, and an image has no
 * scripts that could write storage or log errors of their own.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { collectPageStorage, type StorageDump } from './storage-dump';

/** Path (relative to the extension root) of the smallest icon the built manifest declares. */
export function harnessPath(extensionDir: string): string {
  const manifest = JSON.parse(readFileSync(path.join(extensionDir, 'manifest.json'), 'utf8')) as { icons?: Record<string, string> };
  const icons = Object.entries(manifest.icons ?? {}).sort(([a], [b]) => Number(a) - Number(b));
  const first = icons[0]?.[1];
  if (!first) throw new Error(`${extensionDir}/manifest.json declares no icons: the e2e harness tab needs one`);
  return first.replace(/^\//, '');
}

/** Sends a message from `page` the way our pages do, returning the answer. */
export function sendFromPage(page: Page, message: unknown): Promise<unknown> {
  return page.evaluate((m) => {
    type Api = { runtime: { sendMessage(message: unknown): Promise<unknown> } };
    const g = globalThis as unknown as { browser?: Api; chrome?: Api };
    return (g.browser ?? g.chrome)!.runtime.sendMessage(m);
  }, message);
}

/**
 * Reads all storage from the harness tab, and sessionStorage from every open
 * extension tab (it is per tab).
 */
export async function dumpExtensionStorage(harness: Page, extensionTabs: { page: Page; href: string }[]): Promise<StorageDump> {
  const { sessionStorage: _ignored, ...origin } = await harness.evaluate(collectPageStorage);
  const sessionStorage: StorageDump['sessionStorage'] = {};
  for (const { page, href } of extensionTabs) {
    const items = await page.evaluate(() => {
      const s = globalThis.sessionStorage;
      return Object.fromEntries(Array.from({ length: s.length }, (_, i) => s.key(i)!).map((k) => [k, s.getItem(k)!]));
    });
    if (Object.keys(items).length > 0) sessionStorage[sessionStorage[href] ? `${href} (${Object.keys(sessionStorage).length})` : href] = items;
  }
  return { ...origin, sessionStorage };
}
