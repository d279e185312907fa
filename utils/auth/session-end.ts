/** Ending a session, by its 24-hour limit or because the server revoked the grant. */
import { ExtensionError } from '../errors';
import { authFlow } from '../storage-items';
import { setStatus } from './auth-status';
import { clearSessionAlarms } from './session-alarms';
import { clearTokens } from './session-record';

const ENDED_MESSAGE = 'Your session has ended — sign in again.';

/**
 * Forgets the tokens and tells every page the session ended. Drafts and
 * history are untouched: they do not live with the session.
 */
export async function endSession(): Promise<ExtensionError> {
  await Promise.all([clearTokens(), authFlow.removeValue(), clearSessionAlarms()]);
  await setStatus('ended', { code: 'session_ended', message: ENDED_MESSAGE });
  return new ExtensionError('session_ended', ENDED_MESSAGE);
}
