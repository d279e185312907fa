/**
 * Driving the chat in the popup and side panel the way a person does: by
 * role and accessible name, with the keyboard where a person would use it.
 */
import type { Page } from 'puppeteer';
import { button, textbox, waitForText } from './sign-in';
import { pollFor } from './wait';

/** Password fields have no ARIA role in every browser; their label is their name. */
const field = (name: string) => `::-p-aria([name="${name}"])`;

export async function typeInto(page: Page, name: string, text: string): Promise<void> {
  const input = (await page.waitForSelector(field(name)))!;
  await input.click({ count: 3 });
  await input.type(text);
}

export async function click(page: Page, name: string, options: { timeout?: number } = {}): Promise<void> {
  await page.bringToFront();
  await (await page.waitForSelector(button(name), options))!.click();
}

/** First sign-in of a subscription: create its master password; leaves history unlocked. */
export async function createMasterPassword(page: Page, password: string): Promise<void> {
  await typeInto(page, 'Master password', password);
  await typeInto(page, 'Confirm master password', password);
  await click(page, 'Create master password');
  await page.waitForSelector(button('Lock now'), { timeout: 90_000 });
}

export async function unlockWith(page: Page, password: string): Promise<void> {
  await typeInto(page, 'Master password', password);
  await click(page, 'Unlock');
  await page.waitForSelector(button('Lock now'), { timeout: 90_000 });
}

/**
 * Types the question into "Message" and presses Enter, as a person would,
 * then waits until the page shows it (so the next look at the answers sees the new one).
 */
export async function ask(page: Page, question: string): Promise<void> {
  await page.bringToFront();
  const before = (await questions(page)).length;
  const box = (await page.waitForSelector(textbox('Message')))!;
  await box.click();
  await box.type(question);
  await page.keyboard.press('Enter');
  await pollFor(async () => ((await questions(page)).length > before ? true : undefined), { what: 'the question to appear' });
}

/** "New chat", then waits for the empty conversation. */
export async function newChat(page: Page): Promise<void> {
  await click(page, 'New chat');
  await pollFor(async () => ((await questions(page)).length === 0 ? true : undefined), { what: 'an empty conversation' });
  await waitForText(page, 'Ask ExpressAI anything.');
}

export interface AnswerState {
  /** `complete`, `streaming`, `stopped`, `interrupted` or `failed`. */
  status: string;
  text: string;
  /** The answer's markdown content alone. */
  markdown: string;
  alert: string;
  /** A finished answer whose text is still being drawn (its markdown is `aria-busy`). */
  rendering: boolean;
}

/** The answers on the page, oldest first. */
export function answers(page: Page): Promise<AnswerState[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('article[aria-label="ExpressAI answered"]')].map((a) => ({
      status: /is-(\w+)/.exec(a.className)?.[1] ?? '',
      text: (a as HTMLElement).innerText,
      markdown: (a.querySelector('.md') as HTMLElement | null)?.innerText ?? '',
      alert: (a.querySelector('[role="alert"]') as HTMLElement | null)?.innerText ?? '',
      rendering: a.querySelector('.md[aria-busy="true"]') !== null,
    })),
  );
}

export function questions(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('article[aria-label="You said"] .chat-user-text')].map((p) => (p as HTMLElement).innerText));
}

/** Waits until the last answer satisfies `done` (default: no longer streaming) and returns it. */
export async function lastAnswer(page: Page, done: (a: AnswerState) => boolean = (a) => a.status !== 'streaming', timeoutMs = 30_000): Promise<AnswerState> {
  try {
    return await pollFor(
      async () => {
        const last = (await answers(page)).at(-1);
        return last && !last.rendering && done(last) ? last : undefined;
      },
      { what: 'the answer', timeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    const shown = await page.evaluate(() => document.body.innerText).catch(() => '(unreadable)');
    throw new Error(`${(error as Error).message}\nThe page showed:\n${shown.slice(-1200)}`, { cause: error });
  }
}

export { waitForText };
