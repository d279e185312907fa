/**
 * PKCE and the one-time values of an authorization request, all from
 * `crypto.getRandomValues` through oauth4webapi.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
import * as oauth from 'oauth4webapi';
import type { PendingAuthFlow } from '../storage-items';

/** A fresh flow: 43-character verifier (32 random bytes, base64url), its S256 challenge, state and nonce. */
export async function createPendingFlow(redirectUri: string, now: number): Promise<{ flow: PendingAuthFlow; codeChallenge: string }> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const flow: PendingAuthFlow = {
    codeVerifier,
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    redirectUri,
    startedAt: now,
  };
  return { flow, codeChallenge: await oauth.calculatePKCECodeChallenge(codeVerifier) };
}

/** Scopes: `openid` (with the subscription's `krn` claim), `email` for the account, `offline_access` for the 24-hour session. */
export const SCOPES = 'openid email offline_access';

/**
 * The authorization request URL.
 * `prompt=consent` because OpenID Connect issues refresh tokens (`offline_access`) only with it;
 * `prompt=login` so that signing in from the extension always asks for the password, even
 * when the browser still holds a login at the provider (after a sign-out, or another account).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#OfflineAccess
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest (prompt)
 */
export function authorizationUrl(as: oauth.AuthorizationServer, clientId: string, flow: PendingAuthFlow, codeChallenge: string): string {
  if (!as.authorization_endpoint) throw new TypeError('the issuer has no authorization endpoint');
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: flow.redirectUri,
    response_type: 'code',
    scope: SCOPES,
    prompt: 'login consent',
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: codeChallenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
}
