/**
 * Sign-in and the session, in real Chromium and Firefox against the local
 * service's real OpenID provider. Every scenario ends with the storage audit.
 */
import type { Page } from 'puppeteer';
import { afterEach, beforeAll, afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI } from '../../utils/extension-identity';
import { BROWSERS } from './support/browsers';
import { sendRequest } from './support/requests';
import { service, serviceUrl, tokenRequests } from './support/service-controls';
import { launchExtension, type ExtensionSession } from './support/session';
import { button, completeProviderPages, signInAs, startSignIn, waitForSignedIn, waitForText } from './support/sign-in';
import { expectStorageAuditPasses } from './support/storage-audit';
import type { StorageDump } from './support/storage-dump';

const KRNS = ['krn:expressai:subscription:7f3c9a1e52b84d06a9e1c4b2d8f05a37', 'krn:expressai:subscription:c41d8e6b0f2a4973b5d6e8a1f9c27b04'];
const AUTH_KEYS = ['auth_flow', 'auth_tokens', 'auth_session'];

/** Everything outside memory-backed session storage, where no token may ever be. */
function persistentAreas(dump: StorageDump): string {
  const { session: _session, ...rest } = dump;
  return JSON.stringify(rest);
}

function expectSignedOutStorage(dump: StorageDump): void {
  for (const key of AUTH_KEYS) {
    expect(dump.local).not.toHaveProperty(key);
    expect(dump.session).not.toHaveProperty(key);
  }
}

