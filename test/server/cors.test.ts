import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROME_EXTENSION_ID } from '../../utils/extension-identity';
import { authorize, signIn, startTestService, type TestService } from './helpers/service';
import * as oauth from 'oauth4webapi';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(() => svc.close());

const CHROME = `chrome-extension://${CHROME_EXTENSION_ID}`;
const FIREFOX = 'moz-extension://0b7e1c52-6a43-4c1e-9d3f-5a2b8c7d9e10';
const preflight = (path: string, origin: string, method = 'POST') =>
  fetch(`${svc.url}${path}`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'authorization, content-type' },
  });

describe.each([
  ['Chrome', CHROME],
  ['Firefox', FIREFOX],
])('CORS for the %s extension', (_name, origin) => {
  it.each(['/v1/chat/completions', '/v1/models', '/v1/diagnostics'])('preflight for %s allows Authorization and Content-Type', async (path) => {
    const response = await preflight(path, origin);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Authorization/i);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/Content-Type/i);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('the token endpoint answers a cross-origin code exchange', async () => {
    expect((await preflight('/token', origin)).headers.get('access-control-allow-origin')).toBe(origin);
    const auth = await authorize(svc);
    const params = oauth.validateAuthResponse(svc.as, { client_id: 'expressai-extension' }, auth.callback, auth.state);
    const response = await fetch(svc.as.token_endpoint!, {
      method: 'POST',
      headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'expressai-extension', code: params.get('code')!, redirect_uri: auth.redirectUri, code_verifier: auth.verifier }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('userinfo answers the extension cross-origin', async () => {
    const tokens = await signIn(svc);
    const response = await fetch(svc.as.userinfo_endpoint!, { headers: { Origin: origin, Authorization: `Bearer ${tokens.access_token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('a refused chat call still carries CORS headers, so the extension can read the 401', async () => {
    const response = await fetch(`${svc.url}/v1/chat/completions`, { method: 'POST', headers: { Origin: origin } });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-expose-headers')).toContain('WWW-Authenticate');
  });
});

describe('other origins', () => {
  it.each(['https://evil.example', 'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'null'])('get no CORS grant from the API (%s)', async (origin) => {
    const response = await preflight('/v1/chat/completions', origin);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('cannot exchange codes at the token endpoint from a web page', async () => {
    const response = await fetch(svc.as.token_endpoint!, {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'expressai-extension', refresh_token: 'x' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect((await response.json()).error_description).toContain('not allowed');
  });
});
