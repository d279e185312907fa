/**
 * One alarm drives diagnostics: while they are on it fires once a day, a
 * random delay after the report is due; while they are off it only wakes the
 * background to drop sent-log entries as they turn 7 days old.
 */
import { browser } from 'wxt/browser';
import { diagnosticsEnabled, diagnosticsQueue } from '../storage-items';
import { withDiagnosticsLock } from './diagnostics-lock';
import { keptSentLocked, utcDay } from './diagnostics-state';
import { randomDelayMs } from './send-delay';
import { nextExpiry } from './sent-log';

export const DIAGNOSTICS_ALARM = 'diagnostics-send';

const DAY_MS = 24 * 60 * 60 * 1000;

export function startOfNextUtcDay(now: number): number {
  return (Math.floor(now / DAY_MS) + 1) * DAY_MS;
}

/** When the alarm should next fire, from the stored state; undefined when nothing needs it. */
export async function nextAlarmTime(now: number, random: () => number = Math.random): Promise<number | undefined> {
  const { enabled, lastAttemptDay, sent } = await withDiagnosticsLock(async () => ({
    enabled: await diagnosticsEnabled.getValue(),
    lastAttemptDay: (await diagnosticsQueue.getValue()).lastAttemptDay,
    sent: await keptSentLocked(now),
  }));
  if (!enabled) return nextExpiry(sent);
  // Reports go out at most once a day: after today's attempt, the next one is due tomorrow.
  const due = lastAttemptDay === utcDay(now) ? startOfNextUtcDay(now) : now;
  return due + randomDelayMs(undefined, random);
}

/** Replaces the alarm with the one the current state calls for (or none). */
export async function rescheduleDiagnostics(now = Date.now()): Promise<void> {
  const when = await nextAlarmTime(now);
  if (when === undefined) await browser.alarms.clear(DIAGNOSTICS_ALARM);
  else await browser.alarms.create(DIAGNOSTICS_ALARM, { when });
}

/** Tomorrow's alarm, set before a send: a background stopped mid-send must not lose the schedule. */
export async function scheduleFallback(now: number): Promise<void> {
  await browser.alarms.create(DIAGNOSTICS_ALARM, { when: startOfNextUtcDay(now) + randomDelayMs() });
}

/**
 * For a background that just started: alarms may not survive a browser
 * restart (Firefox drops them), so one is created when missing. An existing
 * alarm is left alone, or every restart of the worker would push it back.
 */
export async function ensureDiagnosticsScheduled(now = Date.now()): Promise<void> {
  if (await browser.alarms.get(DIAGNOSTICS_ALARM)) return;
  await rescheduleDiagnostics(now);
}