describe.each(BROWSERS)('%s: sign-in and session', (name) => {
  let session: ExtensionSession;
  let opened: Page[] = [];
  const open = async (path: string) => {
    const page = await session.openPage(path);
    opened.push(page);
    return page;
  };
  const redirectUri = name === 'chrome' ? CHROME_REDIRECT_URI : FIREFOX_REDIRECT_URI;

  beforeAll(async () => {
    session = await launchExtension(name);
  });
  afterAll(async () => {
    await session?.close();
  });
  beforeEach(async () => {
    await service.reset();
  });
  afterEach(async () => {
    for (const page of opened) await page.close().catch(() => undefined);
    opened = [];
    // A provider window left open by a failed scenario must not be picked up by the next one.
    for (const page of await session.browser.pages()) {
      const href = await page.evaluate(() => location.href).catch(() => '');
      if (href.startsWith(`${serviceUrl()}/`)) await page.close().catch(() => undefined);
    }
    expect(await sendRequest(session, 'auth.signOut', {})).toMatchObject({ ok: true, data: { state: 'signed-out' } });
    expect(await sendRequest(session, 'auth.status', {})).toMatchObject({ ok: true, data: { state: 'signed-out' } });
    expectSignedOutStorage(await session.dumpStorage());
    await expectStorageAuditPasses(session);
  });

  it('signs in through the service\'s real sign-in page with exactly one code exchange', async () => {
    await signInAs(session, 'alice', await open('popup.html'));
    expect(await tokenRequests('authorization_code')).toBe(1);
    const status = await sendRequest(session, 'auth.status', {});
    expect(status).toMatchObject({ ok: true, data: { state: 'signed-in', email: 'alice@example.com' } });
    const models = await sendRequest(session, 'api.models', {});
    expect(models).toMatchObject({ ok: true, data: { models: [{ id: 'expressai-dev' }] } });

    const dump = await session.dumpStorage();
    const all = JSON.stringify(dump);
    for (const krn of KRNS) expect(all).not.toContain(krn);
    const accessToken = (dump.session.auth_tokens as { accessToken: string }).accessToken;
    expect(accessToken.length).toBeGreaterThan(20);
    expect(persistentAreas(dump)).not.toContain(accessToken);
    expect(Object.keys(dump.session.processed_code as object)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
  });

  it('exchanges a redirect delivered twice only once, and answers the second clearly', async () => {
    const popup = await open('popup.html');
    await completeProviderPages(await startSignIn(session, popup), 'alice');
    await waitForSignedIn(popup, 'alice');
    // As the service sent it: Chromium may close the sign-in window before a page event reports the redirect.
    const redirect = (await service.lastAuthorizationRedirect()) ?? '';
    expect(redirect).toContain('code=');
    const again = await sendRequest(session, 'auth.completeSignIn', { redirectUrl: redirect });
    expect(again).toMatchObject({ ok: false, error: { code: 'already_signed_in' } });
    expect(await tokenRequests('authorization_code')).toBe(1);
    expect((await service.counters()).codeReuse).toBe(0);
  });

  it('refreshes exactly once when five contexts find the access token expired at once', async () => {
    await service.setAccessTokenTtl(2);
    await signInAs(session, 'alice', await open('popup.html'));
    await service.setAccessTokenTtl(300);
    await new Promise((r) => setTimeout(r, 2500));
    const contexts = [opened[0]!, await open('sidepanel.html'), await open('options.html'), await open('welcome.html'), await open('sidepanel.html')];
    const before = await tokenRequests('refresh_token');
    const replies = await Promise.all(contexts.map((page) => sendRequest(session, 'api.models', {}, page)));
    expect(replies.map((r) => r.ok)).toEqual([true, true, true, true, true]);
    expect((await tokenRequests('refresh_token')) - before).toBe(1);
  });



  it('signs out cleanly while a refresh is in flight', async () => {
    await service.setAccessTokenTtl(2);
    await signInAs(session, 'alice', await open('popup.html'));
    await service.setAccessTokenTtl(300);
    await service.fault('token', { type: 'delay', ms: 2000 });
    await new Promise((r) => setTimeout(r, 2500));
    const models = sendRequest(session, 'api.models', {});
    await new Promise((r) => setTimeout(r, 500));
    expect(await sendRequest(session, 'auth.signOut', {})).toMatchObject({ ok: true, data: { state: 'signed-out' } });
    expect((await models).ok).toBe(false);
    // Let the delayed refresh answer land before looking.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await sendRequest(session, 'auth.status', {})).toMatchObject({ ok: true, data: { state: 'signed-out' } });
    expectSignedOutStorage(await session.dumpStorage());
  });

  it('shows "Your session has ended — sign in again" when the server ended the session', async () => {
    await service.setAccessTokenTtl(2);
    const popup = await signInAs(session, 'alice', await open('popup.html'));
    await service.setAccessTokenTtl(300);
    await service.endSessions();
    await new Promise((r) => setTimeout(r, 2500));
    expect(await sendRequest(session, 'api.models', {})).toMatchObject({ ok: false, error: { code: 'session_ended' } });
    await waitForText(popup, 'Your session has ended — sign in again.');
    await popup.waitForSelector(button('Sign in'));
    expectSignedOutStorage(await session.dumpStorage());
  });

  it('reports a cancelled sign-in window and stores nothing', async () => {
    const popup = await open('popup.html');
    const auth = await startSignIn(session, popup);
    await auth.close();
    await waitForText(popup, 'Sign-in was cancelled.');
    await popup.waitForSelector(button('Try again'));
    expectSignedOutStorage(await session.dumpStorage());
  });

  it('reports "access was denied" when the user cancels on the provider\'s page', async () => {
    const popup = await open('popup.html');
    const auth = await startSignIn(session, popup);
    await (await auth.waitForSelector(button('Cancel')))!.click();
    await waitForText(popup, 'access was denied');
    expectSignedOutStorage(await session.dumpStorage());
  });

  it('refuses a redirect with the wrong state and exchanges nothing', async () => {
    const popup = await open('popup.html');
    const auth = await startSignIn(session, popup);
    const forged = await sendRequest(session, 'auth.completeSignIn', { redirectUrl: `${redirectUri}?code=forged-code&state=forged-state` });
    expect(forged).toMatchObject({ ok: false, error: { code: 'auth_state_mismatch' } });
    await auth.close().catch(() => undefined);
    expect(await tokenRequests('authorization_code')).toBe(0);
    expectSignedOutStorage(await session.dumpStorage());
  });

  it('reports a server error at the token endpoint, stores nothing, and the next try works', async () => {
    await service.fault('token', { type: 'status', status: 500 });
    const popup = await open('popup.html');
    await completeProviderPages(await startSignIn(session, popup), 'alice');
    await waitForText(popup, 'the service had a problem');
    expectSignedOutStorage(await session.dumpStorage());
    await completeProviderPages(await startSignIn(session, popup, 'Try again'), 'alice');
    await waitForSignedIn(popup, 'alice');
  });

  // Last: these end the background's life, which Firefox cannot fully recover from within one session.
  it('stays signed in when the background is stopped mid-session', async () => {
    await signInAs(session, 'alice', await open('popup.html'));
    await session.restartBackground();
    expect(await sendRequest(session, 'auth.status', {})).toMatchObject({ ok: true, data: { state: 'signed-in' } });
    expect(await sendRequest(session, 'api.models', {})).toMatchObject({ ok: true });
  });

  it('ends a sign-in cut off by a stopped background with a clear message, and the next try works', async () => {
    const popup = await open('popup.html');
    const auth = await startSignIn(session, popup);
    await session.restartBackground();
    // Chrome keeps the window and the new worker reports the lost attempt; Firefox closes the window
    // with the old event page, which reads as a cancellation. Either way: a clear message, no hang.
    await waitForText(popup, name === 'chrome' ? 'Sign-in was interrupted. Please try again.' : 'Sign-in was cancelled.');
    await auth.close().catch(() => undefined);
    expectSignedOutStorage(await session.dumpStorage());
    // Firefox: after its event page was reloaded from outside (a test-only stand-in for suspension),
    // launchWebAuthFlow does not complete again in that browser session; checked in Chrome only.
    if (name === 'chrome') {
      await completeProviderPages(await startSignIn(session, popup, 'Try again'), 'alice');
      await waitForSignedIn(popup, 'alice');
    }
  });

  it('keeps no console errors from all of the above', () => {
    expect(session.consoleErrors()).toEqual([]);
  });
});
