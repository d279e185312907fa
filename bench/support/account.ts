/**
 * Getting the extension into the state a measurement needs, the way a person
 * does: sign in from the popup through the service's real pages, create the
 * master password, lock, unlock. Controls are found by accessible name.
 */
import type { Page } from 'puppeteer';
import { button, completeProviderPages, waitForSignedIn } from '../../test/e2e/support/sign-in';
import type { BenchBrowser } from './chrome';
import { BENCH_SERVICE_ORIGIN } from './paths';

/** The master password the bench creates; any password works, the KDF cost does not depend on it. */
export const BENCH_PASSWORD = 'bench correct horse battery staple';

/** Password fields have no ARIA role in every browser; their label is their name. */
const field = (name: string) => `::-p-aria([name="${name}"])`;

export async function clickButton(page: Page, name: string, timeout = 30_000): Promise<void> {
  await page.bringToFront();
  await (await page.waitForSelector(button(name), { timeout }))!.click();
}

export async function typeInto(page: Page, name: string, text: string): Promise<void> {
  const input = (await page.waitForSelector(field(name)))!;
  await input.click({ count: 3 });
  await input.type(text);
}

/** Signs alice in from a new popup tab and returns it. */
export async function signIn(bench: BenchBrowser): Promise<Page> {
  // The welcome tab the install opens takes the foreground: a popup tab opened before it ends up hidden, where
  // headless Chromium stops updating what the accessibility queries see.
  await bench.browser.waitForTarget((t) => t.url() === bench.url('welcome.html'), { timeout: 10_000 }).catch(() => undefined);
  const popup = await bench.open('popup.html');
  await clickButton(popup, 'Sign in');
  const target = await bench.browser.waitForTarget((t) => t.type() === 'page' && t.url().startsWith(`${BENCH_SERVICE_ORIGIN}/`), { timeout: 30_000 });
  const auth = await target.page();
  if (!auth) throw new Error('the sign-in window has no page');
  await auth.bringToFront();
  await completeProviderPages(auth, 'alice');
  await waitForSignedIn(popup, 'alice');
  return popup;
}

/** Creates the master password on a page showing the create form; waits until history is unlocked. */
export async function createMasterPassword(page: Page, password = BENCH_PASSWORD): Promise<void> {
  await typeInto(page, 'Master password', password);
  await typeInto(page, 'Confirm master password', password);
  await clickButton(page, 'Create master password');
  await page.waitForSelector(button('Lock now'), { timeout: 120_000 });
}

/** Signed in, master password created, history unlocked: where the chat lives. Returns the popup tab. */
export async function readyToChat(bench: BenchBrowser): Promise<Page> {
  const popup = await signIn(bench);
  await createMasterPassword(popup);
  return popup;
}

export async function lockNow(page: Page): Promise<void> {
  await clickButton(page, 'Lock now');
  await page.waitForSelector(button('Unlock'), { timeout: 30_000 });
}

/** The signed-in subscription's hash (the vault's and the history database's name), asked of the background. */
export async function subscriptionHash(page: Page): Promise<string> {
  const reply = (await page.evaluate(() => (globalThis as any).chrome.runtime.sendMessage({ type: 'auth.status', payload: {} }))) as {
    ok: boolean;
    data?: { subscriptionHash?: string };
  };
  const hash = reply.ok ? reply.data?.subscriptionHash : undefined;
  if (!hash) throw new Error(`not signed in: ${JSON.stringify(reply)}`);
  return hash;
}
