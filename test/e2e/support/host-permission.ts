/**
 * Lets the extension's `permissions.request` for a host succeed without a
 * prompt, which headless browsers cannot answer.
 * - Firefox: firefox-session.ts turns optional-permission prompts off
 *   (`extensions.webextOptionalPermissionPrompts`), so a request from a click is granted.
 * - Chromium has no such switch: an unanswered prompt leaves the request
 *   pending forever. The extensions page grants the host ahead (what "Site
 *   access" there does, through `chrome.developerPrivate`), and a later
 *   request for a granted host resolves true without a prompt.
 */
import type { ExtensionSession } from './session';

export async function allowHostAhead(session: ExtensionSession, pattern: string): Promise<void> {
  if (session.name !== 'chrome') return;
  const page = await session.browser.newPage();
  try {
    await page.goto(`chrome://extensions/?id=${session.extensionId}`, { waitUntil: 'load' });
    await page.evaluate(
      (id, host) => (globalThis as unknown as { chrome: { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } } }).chrome.developerPrivate.addHostPermission(id, host),
      session.extensionId,
      pattern,
    );
  } finally {
    await page.close();
  }
}
