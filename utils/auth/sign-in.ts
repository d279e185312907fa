/**
 * Sign-in: authorization code + PKCE through `identity.launchWebAuthFlow`,
 * one token exchange per code, then the session is stored.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc7636
 */
import * as oauth from 'oauth4webapi';
import { browser } from 'wxt/browser';
import { ExtensionError } from '../errors';
import { authFlow, authTokens, type PendingAuthFlow } from '../storage-items';
import { hashSubscription } from '../subscription-hash';
import { toAuthError } from './auth-errors';
import { readStatus, setStatus, toView, type AuthStatusView } from './auth-status';
import { claimCode, finishCode } from './code-ledger';
import { getOAuthContext, type OAuthContext } from './oauth-context';
import { authorizationUrl, createPendingFlow } from './pkce';
import { scheduleSessionAlarms } from './session-alarms';
import { accessTokenRecord, SESSION_MAX_MS, writeSession } from './session-record';

/** A sign-in attempt older than this is abandoned; codes are long dead by then. */
export const FLOW_TTL_MS = 10 * 60 * 1000;

/** Runs the whole sign-in: opens the provider's page, then completes with what it redirects to. */
export async function signIn(now = Date.now()): Promise<AuthStatusView> {
  const status = await readStatus(now);
  if (status.state === 'signed-in') throw new ExtensionError('already_signed_in', `You are already signed in as ${status.email ?? 'your account'}.`);
  const pending = await authFlow.getValue();
  if (pending && now - pending.startedAt < FLOW_TTL_MS && status.state === 'signing-in') {
    throw new ExtensionError('auth_in_progress', 'Sign-in is already in progress in another window.');
  }
  const ctx = await getOAuthContext();
  const { flow, codeChallenge } = await createPendingFlow(browser.identity.getRedirectURL(), now);
  await authFlow.setValue(flow);
  await setStatus('signing-in');
  let redirect: string | undefined;
  try {
    redirect = await browser.identity.launchWebAuthFlow({ url: authorizationUrl(ctx.as, ctx.client.client_id, flow, codeChallenge), interactive: true });
  } catch (error) {
    // Another delivery (or a restart) may have finished this attempt while the window was open.
    const after = await readStatus();
    if (after.state === 'signed-in') return toView(after);
    throw await failAttempt(launchError(error));
  }
  if (!redirect) throw await failAttempt(new ExtensionError('auth_cancelled', 'Sign-in was cancelled.'));
  return completeSignIn(redirect);
}

/**
 * Completes a sign-in from the provider's redirect. A code that was already
 * taken up is refused with a clear message, never exchanged again.
 */
export async function completeSignIn(redirectUrl: string, now = Date.now()): Promise<AuthStatusView> {
  const params = new URL(redirectUrl).searchParams;
  const code = params.get('code');
  if (code) {
    const claim = await claimCode(code, now);
    if (claim === 'done') {
      const status = await readStatus(now);
      if (status.state === 'signed-in') throw new ExtensionError('already_signed_in', `You are already signed in as ${status.email ?? 'your account'}.`);
      throw new ExtensionError('auth_code_rejected', 'This sign-in link was already used. Please sign in again.');
    }
    if (claim === 'in-flight') throw new ExtensionError('auth_in_progress', 'Sign-in is already in progress.');
  }
  const flow = await authFlow.getValue();
  if (!flow || now - flow.startedAt >= FLOW_TTL_MS) {
    if (code) await finishCode(code, now);
    throw await failAttempt(new ExtensionError('auth_interrupted', 'This sign-in is no longer valid. Please sign in again.'));
  }
  if (!redirectUrl.startsWith(flow.redirectUri)) {
    if (code) await finishCode(code, now);
    throw await failAttempt(new ExtensionError('auth_invalid_response', 'Sign-in returned to an unexpected address.'));
  }
  const ctx = await getOAuthContext();
  let callback: URLSearchParams;
  try {
    callback = validateRedirect(ctx, params, flow);
  } catch (error) {
    if (code) await finishCode(code, now);
    throw await failAttempt(error instanceof ExtensionError ? error : toAuthError(error, 'exchange'));
  }
  try {
    return await exchange(ctx, callback, flow, now);
  } catch (error) {
    throw await failAttempt(toAuthError(error, 'exchange'));
  } finally {
    await finishCode(callback.get('code') ?? '', now);
  }
}

/**
 * Checks `state` and `error` before anything else.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-10.12 (CSRF: state must match)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 (error responses)
 */
function validateRedirect(ctx: OAuthContext, params: URLSearchParams, flow: PendingAuthFlow): URLSearchParams {
  if (params.get('state') !== flow.state) {
    throw new ExtensionError('auth_state_mismatch', 'Sign-in was refused because the response did not match this sign-in attempt. Please try again.');
  }
  try {
    return oauth.validateAuthResponse(ctx.as, ctx.client, params, flow.state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) {
      const reason = error.error === 'access_denied' ? 'access was denied' : `the service answered "${error.error}"`;
      throw new ExtensionError('auth_denied', `Sign-in was not completed: ${reason}.`);
    }
    throw error;
  }
}

/** @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 */
async function exchange(ctx: OAuthContext, callback: URLSearchParams, flow: PendingAuthFlow, now: number): Promise<AuthStatusView> {
  const response = await oauth.authorizationCodeGrantRequest(ctx.as, ctx.client, ctx.clientAuth, callback, flow.redirectUri, flow.codeVerifier, ctx.http);
  const result = await oauth.processAuthorizationCodeResponse(ctx.as, ctx.client, response, { expectedNonce: flow.nonce, requireIdToken: true });
  const claims = oauth.getValidatedIdTokenClaims(result);
  const krn = typeof claims?.krn === 'string' ? claims.krn : undefined;
  const email = typeof claims?.email === 'string' ? claims.email : undefined;
  if (!krn || !email || !result.refresh_token) {
    throw new ExtensionError('auth_invalid_response', 'The sign-in service did not send the account details ExpressAI needs.');
  }
  const expiresAt = now + SESSION_MAX_MS;
  const subscriptionHash = hashSubscription(krn);
  await writeSession({ subscriptionHash, startedAt: now, expiresAt, generation: 0 }, { refreshToken: result.refresh_token, email });
  const tokens = accessTokenRecord(result.access_token, result.expires_in, 0, now);
  await authTokens.setValue(tokens);
  await authFlow.removeValue();
  await scheduleSessionAlarms(tokens.expiresAt, expiresAt, now);
  return toView(await setStatus('signed-in', { email, subscriptionHash }));
}

function launchError(error: unknown): ExtensionError {
  const text = error instanceof Error ? error.message : '';
  // Chrome: "Authorization page could not be loaded."; Firefox: "... could not be loaded" or a network error page.
  if (/could not be loaded|network/i.test(text)) {
    return new ExtensionError('auth_network', 'The sign-in page could not be loaded. Check your connection and try again.');
  }
  return new ExtensionError('auth_cancelled', 'Sign-in was cancelled.');
}

/** Ends the attempt: nothing of it stays stored, and every page shows the error. */
async function failAttempt(error: ExtensionError): Promise<ExtensionError> {
  await authFlow.removeValue();
  const status = await readStatus();
  if (status.state !== 'signed-in') await setStatus('error', { code: error.code, message: error.message });
  return error;
}
