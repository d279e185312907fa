import * as oauth from 'oauth4webapi';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserSession } from './helpers/browser-session';
import { authorize, chat, client, insecure, refresh, signIn, startTestService, userPrompt, type TestService } from './helpers/service';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(() => svc.close());
beforeEach(() => svc.control('POST', 'reset'));
afterEach(() => vi.useRealTimers());

const HOUR = 3600_000;
const chatStatus = async (token: string) => (await chat(svc, token, userPrompt('hi', false))).status;

describe('refresh tokens', () => {
  it('rotate on every use', async () => {
    const first = await signIn(svc);
    const second = await refresh(svc, first.refresh_token!);
    const third = await refresh(svc, second.refresh_token!);
    expect(new Set([first.refresh_token, second.refresh_token, third.refresh_token]).size).toBe(3);
    expect(oauth.getValidatedIdTokenClaims(third)).toMatchObject({ email: 'alice@example.com' });
    expect(await chatStatus(third.access_token)).toBe(200);
    expect(await svc.control('GET', 'counters')).toMatchObject({ tokenRequests: { authorization_code: 1, refresh_token: 2 }, refreshTokenReuse: 0 });
  });

  it('a reused one revokes the whole grant: the newest refresh and access tokens die too', async () => {
    const first = await signIn(svc);
    const second = await refresh(svc, first.refresh_token!);
    await expect(refresh(svc, first.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await svc.control('GET', 'counters')).toMatchObject({ refreshTokenReuse: 1 });
    await expect(refresh(svc, second.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await chatStatus(second.access_token)).toBe(401);
  });

  it('revoking the refresh token (sign-out) ends the grant, and is counted', async () => {
    const tokens = await signIn(svc);
    const response = await oauth.revocationRequest(svc.as, client, oauth.None(), tokens.refresh_token!, insecure);
    await oauth.processRevocationResponse(response);
    await expect(refresh(svc, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await chatStatus(tokens.access_token)).toBe(401);
    expect(await svc.control('GET', 'counters')).toMatchObject({ revocations: 1 });
  });

  it('revoking the access token revokes its refresh token too (RFC 7009 2.1 allows it; oidc-provider does it)', async () => {
    const tokens = await signIn(svc);
    await oauth.processRevocationResponse(await oauth.revocationRequest(svc.as, client, oauth.None(), tokens.access_token, insecure));
    expect(await chatStatus(tokens.access_token)).toBe(401);
    await expect(refresh(svc, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('the "end every session" control makes refresh fail with invalid_grant', async () => {
    const alice = await signIn(svc);
    const bob = await signIn(svc, { account: { email: 'bob@example.com', password: 'bob-dev-password' } });
    const { endedGrants } = await svc.control<{ endedGrants: number }>('POST', 'end-sessions');
    expect(endedGrants).toBeGreaterThanOrEqual(2);
    for (const tokens of [alice, bob]) {
      await expect(refresh(svc, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      expect(await chatStatus(tokens.access_token)).toBe(401);
    }
  });
});

describe('the sign-in session at the service', () => {
  it('lets a signed-in browser skip the password, until the "end every session" control', async () => {
    const session = new BrowserSession();
    await signIn(svc, { session });
    const wrongPassword = { email: 'alice@example.com', password: 'not-asked-for' };
    // Still signed in at the service: only the consent step is shown, so the password is never used.
    await expect(authorize(svc, { session, account: wrongPassword })).resolves.toBeDefined();
    await svc.control('POST', 'end-sessions');
    await expect(authorize(svc, { session, account: wrongPassword })).rejects.toThrow('Wrong email or password');
  });
});

describe('the 24-hour session', () => {
  it('refresh works until 24 hours after sign-in and never extends it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const signedInAt = Date.now();
    let tokens = await signIn(svc);
    for (const hours of [6, 12, 23.5]) {
      vi.setSystemTime(signedInAt + hours * HOUR);
      tokens = await refresh(svc, tokens.refresh_token!);
    }
    // Half an hour left: the new access token may not outlive the session.
    expect(tokens.expires_in).toBeLessThanOrEqual(30 * 60);
    vi.setSystemTime(signedInAt + 24 * HOUR + 1000);
    await expect(refresh(svc, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await chatStatus(tokens.access_token)).toBe(401);
  });

  it('follows sessionMaxSeconds', async () => {
    const short = await startTestService({ sessionMaxSeconds: 600 });
    try {
      vi.useFakeTimers({ toFake: ['Date'] });
      const signedInAt = Date.now();
      const tokens = await signIn(short);
      vi.setSystemTime(signedInAt + 601_000);
      await expect(refresh(short, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    } finally {
      vi.useRealTimers();
      await short.close();
    }
  });
});

describe('access-token lifetime', () => {
  it('is configurable at runtime, and an expired token gets 401 with a reason', async () => {
    expect(await svc.control('PUT', 'access-token-ttl', { seconds: 5 })).toEqual({ seconds: 5 });
    vi.useFakeTimers({ toFake: ['Date'] });
    const tokens = await signIn(svc);
    expect(tokens.expires_in).toBe(5);
    expect(await chatStatus(tokens.access_token)).toBe(200);
    vi.setSystemTime(Date.now() + 6000);
    const response = await chat(svc, tokens.access_token, userPrompt('hi', false));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await response.json()).error.message).toBe('The access token expired.');
    // The refresh token outlives it: that is what refresh is for.
    expect(await chatStatus((await refresh(svc, tokens.refresh_token!)).access_token)).toBe(200);
  });

  it('refuses a nonsense lifetime', async () => {
    const response = await fetch(`${svc.url}/__test/access-token-ttl`, { method: 'PUT', body: JSON.stringify({ seconds: 0 }) });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toContain('seconds');
  });
});
