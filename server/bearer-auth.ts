/**
 * Guards the chat API with the access tokens oidc-provider issued. Tokens are
 * opaque and looked up in the provider's store, so revoking a token, reusing a
 * refresh token or ending a session takes effect on the very next call.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { OAUTH_CLIENT_ID } from '../utils/extension-identity';
import { bearerToken, sendApiError } from './http-util';

export type TokenCheck = { ok: true; accountId: string } | { ok: false; error?: 'invalid_token'; description: string };

export async function checkAccessToken(provider: Provider, req: IncomingMessage): Promise<TokenCheck> {
  const value = bearerToken(req);
  if (!value) return { ok: false, description: 'An access token is required (Authorization: Bearer <token>).' };
  const token = await provider.AccessToken.find(value, { ignoreExpiration: true });
  if (!token || token.clientId !== OAUTH_CLIENT_ID || !token.accountId) {
    return { ok: false, error: 'invalid_token', description: 'The access token is not valid: unknown or revoked.' };
  }
  if (token.isExpired) return { ok: false, error: 'invalid_token', description: 'The access token expired.' };
  const grant = token.grantId ? await provider.Grant.find(token.grantId) : undefined;
  if (!grant) return { ok: false, error: 'invalid_token', description: 'The session behind this access token has ended.' };
  return { ok: true, accountId: token.accountId };
}

/** 401 with the challenge a client needs to tell "sign in" from "refresh": no error code when no token was sent. */
export function sendUnauthorized(res: ServerResponse, check: Extract<TokenCheck, { ok: false }>): void {
  const challenge = check.error
    ? `Bearer realm="ExpressAI", error="${check.error}", error_description="${check.description}"`
    : 'Bearer realm="ExpressAI"';
  sendApiError(res, 401, 'authentication_error', check.description, {
    code: check.error ?? 'missing_token',
    headers: { 'WWW-Authenticate': challenge },
  });
}
