/** Maps oauth4webapi and network failures to the extension's error codes and plain words. */
import * as oauth from 'oauth4webapi';
import { ExtensionError } from '../errors';

type Step = 'discovery' | 'exchange' | 'refresh' | 'userinfo';

const STEP_WORDS: Record<Step, string> = {
  discovery: 'reach the ExpressAI sign-in service',
  exchange: 'finish signing in',
  refresh: 'renew your session',
  userinfo: 'read your account details',
};

/** Turns anything a protocol step threw into an {@link ExtensionError} that is safe to show. */
export function toAuthError(error: unknown, step: Step): ExtensionError {
  if (error instanceof ExtensionError) return error;
  // fetch() rejects with a TypeError when the network is down or the host refuses.
  if (error instanceof TypeError) {
    return new ExtensionError('auth_network', `Could not ${STEP_WORDS[step]}: the service cannot be reached. Check your connection and try again.`);
  }
  if (error instanceof oauth.ResponseBodyError) {
    if (error.error === 'invalid_grant') {
      return step === 'refresh'
        ? new ExtensionError('session_ended', 'Your session has ended — sign in again.')
        : new ExtensionError('auth_code_rejected', 'The sign-in service did not accept this sign-in. Please sign in again.');
    }
    if (error.status >= 500) return serverError(step);
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError && error.status >= 500) return serverError(step);
  if (error instanceof oauth.OperationProcessingError && isHttpStatus(error, 500)) return serverError(step);
  return new ExtensionError('auth_invalid_response', `Could not ${STEP_WORDS[step]}: the service sent an answer ExpressAI cannot accept.`);
}

function serverError(step: Step): ExtensionError {
  return new ExtensionError('auth_server', `Could not ${STEP_WORDS[step]}: the service had a problem. Please try again in a moment.`);
}

function isHttpStatus(error: oauth.OperationProcessingError, atLeast: number): boolean {
  const cause = error.cause as { status?: unknown } | undefined;
  return typeof cause?.status === 'number' && cause.status >= atLeast;
}

/** True for the refresh failures that mean the grant is gone for good. */
export function isInvalidGrant(error: unknown): boolean {
  return error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant';
}
