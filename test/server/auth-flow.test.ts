import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHROME_REDIRECT_URI, FIREFOX_REDIRECT_URI, OAUTH_CLIENT_ID } from '../../utils/extension-identity';
import { BrowserSession } from './helpers/browser-session';
import { ALICE, BOB, authorize, chat, client, exchangeCode, insecure, signIn, startTestService, userPrompt, type TestService } from './helpers/service';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(() => svc.close());
beforeEach(() => svc.control('POST', 'reset'));

describe('discovery', () => {
  it('announces code + PKCE S256 only, and the endpoints the extension uses', () => {
    expect(svc.as.issuer).toBe(svc.url);
    expect(svc.as.code_challenge_methods_supported).toEqual(['S256']);
    expect(svc.as.response_types_supported).toEqual(['code']);
    expect(svc.as.token_endpoint_auth_methods_supported).toEqual(['none']);
    expect(svc.as.revocation_endpoint).toBe(`${svc.url}/token/revocation`);
    expect(svc.as.userinfo_endpoint).toBe(`${svc.url}/me`);
  });
});

describe('sign-in', () => {
  it.each([
    ['Chrome', CHROME_REDIRECT_URI],
    ['Firefox', FIREFOX_REDIRECT_URI],
  ])('completes for %s with email and KRN in the ID token and userinfo', async (_name, redirectUri) => {
    const tokens = await signIn(svc, { redirectUri });
    const claims = oauth.getValidatedIdTokenClaims(tokens)!;
    expect(claims).toMatchObject({ sub: ALICE.id, email: ALICE.email, krn: ALICE.krn, aud: OAUTH_CLIENT_ID });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.expires_in).toBe(300);
    const info = await oauth.processUserInfoResponse(svc.as, client, ALICE.id, await oauth.userInfoRequest(svc.as, client, tokens.access_token, insecure));
    expect(info).toMatchObject({ email: ALICE.email, krn: ALICE.krn });
  });

  it('gives each development account its own subscription', async () => {
    const bob = oauth.getValidatedIdTokenClaims(await signIn(svc, { account: BOB }))!;
    expect(bob).toMatchObject({ sub: BOB.id, email: BOB.email, krn: BOB.krn });
    expect(bob.krn).not.toBe(ALICE.krn);
    expect(String(bob.krn)).toMatch(/^krn:expressai:subscription:[0-9a-f]{32}$/);
  });

  it('puts krn under openid and email under the email scope', async () => {
    const claims = oauth.getValidatedIdTokenClaims(await signIn(svc, { scope: 'openid offline_access' }))!;
    expect(claims.krn).toBe(ALICE.krn);
    expect(claims.email).toBeUndefined();
  });

  it('Cancel sends access_denied back to the extension', async () => {
    const session = new BrowserSession();
    const page = await authorizeUntilPage(session);
    const step = await session.submit(page, 'Cancel', {}, CHROME_REDIRECT_URI);
    if (!('callback' in step)) throw new Error('expected a redirect to the extension');
    expect(step.callback.searchParams.get('error')).toBe('access_denied');
  });

  it('shows an error on the page for a wrong password and lets the user try again', async () => {
    const session = new BrowserSession();
    const first = await authorizeUntilPage(session);
    const wrong = await session.submit(first, 'Sign in', { email: ALICE.email, password: 'not-it' }, CHROME_REDIRECT_URI);
    if (!('page' in wrong)) throw new Error('expected the sign-in page again');
    expect(wrong.page.html).toContain('role="alert"');
    expect(wrong.page.html).toContain('Wrong email or password.');
    expect(wrong.page.html).toContain(`value="${ALICE.email}"`);
    const right = await session.submit(wrong.page, 'Sign in', { email: ALICE.email, password: ALICE.password }, CHROME_REDIRECT_URI);
    if (!('page' in right)) throw new Error('expected the consent page');
    expect(right.page.html).toContain('>Allow</button>');
    expect(right.page.html).toContain('ExpressAI wants to keep you signed in for up to 24 hours');
  });

  it('serves plain, labelled pages under a strict CSP with no external resources', async () => {
    const page = await authorizeUntilPage(new BrowserSession());
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    // Chrome applies form-action to the whole redirect chain after "Allow", which ends at the redirect URI.
    expect(csp).toContain(`form-action 'self' ${new URL(CHROME_REDIRECT_URI).origin} ${new URL(FIREFOX_REDIRECT_URI).origin}`);
    expect(page.html).toMatch(/<label for="email">Email<\/label>\s*<input id="email"/);
    expect(page.html).toMatch(/<label for="password">Password<\/label>\s*<input id="password"/);
    expect(page.html).not.toMatch(/<script|\bsrc=|https?:\/\/(?!127\.0\.0\.1)/);
    for (const account of [ALICE, BOB]) expect(page.html).toContain(account.email);
  });

  it('refuses a redirect URI that is not registered, without redirecting to it', async () => {
    const url = new URL(svc.as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: OAUTH_CLIENT_ID, redirect_uri: 'https://evil.example/', response_type: 'code', scope: 'openid' }).toString();
    const response = await fetch(url, { redirect: 'manual', headers: { Accept: 'text/html' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('redirect_uri');
  });
});

describe('PKCE', () => {
  it('is required', async () => {
    const auth = await authorize(svc, { pkce: 'none' });
    expect(() => oauth.validateAuthResponse(svc.as, client, auth.callback, auth.state)).toThrow(
      expect.objectContaining({ error: 'invalid_request', error_description: expect.stringContaining('PKCE') }),
    );
  });

  it('refuses the plain method', async () => {
    const auth = await authorize(svc, { pkce: 'plain' });
    expect(() => oauth.validateAuthResponse(svc.as, client, auth.callback, auth.state)).toThrow(
      expect.objectContaining({ error: 'invalid_request', error_description: 'not supported value of code_challenge_method' }),
    );
  });

  it('refuses a wrong verifier', async () => {
    const auth = await authorize(svc);
    const response = await exchangeCode(svc, auth, oauth.generateRandomCodeVerifier());
    await expect(oauth.processAuthorizationCodeResponse(svc.as, client, response)).rejects.toMatchObject({ error: 'invalid_grant' });
  });
});

describe('authorization code', () => {
  it('works once; a second try is refused, counted, and revokes what the first one gave', async () => {
    const auth = await authorize(svc);
    const tokens = await oauth.processAuthorizationCodeResponse(svc.as, client, await exchangeCode(svc, auth));
    expect((await chat(svc, tokens.access_token, userPrompt('hello', false))).status).toBe(200);

    const again = await exchangeCode(svc, auth);
    await expect(oauth.processAuthorizationCodeResponse(svc.as, client, again)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(await svc.control('GET', 'counters')).toMatchObject({ codeReuse: 1, tokenRequests: { authorization_code: 2 } });
    // A replayed code means it leaked: everything issued from it is revoked.
    expect((await chat(svc, tokens.access_token, userPrompt('hello', false))).status).toBe(401);
  });

  it('test mode keeps the redirect that ended the last sign-in, until reset', async () => {
    expect(await svc.control('GET', 'last-authorization-redirect')).toEqual({ location: null });
    const auth = await authorize(svc);
    expect(await svc.control('GET', 'last-authorization-redirect')).toEqual({ location: auth.callback.href });
    await svc.control('POST', 'reset');
    expect(await svc.control('GET', 'last-authorization-redirect')).toEqual({ location: null });
  });
});

async function authorizeUntilPage(session: BrowserSession) {
  const url = new URL(svc.as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: OAUTH_CLIENT_ID,
    redirect_uri: CHROME_REDIRECT_URI,
    response_type: 'code',
    scope: 'openid email offline_access',
    prompt: 'consent',
    code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
    code_challenge_method: 'S256',
  }).toString();
  const step = await session.follow(url, CHROME_REDIRECT_URI);
  if (!('page' in step)) throw new Error('expected the sign-in page');
  return step.page;
}
