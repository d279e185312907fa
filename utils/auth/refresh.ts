/**
 * Silent refresh. Exactly one refresh runs at a time in the background; every
 * caller that needs a fresh token waits on it. A refresh that finishes after
 * a sign-out is thrown away.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2 (refresh token rotation)
 */
import * as oauth from 'oauth4webapi';
import { ExtensionError } from '../errors';
import { authSession, authStatus, authTokens, type AccessTokenRecord, type AuthSessionRecord } from '../storage-items';
import { isInvalidGrant, toAuthError } from './auth-errors';
import { getOAuthContext } from './oauth-context';
import { scheduleSessionAlarms } from './session-alarms';
import { endSession } from './session-end';
import { accessTokenRecord, clearTokens, openSession, writeSession } from './session-record';

let inflight: Promise<AccessTokenRecord> | undefined;

/**
 * A fresh access token. `staleGeneration` is the generation the caller saw
 * fail; if a newer one exists already, it is returned without a refresh.
 */
export function refreshAccessToken(staleGeneration?: number): Promise<AccessTokenRecord> {
  inflight ??= runRefresh(staleGeneration).finally(() => {
    inflight = undefined;
  });
  return inflight;
}

async function runRefresh(staleGeneration: number | undefined, now = Date.now()): Promise<AccessTokenRecord> {
  const current = await authTokens.getValue();
  if (current && staleGeneration !== undefined && current.generation > staleGeneration) return current;
  const { epoch } = await authStatus.getValue();
  const session = await authSession.getValue();
  if (!session) throw new ExtensionError('not_signed_in', 'You are not signed in.');
  if (session.expiresAt <= now) throw await endSession();
  try {
    return await rotate(session, epoch, now);
  } catch (error) {
    // Signing out revokes the grant, so a refresh caught in between fails: that is a sign-out, not an ended session.
    if ((await authStatus.getValue()).epoch !== epoch) throw signedOut();
    if (!isInvalidGrant(error)) throw toAuthError(error, 'refresh');
    // The grant is gone, unless what we used was already replaced: look once more.
    const reread = await authSession.getValue();
    if (reread && reread.generation > session.generation) return rotate(reread, epoch, now).catch(async (again: unknown) => {
      throw isInvalidGrant(again) ? await endSession() : toAuthError(again, 'refresh');
    });
    throw await endSession();
  }
}

async function rotate(session: AuthSessionRecord, epoch: number, now: number): Promise<AccessTokenRecord> {
  const ctx = await getOAuthContext();
  const secret = await openSession(session);
  const response = await oauth.refreshTokenGrantRequest(ctx.as, ctx.client, ctx.clientAuth, secret.refreshToken, ctx.http);
  const result = await oauth.processRefreshTokenResponse(ctx.as, ctx.client, response);
  if ((await authStatus.getValue()).epoch !== epoch) {
    // Signed out while this was in flight: the new tokens must not be kept.
    throw signedOut();
  }
  const generation = session.generation + 1;
  // The rotated refresh token is persisted in one write before the new access token is used.
  await writeSession(
    { subscriptionHash: session.subscriptionHash, startedAt: session.startedAt, expiresAt: session.expiresAt, generation },
    { refreshToken: result.refresh_token ?? secret.refreshToken, email: secret.email },
  );
  const tokens = accessTokenRecord(result.access_token, result.expires_in, generation, now);
  await authTokens.setValue(tokens);
  if ((await authStatus.getValue()).epoch !== epoch) {
    // The sign-out landed between the check above and these writes: undo them.
    await clearTokens();
    throw signedOut();
  }
  await scheduleSessionAlarms(tokens.expiresAt, session.expiresAt, now);
  return tokens;
}

function signedOut(): ExtensionError {
  return new ExtensionError('not_signed_in', 'You signed out.');
}
