/** Authorized calls to the ExpressAI service, made only by the background. */
import { ExtensionError } from '../errors';
import { authSession, authTokens, type AccessTokenRecord } from '../storage-items';
import { refreshAccessToken } from './refresh';
import { endSession } from './session-end';

/** Refresh a little before expiry so a request does not leave with a token about to die. */
const EXPIRY_MARGIN_MS = 5 * 1000;

/** The current access token, refreshed first if it is missing or about to expire. */
export async function getAccessToken(now = Date.now()): Promise<AccessTokenRecord> {
  const session = await authSession.getValue();
  if (!session) throw new ExtensionError('not_signed_in', 'You are not signed in.');
  if (session.expiresAt <= now) throw await endSession();
  const tokens = await authTokens.getValue();
  if (tokens && tokens.expiresAt - EXPIRY_MARGIN_MS > now) return tokens;
  return refreshAccessToken(tokens?.generation);
}

/**
 * `fetch` with the bearer token. On a `401` it refreshes once (single-flight)
 * and retries; a caller whose token was already replaced just uses the new one.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export async function authorizedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const send = (token: AccessTokenRecord) => {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${token.accessToken}`);
    return fetch(url, { ...init, headers, credentials: 'omit' });
  };
  const token = await getAccessToken();
  const response = await send(token);
  if (response.status !== 401) return response;
  await response.body?.cancel();
  return send(await refreshAccessToken(token.generation));
}
