/**
 * Timers for the session, as alarms: a stopped service worker is woken for
 * them, unlike setTimeout.
 */
import { browser } from 'wxt/browser';

export const REFRESH_ALARM = 'auth-refresh';
export const SESSION_END_ALARM = 'auth-session-end';

/** Refresh this long before the access token expires. */
const REFRESH_LEAD_MS = 60 * 1000;

/** Browsers do not fire alarms sooner than this; shorter-lived tokens are refreshed when next used. */
const MIN_ALARM_DELAY_MS = 30 * 1000;

export async function scheduleSessionAlarms(accessExpiresAt: number, sessionExpiresAt: number, now = Date.now()): Promise<void> {
  const refreshAt = Math.min(accessExpiresAt - REFRESH_LEAD_MS, sessionExpiresAt);
  await browser.alarms.create(SESSION_END_ALARM, { when: sessionExpiresAt });
  if (refreshAt - now >= MIN_ALARM_DELAY_MS) await browser.alarms.create(REFRESH_ALARM, { when: refreshAt });
  else await browser.alarms.clear(REFRESH_ALARM);
}

export async function clearSessionAlarms(): Promise<void> {
  await Promise.all([browser.alarms.clear(REFRESH_ALARM), browser.alarms.clear(SESSION_END_ALARM)]);
}
