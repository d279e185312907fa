/**
 * Applies the history setting ("Auto-delete after", "Save history" off) in the
 * background: at once when it changes, then hourly by an alarm, which wakes a
 * stopped background. No alarm is kept while history is kept forever.
 */
import { browser } from 'wxt/browser';
import { historyRetention, type HistoryRetention } from '../storage-items';
import { purgeExpired } from './retention';

export const RETENTION_ALARM = 'history-retention';
const PERIOD_MINUTES = 60;

/** What the schedule needs from the browser; tests pass fakes and their own clock. */
export interface RetentionDeps {
  alarms: {
    get(name: string): Promise<unknown>;
    create(name: string, info: { delayInMinutes: number; periodInMinutes: number }): Promise<void> | void;
    clear(name: string): Promise<boolean>;
    onAlarm: { addListener(callback: (alarm: { name: string }) => void): void };
  };
  now: () => number;
}

const defaultDeps = (): RetentionDeps => ({ alarms: browser.alarms, now: Date.now });

/** Keeps the hourly alarm exactly while something can expire; re-creating an existing one would postpone it. */
export async function syncRetentionAlarm(retention: HistoryRetention, deps: RetentionDeps = defaultDeps()): Promise<void> {
  if (retention === 'forever') await deps.alarms.clear(RETENTION_ALARM);
  else if (!(await deps.alarms.get(RETENTION_ALARM))) await deps.alarms.create(RETENTION_ALARM, { delayInMinutes: 1, periodInMinutes: PERIOD_MINUTES });
}

/** Deletes what the current setting no longer keeps, and sets the alarm to match. */
export async function applyRetention(deps: RetentionDeps = defaultDeps()): Promise<number> {
  const retention = await historyRetention.getValue();
  await syncRetentionAlarm(retention, deps);
  return purgeExpired(deps.now());
}

/** Registers the schedule's listeners; call synchronously at the top of the background. */
export function registerRetentionSchedule(deps: RetentionDeps = defaultDeps()): void {
  const quietly = (promise: Promise<unknown>) => void promise.catch(() => undefined);
  deps.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === RETENTION_ALARM) quietly(applyRetention(deps));
  });
  historyRetention.watch(() => quietly(applyRetention(deps)));
  quietly(applyRetention(deps));
}
