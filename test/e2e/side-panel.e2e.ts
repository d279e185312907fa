/**
 * Opening the chat beside the page, in real Chromium and Firefox.
 * - "Open side panel" in the popup: Chromium's side panel opens with the
 *   chat in it (its page appears as a target); Firefox's sidebar opens
 *   (`sidebarAction.isOpen`).
 * - The keyboard command Alt+Shift+E is not covered here: command shortcuts
 *   are browser-level, and puppeteer's keys (CDP Input.dispatchKeyEvent,
 *   BiDi input.performActions) go to the page's content, never through
 *   them, in either browser. Unit tests cover the command's manifest entry
 *   and listener (test/unit/chat-engine).
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSERS } from './support/browsers';
import { click, createMasterPassword } from './support/chat-page';
import { launchExtension, type ExtensionSession } from './support/session';
import { signInAs } from './support/sign-in';
import { pollFor } from './support/wait';

const PASSWORD = `panel e2e ${randomUUID().slice(0, 8)} lighthouse`;
type SidebarApi = { sidebarAction: { isOpen(details: object): Promise<boolean>; close(): Promise<void> } };

function sidebarIsOpen(page: Page): Promise<boolean> {
  return page.evaluate(() => (globalThis as unknown as { browser: SidebarApi }).browser.sidebarAction.isOpen({}));
}

/** Firefox opens a new extension's sidebar at install; closing it, like opening it, needs a user action: a click. */
async function closeSidebar(page: Page): Promise<void> {
  await page.bringToFront();
  await page.evaluate(() => {
    const probe = document.createElement('button');
    probe.textContent = 'e2e: close the sidebar';
    probe.addEventListener('click', () => void (globalThis as unknown as { browser: SidebarApi }).browser.sidebarAction.close().finally(() => probe.remove()));
    document.body.append(probe);
  });
  await click(page, 'e2e: close the sidebar');
  await pollFor(async () => ((await sidebarIsOpen(page)) ? undefined : true), { what: 'the sidebar to close' });
}

describe.each(BROWSERS)('%s: the side panel', (name) => {
  let session: ExtensionSession;
  let popup: Page;

  beforeAll(async () => {
    session = await launchExtension(name);
    popup = await signInAs(session, 'alice');
    await createMasterPassword(popup, PASSWORD);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('"Open side panel" in the popup opens the chat beside the page', async () => {
    if (name === 'firefox') {
      await closeSidebar(session.harness);
      await click(popup, 'Open side panel');
      await pollFor(async () => ((await sidebarIsOpen(session.harness)) ? true : undefined), { what: 'the sidebar to open' });
    } else {
      // Signed in and unlocked: the panel opens the chat-ready page (utils/chat-surfaces.ts).
      const panelUrl = session.url('sidepanel-chat.html');
      expect(session.browser.targets().some((t) => t.url() === panelUrl)).toBe(false);
      await click(popup, 'Open side panel');
      const panel = (await (await session.browser.waitForTarget((t) => t.url() === panelUrl, { timeout: 15_000 })).asPage())!;
      // The panel shows the same signed-in, unlocked chat, with the conversation list.
      await panel.waitForSelector('::-p-aria([name="Message"][role="textbox"])');
      await panel.waitForSelector('::-p-aria([name="Conversations"][role="navigation"])');
    }
    // No "could not be opened" notice.
    expect(await popup.$('[role="status"].visually-hidden')).toBeNull();
  });

  it('logged no errors', () => {
    expect(session.consoleErrors()).toEqual([]);
  });
});
