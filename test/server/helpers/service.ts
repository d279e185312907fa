/**
 * Starts the service in-process on a random port and signs in against it
 * with oauth4webapi, the OAuth client the extension itself uses.
 */
import * as oauth from 'oauth4webapi';
import { startServer, type ServerOptions } from '../../../server/app';
import { DEV_ACCOUNTS } from '../../../server/accounts';
import { CHROME_REDIRECT_URI, OAUTH_CLIENT_ID } from '../../../utils/extension-identity';
import { BrowserSession, type Page } from './browser-session';

export const ALICE = DEV_ACCOUNTS[0]!;
export const BOB = DEV_ACCOUNTS[1]!;
export const client: oauth.Client = { client_id: OAUTH_CLIENT_ID };
export const insecure = { [oauth.allowInsecureRequests]: true } as const;

export interface TestService {
  url: string;
  as: oauth.AuthorizationServer;
  close(): Promise<void>;
  /** Calls a test control and returns its JSON. */
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

export async function startTestService(options: ServerOptions = {}): Promise<TestService> {
  const server = await startServer({ port: 0, testMode: true, ...options });
  const issuer = new URL(server.url);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  return {
    ...server,
    as,
    async control(method, path, body) {
      const response = await fetch(`${server.url}/__test/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
      if (!response.ok) throw new Error(`test control ${method} ${path}: ${response.status} ${await response.text()}`);
      return response.json();
    },
  };
}

export interface AuthorizeOptions {
  account?: { email: string; password: string };
  redirectUri?: string;
  scope?: string;
  /** 'S256' (default), 'plain', or 'none' to send no code_challenge at all. */
  pkce?: 'S256' | 'plain' | 'none';
  session?: BrowserSession;
}

export interface Authorized {
  callback: URL;
  verifier: string;
  state: string;
  redirectUri: string;
}

/** The authorization request up to the redirect back to the extension, signing in and allowing on the way. */
export async function authorize(svc: TestService, opts: AuthorizeOptions = {}): Promise<Authorized> {
  const { account = ALICE, redirectUri = CHROME_REDIRECT_URI, pkce = 'S256', session = new BrowserSession() } = opts;
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(svc.as.authorization_endpoint!);
  url.searchParams.set('client_id', OAUTH_CLIENT_ID);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', opts.scope ?? 'openid email offline_access');
  url.searchParams.set('prompt', 'consent');
  url.searchParams.set('state', state);
  if (pkce === 'S256') url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  if (pkce === 'plain') url.searchParams.set('code_challenge', verifier);
  if (pkce !== 'none') url.searchParams.set('code_challenge_method', pkce);

  let step = await session.follow(url, redirectUri);
  if ('page' in step && step.page.html.includes('>Sign in</button>')) {
    step = await session.submit(step.page, 'Sign in', { email: account.email, password: account.password }, redirectUri);
  }
  if ('page' in step && step.page.html.includes('>Allow</button>')) {
    step = await session.submit(step.page, 'Allow', {}, redirectUri);
  }
  if ('page' in step) throw new Error(`sign-in stopped on a page (${step.page.status}): ${pageText(step.page)}`);
  return { callback: step.callback, verifier, state, redirectUri };
}

/** Exchanges the code from an authorization, returning the raw token response. */
export function exchangeCode(svc: TestService, auth: Authorized, verifier = auth.verifier): Promise<Response> {
  const params = oauth.validateAuthResponse(svc.as, client, auth.callback, auth.state);
  return oauth.authorizationCodeGrantRequest(svc.as, client, oauth.None(), params, auth.redirectUri, verifier, insecure);
}

/** A complete sign-in: tokens as the extension would hold them. */
export async function signIn(svc: TestService, opts: AuthorizeOptions = {}): Promise<oauth.TokenEndpointResponse> {
  const auth = await authorize(svc, opts);
  return oauth.processAuthorizationCodeResponse(svc.as, client, await exchangeCode(svc, auth));
}

export async function refresh(svc: TestService, refreshToken: string): Promise<oauth.TokenEndpointResponse> {
  const response = await oauth.refreshTokenGrantRequest(svc.as, client, oauth.None(), refreshToken, insecure);
  return oauth.processRefreshTokenResponse(svc.as, client, response);
}

export function chat(svc: TestService, token: string | undefined, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${svc.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export function userPrompt(content: string, stream = true) {
  return { model: 'expressai-dev', stream, messages: [{ role: 'user', content }] };
}

function pageText(page: Page): string {
  const body = page.html.slice(page.html.indexOf('<body>'));
  return body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 400);
}
