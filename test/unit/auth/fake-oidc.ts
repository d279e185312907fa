/**
 * An in-memory OpenID provider behind a stubbed `fetch`, for unit tests of the
 * background's sign-in. The real provider (server/) is exercised end to end.
 */
import { sha256 } from '@noble/hashes/sha2.js';

export const ISSUER = 'http://127.0.0.1:8787';
const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

interface CodeGrant {
  challenge: string;
  nonce: string;
  redirectUri: string;
  used: boolean;
}

export type Fault = 'network' | 500 | 'invalid_grant';

export function createFakeOidc(account = { email: 'alice@example.com', krn: 'krn:expressai:subscription:alice-test' }) {
  const codes = new Map<string, CodeGrant>();
  const refreshTokens = new Map<string, { active: boolean }>();
  const accessTokens = new Map<string, number>();
  const counts = { authorization_code: 0, refresh_token: 0, revocations: 0, codeReuse: 0, apiCalls: 0 };
  const faults: { token: Fault[]; api401: number } = { token: [], api401: 0 };
  let serial = 0;
  let accessTtl = 300;
  /** Resolves the next refresh only when released, to test races with it in flight. */
  let refreshGate: Promise<void> | undefined;

  const idToken = (nonce: string) => {
    const now = Math.floor(Date.now() / 1000);
    const enc = (o: object) => b64url(new TextEncoder().encode(JSON.stringify(o)));
    const claims = { iss: ISSUER, aud: 'expressai-extension', sub: 'alice', iat: now, exp: now + 600, nonce, ...account };
    return `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc(claims)}.c2ln`;
  };
  const tokens = (nonce?: string) => {
    const access = `at-${++serial}`;
    const refresh = `rt-${serial}`;
    accessTokens.set(access, Date.now() + accessTtl * 1000);
    refreshTokens.set(refresh, { active: true });
    return { access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: accessTtl, ...(nonce ? { id_token: idToken(nonce) } : {}) };
  };

  async function tokenEndpoint(form: URLSearchParams): Promise<Response> {
    const grant = form.get('grant_type') as 'authorization_code' | 'refresh_token';
    counts[grant] += 1;
    const fault = faults.token.shift();
    if (fault === 'network') throw new TypeError('Failed to fetch');
    if (fault === 500) return new Response('upstream exploded', { status: 500 });
    if (fault === 'invalid_grant') return json({ error: 'invalid_grant' }, 400);
    if (grant === 'authorization_code') {
      const entry = codes.get(form.get('code') ?? '');
      if (!entry || entry.used) {
        if (entry) counts.codeReuse += 1;
        return json({ error: 'invalid_grant' }, 400);
      }
      entry.used = true;
      const verifier = form.get('code_verifier') ?? '';
      if (b64url(sha256(new TextEncoder().encode(verifier))) !== entry.challenge) return json({ error: 'invalid_grant' }, 400);
      return json(tokens(entry.nonce));
    }
    if (refreshGate) await refreshGate;
    const rt = refreshTokens.get(form.get('refresh_token') ?? '');
    if (!rt?.active) return json({ error: 'invalid_grant' }, 400);
    rt.active = false;
    return json(tokens());
  }

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.pathname === '/.well-known/openid-configuration') {
      return json({
        issuer: ISSUER,
        authorization_endpoint: `${ISSUER}/auth`,
        token_endpoint: `${ISSUER}/token`,
        revocation_endpoint: `${ISSUER}/token/revocation`,
        jwks_uri: `${ISSUER}/jwks`,
      });
    }
    if (url.pathname === '/token') return tokenEndpoint(new URLSearchParams(await request.text()));
    if (url.pathname === '/token/revocation') {
      counts.revocations += 1;
      const rt = refreshTokens.get(new URLSearchParams(await request.text()).get('token') ?? '');
      if (rt) rt.active = false;
      return new Response(null, { status: 200 });
    }
    if (url.pathname === '/v1/models') {
      counts.apiCalls += 1;
      const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
      const expiry = accessTokens.get(token);
      if (faults.api401 > 0 || !expiry || expiry < Date.now()) {
        faults.api401 = Math.max(0, faults.api401 - 1);
        return new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
      }
      return json({ object: 'list', data: [{ id: 'expressai-dev', object: 'model' }] });
    }
    return new Response('not found', { status: 404 });
  };

  /** Plays the provider's sign-in page: answers the authorization URL with a redirect. */
  const authorize = (authUrl: string, tweak: (params: URLSearchParams) => void = () => {}): string => {
    const url = new URL(authUrl);
    const p = url.searchParams;
    const code = `code-${++serial}`;
    codes.set(code, { challenge: p.get('code_challenge') ?? '', nonce: p.get('nonce') ?? '', redirectUri: p.get('redirect_uri') ?? '', used: false });
    const out = new URLSearchParams({ code, state: p.get('state') ?? '', iss: ISSUER });
    tweak(out);
    return `${p.get('redirect_uri')}?${out}`;
  };

  return {
    fetch,
    authorize,
    counts,
    faults,
    account,
    setAccessTtl: (seconds: number) => (accessTtl = seconds),
    expireAccessTokens: () => accessTokens.forEach((_, k) => accessTokens.set(k, 0)),
    holdRefreshes: () => {
      let release!: () => void;
      refreshGate = new Promise((r) => (release = r));
      return () => {
        refreshGate = undefined;
        release();
      };
    },
  };
}
