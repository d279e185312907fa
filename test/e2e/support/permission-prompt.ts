/**
 * Answers "Allow" to the browser's own prompt for an optional API permission
 * (`permissions.request({ permissions: [...] })`), after a click on `page` asked for one.
 * - Firefox: nothing to do; firefox-session.ts turns the prompts off
 *   (`extensions.webextOptionalPermissionPrompts`), so the request is granted from the click.
 * - Chromium: the prompt is a native dialog ("<name> has requested additional
 *   permissions", Deny / Allow) that headless Chromium never answers, and no
 *   switch, DevTools method or `chrome.developerPrivate` call grants an API
 *   permission. So the session runs headed on its own Xvfb display
 *   (`launchExtension('chrome', { nativeDialogs: true })`) and the dialog is
 *   answered with real key presses from xdotool.
 *
 * Chromium makes that hard to do blindly, on purpose: Deny is the default
 * button and has the focus; Allow stays disabled for a moment after the
 * dialog shows; key presses that come too early are dropped. A Return at the
 * wrong moment would deny. So no key but Tab is pressed until the screen
 * proves that Tab moves the focus between two states and back (Deny, Allow,
 * Deny: Allow is enabled and nothing else is changing), then Tab once more
 * and Return, with the focus on Allow.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { E2E_TIMEOUT_MS } from './browsers';
import type { ExtensionSession } from './session';
import { pollFor } from './wait';
import { SCREEN, screenOf, type VirtualScreen } from './xvfb';

/** Longer than the dialog's fade-in and the delay before Allow is enabled, so a screen this still is the dialog at rest. */
const AT_REST_MS = 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const hasFocus = (page: Page) => page.evaluate(() => document.hasFocus());

/** The screen once two looks `gapMs` apart see the same pixels. */
async function stillScreen(screen: VirtualScreen, gapMs: number): Promise<Buffer> {
  let before = screen.pixels();
  return pollFor(
    async () => {
      await sleep(gapMs);
      const now = screen.pixels();
      if (now.equals(before)) return now;
      before = now;
      return undefined;
    },
    { what: 'the screen to stop changing', intervalMs: 0 },
  );
}

async function tab(screen: VirtualScreen): Promise<Buffer> {
  screen.xdotool('key', '--clearmodifiers', 'Tab');
  return stillScreen(screen, 250);
}

/** Focuses the X window showing `page`: the dialog belongs to it, and xdotool types into the focused window. */
async function focusWindowOf(screen: VirtualScreen, page: Page): Promise<void> {
  const title = `${await page.title()} - Chromium`;
  const exact = `^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
  const windows = screen.xdotool('search', '--name', exact).trim().split('\n').filter(Boolean);
  if (windows.length === 0) throw new Error(`No Chromium window titled "${title}" to answer the permission prompt in`);
  screen.xdotool('windowfocus', '--sync', windows[0]!);
}

/**
 * Call after the click that asked for the permission; resolves once the prompt
 * is gone. `answered` tells when the request resolved without a prompt:
 * Chromium does not ask again for a permission once granted, even after the
 * extension gave it back with `permissions.remove`.
 */
export async function allowPermissionPrompt(session: ExtensionSession, page: Page, answered: () => Promise<boolean>): Promise<void> {
  if (session.name === 'firefox') return;
  const screen = screenOf(session.browser);
  if (!screen) throw new Error("Chromium's permission prompt can only be answered in a session launched with { nativeDialogs: true }");
  try {
    await answer(screen, page, answered);
  } catch (error) {
    const shot = path.join(mkdtempSync(path.join(os.tmpdir(), 'expressai-e2e-prompt-')), 'screen.xwd');
    writeFileSync(shot, screen.pixels());
    throw new Error(`${(error as Error).message} (the screen then, as an XWD image: ${shot})`, { cause: error });
  }
}

async function answer(screen: VirtualScreen, page: Page, answered: () => Promise<boolean>): Promise<void> {
  // The dialog takes the focus from the page that asked.
  const prompted = await pollFor(async () => (!(await hasFocus(page)) ? true : (await answered()) ? false : undefined), {
    what: 'the permission prompt to appear (or the request to be answered without one)',
  });
  if (!prompted) return;
  await focusWindowOf(screen, page);
  // Out of the browser's window: over a busy page the pointer is an animated cursor, and the screen would never be still.
  screen.xdotool('mousemove', '--sync', String(SCREEN.width - 1), String(SCREEN.height - 1));

  const deadline = Date.now() + E2E_TIMEOUT_MS;
  for (;;) {
    if (Date.now() > deadline) throw new Error('The permission prompt never let the focus move to "Allow"');
    const onDeny = await stillScreen(screen, AT_REST_MS);
    const moved = await tab(screen);
    // Allow is not enabled yet (or the key came too early): the focus stayed on Deny.
    if (moved.equals(onDeny)) continue;
    if (!(await tab(screen)).equals(onDeny)) {
      throw new Error('The permission prompt changed while it was being answered; which button has the focus is unknown, so it was left unanswered');
    }
    if (!(await tab(screen)).equals(moved)) throw new Error('The permission prompt did not move the focus back to "Allow"');
    screen.xdotool('key', '--clearmodifiers', 'Return');
    break;
  }
  await pollFor(async () => ((await hasFocus(page)) ? true : undefined), { what: 'the permission prompt to close' });
}
