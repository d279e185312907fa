/** The background's side of the diagnostics settings: the view Settings shows, switching on and off, and the events. */
import type { Browser } from 'wxt/browser';
import { ExtensionError } from '../errors';
import { diagnosticsCounters, diagnosticsEnabled, diagnosticsQueue, diagnosticsSent, type SentDiagnosticsReport } from '../storage-items';
import { withDiagnosticsLock } from './diagnostics-lock';
import {
  hasDiagnosticsPermission,
  removeDiagnosticsPermission,
  removesDiagnosticsPermission,
  type PermissionsWithDataCollection,
} from './diagnostics-permission';
import { DIAGNOSTICS_ALARM, ensureDiagnosticsScheduled, rescheduleDiagnostics, scheduleFallback } from './diagnostics-schedule';
import { sendDueReports } from './diagnostics-sender';
import { discardLocked, keptSentLocked, pendingBodies } from './diagnostics-state';

export interface DiagnosticsView {
  enabled: boolean;
  /** The exact bodies the next send will post, oldest first; empty while off or when nothing was recorded. */
  pending: string[];
  /** Reports sent in the last 7 days, oldest first. */
  sent: SentDiagnosticsReport[];
}

/** Firefox: consent taken back in the Add-ons Manager switches diagnostics off, whatever the stored setting says. */
async function reconcileLocked(): Promise<void> {
  if ((await diagnosticsEnabled.getValue()) && !(await hasDiagnosticsPermission())) await discardLocked();
}

export function readDiagnosticsView(now = Date.now()): Promise<DiagnosticsView> {
  return withDiagnosticsLock(async () => {
    await reconcileLocked();
    const sent = await keptSentLocked(now);
    const enabled = await diagnosticsEnabled.getValue();
    if (!enabled) return { enabled, pending: [], sent };
    const pending = pendingBodies((await diagnosticsQueue.getValue()).reports, await diagnosticsCounters.getValue());
    return { enabled, pending, sent };
  });
}

export async function setDiagnosticsEnabled(enabled: boolean, now = Date.now()): Promise<DiagnosticsView> {
  if (enabled) {
    if (!(await hasDiagnosticsPermission())) {
      throw new ExtensionError('permission_denied', 'Firefox did not allow ExpressAI to send technical data, so diagnostics stay off.');
    }
    const switchedOn = await withDiagnosticsLock(async () => {
      if (await diagnosticsEnabled.getValue()) return false;
      await diagnosticsEnabled.setValue(true);
      return true;
    });
    if (switchedOn) await rescheduleDiagnostics(now);
  } else {
    await withDiagnosticsLock(discardLocked);
    await removeDiagnosticsPermission();
    await rescheduleDiagnostics(now);
  }
  return readDiagnosticsView(now);
}

export async function clearSentReports(now = Date.now()): Promise<DiagnosticsView> {
  await withDiagnosticsLock(() => diagnosticsSent.removeValue());
  await rescheduleDiagnostics(now);
  return readDiagnosticsView(now);
}

export async function onDiagnosticsAlarm(alarm: Browser.alarms.Alarm, now = Date.now()): Promise<void> {
  if (alarm.name !== DIAGNOSTICS_ALARM) return;
  await scheduleFallback(now);
  try {
    await sendDueReports(now);
  } finally {
    await rescheduleDiagnostics(now);
  }
}

/** `permissions.onRemoved`: the user took the diagnostics consent back in Firefox's Add-ons Manager. */
export async function onPermissionsRemoved(removed: PermissionsWithDataCollection, now = Date.now()): Promise<void> {
  if (!removesDiagnosticsPermission(removed)) return;
  await withDiagnosticsLock(discardLocked);
  await rescheduleDiagnostics(now);
}

/** When the background starts: drop diagnostics whose consent is gone, and make sure the alarm exists. */
export async function startDiagnostics(now = Date.now()): Promise<void> {
  await withDiagnosticsLock(reconcileLocked);
  await ensureDiagnosticsScheduled(now);
}
