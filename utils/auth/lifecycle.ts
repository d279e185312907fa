/** What the background does for the session when it starts and when an alarm fires. */
import type { Browser } from 'wxt/browser';
import { authFlow, authSession, authStatus } from '../storage-items';
import { setStatus } from './auth-status';
import { refreshAccessToken } from './refresh';
import { REFRESH_ALARM, SESSION_END_ALARM } from './session-alarms';
import { endSession } from './session-end';

/**
 * A background that starts while a sign-in was in progress lost the window's
 * callback with its previous life: end that attempt with a clear message
 * rather than leave every page waiting.
 */
export async function recoverInterruptedSignIn(): Promise<void> {
  const [flow, status] = await Promise.all([authFlow.getValue(), authStatus.getValue()]);
  if (!flow && status.state !== 'signing-in') return;
  await authFlow.removeValue();
  if (status.state === 'signing-in') {
    await setStatus('error', { code: 'auth_interrupted', message: 'Sign-in was interrupted. Please try again.' });
  }
}

export async function onSessionAlarm(alarm: Browser.alarms.Alarm, now = Date.now()): Promise<void> {
  if (alarm.name === SESSION_END_ALARM) {
    const session = await authSession.getValue();
    if (session && session.expiresAt <= now) await endSession();
  } else if (alarm.name === REFRESH_ALARM) {
    // Failures surface on the next real request; a background refresh has nobody to tell.
    await refreshAccessToken().catch(() => undefined);
  }
}
