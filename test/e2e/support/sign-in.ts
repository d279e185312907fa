/**
 * Signing in the way a person does: "Sign in" in an extension page, then the
 * local service's real sign-in and consent pages in the window that
 * `identity.launchWebAuthFlow` opens.
 */
import type { Page } from 'puppeteer';
import { serviceUrl } from './service-controls';
import type { ExtensionSession } from './session';

export const ACCOUNTS = {
  alice: { email: 'alice@example.com', password: 'alice-dev-password' },
  bob: { email: 'bob@example.com', password: 'bob-dev-password' },
} as const;
export type AccountName = keyof typeof ACCOUNTS;

export const button = (name: string) => `::-p-aria([name="${name}"][role="button"])`;
export const textbox = (name: string) => `::-p-aria([name="${name}"][role="textbox"])`;

/** Clicks "Sign in" (or "Try again") on `page` and returns the provider's window. */
export async function startSignIn(session: ExtensionSession, page: Page, label = 'Sign in'): Promise<Page> {
  await page.bringToFront();
  await (await withPageText(page, page.waitForSelector(button(label))))!.click();
  const origin = serviceUrl();
  return session.waitForPage((href) => href.startsWith(`${origin}/`), 'the ExpressAI sign-in window');
}

/** Fills in the provider's sign-in and consent pages, ending with "Allow". */
export async function completeProviderPages(auth: Page, account: AccountName): Promise<void> {
  const { email, password } = ACCOUNTS[account];
  await (await auth.waitForSelector(textbox('Email')))!.type(email);
  await (await auth.waitForSelector('::-p-aria([name="Password"])'))!.type(password);
  await Promise.all([auth.waitForNavigation(), (await auth.waitForSelector(button('Sign in')))!.click()]);
  await (await auth.waitForSelector(button('Allow')))!.click();
}

/** Signs `account` in from `page` (default: a new popup tab) and waits until the page says so. */
export async function signInAs(session: ExtensionSession, account: AccountName, page?: Page): Promise<Page> {
  const from = page ?? (await session.openPage('popup.html'));
  const auth = await startSignIn(session, from);
  await completeProviderPages(auth, account);
  await waitForSignedIn(from, account);
  return from;
}

export async function waitForSignedIn(page: Page, account: AccountName): Promise<void> {
  await page.bringToFront();
  await withPageText(page, page.waitForFunction((email) => document.body.innerText.includes(`Signed in as ${email}`), { timeout: 30_000 }, ACCOUNTS[account].email));
}

/** Waits until `page` shows `text` (an account message, an error). */
export async function waitForText(page: Page, text: string): Promise<void> {
  await withPageText(page, page.waitForFunction((t) => document.body.innerText.includes(t), { timeout: 30_000 }, text));
}

/** A failed wait says what the page showed instead, which is most of what a failure report needs. */
async function withPageText<T>(page: Page, wait: Promise<T>): Promise<T> {
  try {
    return await wait;
  } catch (error) {
    const shown = await page.evaluate(() => document.body.innerText).catch(() => '(page unreadable)');
    throw new Error(`${(error as Error).message}\nThe page showed:\n${shown.slice(0, 800)}`, { cause: error });
  }
}
