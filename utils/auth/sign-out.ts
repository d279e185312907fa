/**
 * Sign-out: the session is forgotten here first, then the refresh token is
 * revoked at the server (best effort: being offline must not keep you signed in).
 * @see https://www.rfc-editor.org/rfc/rfc7009
 */
import * as oauth from 'oauth4webapi';
import { authFlow, authSession, authStatus } from '../storage-items';
import { toView, type AuthStatusView } from './auth-status';
import { getOAuthContext } from './oauth-context';
import { clearSessionAlarms } from './session-alarms';
import { clearTokens, openSession } from './session-record';

const REVOKE_TIMEOUT_MS = 5000;

export async function signOut(): Promise<AuthStatusView> {
  const { epoch } = await authStatus.getValue();
  // A new epoch first: a refresh still in flight sees it and discards its result.
  const status = { state: 'signed-out' as const, epoch: epoch + 1 };
  await authStatus.setValue(status);
  const session = await authSession.getValue();
  const secret = session ? await openSession(session).catch(() => undefined) : undefined;
  await Promise.all([clearTokens(), authFlow.removeValue(), clearSessionAlarms()]);
  if (secret) await revoke(secret.refreshToken);
  return toView(status);
}

async function revoke(refreshToken: string): Promise<void> {
  try {
    const ctx = await getOAuthContext();
    const response = await oauth.revocationRequest(ctx.as, ctx.client, ctx.clientAuth, refreshToken, {
      ...ctx.http,
      signal: AbortSignal.timeout(REVOKE_TIMEOUT_MS),
      additionalParameters: { token_type_hint: 'refresh_token' },
    });
    await oauth.processRevocationResponse(response);
  } catch {
    // Locally signed out either way; the server ends the grant by its 24-hour limit.
  }
}
