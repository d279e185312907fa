import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { authorizedFetch, getAccessToken } from '@/utils/auth/access-token';
import { readStatus } from '@/utils/auth/auth-status';
import { onSessionAlarm } from '@/utils/auth/lifecycle';
import { resetOAuthContext } from '@/utils/auth/oauth-context';
import { refreshAccessToken } from '@/utils/auth/refresh';
import { SESSION_END_ALARM } from '@/utils/auth/session-alarms';
import { signIn } from '@/utils/auth/sign-in';
import { signOut } from '@/utils/auth/sign-out';
import { authSession, authStatus, authTokens } from '@/utils/storage-items';
import { ISSUER, createFakeOidc } from './fake-oidc';
import { dumpExtensionStorage } from './storage-dump';

let oidc: ReturnType<typeof createFakeOidc>;
const MODELS = `${ISSUER}/v1/models`;

beforeEach(async () => {
  fakeBrowser.reset();
  resetOAuthContext();
  oidc = createFakeOidc();
  vi.stubGlobal('fetch', oidc.fetch);
  vi.spyOn(fakeBrowser.identity, 'getRedirectURL').mockReturnValue('https://cohfjjbmjffeaenjgiofhalfbckieang.chromiumapp.org/');
  vi.spyOn(fakeBrowser.identity, 'launchWebAuthFlow').mockImplementation((async ({ url }: { url: string }) => oidc.authorize(url)) as never);
  await signIn();
});

describe('session refresh', () => {
  it('runs exactly one refresh for many concurrent callers holding an expired token', async () => {
    oidc.expireAccessTokens();
    const responses = await Promise.all(Array.from({ length: 5 }, () => authorizedFetch(MODELS)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(oidc.counts.refresh_token).toBe(1);
  });

  it('lets a caller whose token was already replaced retry without another refresh', async () => {
    const old = await getAccessToken();
    await refreshAccessToken(old.generation);
    const again = await refreshAccessToken(old.generation);
    expect(again.generation).toBe(old.generation + 1);
    expect(oidc.counts.refresh_token).toBe(1);
  });

  it('refreshes before use when the stored access token has expired', async () => {
    const tokens = (await authTokens.getValue())!;
    await authTokens.setValue({ ...tokens, expiresAt: Date.now() - 1 });
    const fresh = await getAccessToken();
    expect(fresh.generation).toBe(1);
    expect(oidc.counts.refresh_token).toBe(1);
  });

  it('stores the rotated refresh token before the new access token is used', async () => {
    const before = (await authSession.getValue())!;
    await refreshAccessToken(0);
    const after = (await authSession.getValue())!;
    expect(after.generation).toBe(before.generation + 1);
    expect(after.sealed.ciphertext).not.toBe(before.sealed.ciphertext);
    // The old refresh token is spent at the server; a second refresh must use the stored new one.
    oidc.expireAccessTokens();
    expect((await authorizedFetch(MODELS)).status).toBe(200);
  });

  it('ends the session cleanly when the grant is gone (invalid_grant)', async () => {
    oidc.faults.token.push('invalid_grant');
    await expect(refreshAccessToken(0)).rejects.toMatchObject({ code: 'session_ended' });
    expect(await readStatus()).toMatchObject({ state: 'ended', message: 'Your session has ended — sign in again.' });
    expect(await authSession.getValue()).toBeNull();
    expect(await authTokens.getValue()).toBeNull();
  });

  it('keeps the session when a refresh fails only because the network is down', async () => {
    oidc.faults.token.push('network');
    await expect(refreshAccessToken(0)).rejects.toMatchObject({ code: 'auth_network' });
    expect(await authSession.getValue()).not.toBeNull();
    expect((await readStatus()).state).toBe('signed-in');
  });

  it('discards a refresh that finishes after the user signed out', async () => {
    const release = oidc.holdRefreshes();
    const refresh = refreshAccessToken(0);
    await vi.waitFor(() => expect(oidc.counts.refresh_token).toBe(1));
    await signOut();
    release();
    await expect(refresh).rejects.toMatchObject({ code: 'not_signed_in' });
    expect(await authSession.getValue()).toBeNull();
    expect(await authTokens.getValue()).toBeNull();
    expect((await readStatus()).state).toBe('signed-out');
    const { all } = await dumpExtensionStorage();
    expect(all).not.toMatch(/"(at|rt)-\d+"/);
  });
});

describe('24-hour session', () => {
  it('ends the session at its limit even with valid tokens', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 24 * 60 * 60 * 1000 + 1 });
    try {
      await expect(getAccessToken()).rejects.toMatchObject({ code: 'session_ended' });
      expect((await readStatus()).state).toBe('ended');
    } finally {
      vi.useRealTimers();
    }
  });

  it('ends the session when its end alarm fires', async () => {
    const { expiresAt } = (await authSession.getValue())!;
    await onSessionAlarm({ name: SESSION_END_ALARM, scheduledTime: expiresAt }, expiresAt + 1);
    expect((await readStatus()).state).toBe('ended');
    expect(await authSession.getValue()).toBeNull();
  });

  it('never lets a refresh extend the session', async () => {
    const before = (await authSession.getValue())!;
    await refreshAccessToken(0);
    expect((await authSession.getValue())!.expiresAt).toBe(before.expiresAt);
  });

  it('comes back signed in after a browser restart (session storage emptied)', async () => {
    await fakeBrowser.storage.session.clear();
    expect(await readStatus()).toMatchObject({ state: 'signed-in', email: 'alice@example.com' });
    expect((await authorizedFetch(MODELS)).status).toBe(200);
  });
});

describe('sign-out', () => {
  it('revokes the refresh token at the server and forgets every token', async () => {
    expect(await signOut()).toEqual({ state: 'signed-out' });
    expect(oidc.counts.revocations).toBe(1);
    expect(await authSession.getValue()).toBeNull();
    expect(await authTokens.getValue()).toBeNull();
    await expect(authorizedFetch(MODELS)).rejects.toMatchObject({ code: 'not_signed_in' });
  });

  it('is never undone by a page asking for the status while the sign-out is still clearing the session', async () => {
    // The moment between "signed-out" being written and the stored session being removed.
    await authStatus.setValue({ state: 'signed-out', epoch: 1 });
    expect(await authSession.getValue()).not.toBeNull();
    expect((await readStatus()).state).toBe('signed-out');
  });

  it('signs out locally even when the server cannot be reached', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await signOut()).toEqual({ state: 'signed-out' });
    expect(await authSession.getValue()).toBeNull();
  });
});
