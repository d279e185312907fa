/**
 * Steps on the stored diagnostics state. Every function here expects to run
 * under {@link withDiagnosticsLock} and never takes it itself.
 */
import { diagnosticsDate } from '../diagnostics-schema';
import {
  diagnosticsCounters,
  diagnosticsEnabled,
  diagnosticsQueue,
  diagnosticsSent,
  type DiagnosticsCounters,
  type SentDiagnosticsReport,
} from '../storage-items';
import { hasRecordings } from './counters';
import { bodyFromCounters } from './report-builder';
import { reportEnvironment } from './report-environment';
import { keptEntries } from './sent-log';

/** Reports waiting beyond this many are dropped, oldest first. */
export const MAX_QUEUED_REPORTS = 7;

export function capQueue(reports: readonly string[]): string[] {
  return reports.slice(-MAX_QUEUED_REPORTS);
}

export function utcDay(now: number): string {
  return diagnosticsDate(new Date(now));
}

/** Switches diagnostics off and forgets every count and every unsent report. The sent log stays for its 7 days. */
export async function discardLocked(): Promise<void> {
  await Promise.all([diagnosticsEnabled.removeValue(), diagnosticsCounters.removeValue(), diagnosticsQueue.removeValue()]);
}

/** The queued bodies followed by the body of the counts so far: exactly what the next send would post. */
export function pendingBodies(queued: readonly string[], counters: DiagnosticsCounters | null): string[] {
  const current = counters && hasRecordings(counters) ? [bodyFromCounters(counters, reportEnvironment())] : [];
  return capQueue([...queued, ...current]);
}

/** Moves counts of an earlier UTC day into the queue, so every report covers a single day. Returns the counters left for `today`. */
export async function rollOverLocked(today: string): Promise<DiagnosticsCounters | null> {
  const counters = await diagnosticsCounters.getValue();
  if (!counters || counters.date === today) return counters;
  const queue = await diagnosticsQueue.getValue();
  await diagnosticsQueue.setValue({ ...queue, reports: pendingBodies(queue.reports, counters) });
  await diagnosticsCounters.removeValue();
  return null;
}

/** The sent log without entries older than 7 days (those are deleted). */
export async function keptSentLocked(now: number): Promise<SentDiagnosticsReport[]> {
  const all = await diagnosticsSent.getValue();
  const kept = keptEntries(all, now);
  if (kept.length !== all.length) {
    if (kept.length === 0) await diagnosticsSent.removeValue();
    else await diagnosticsSent.setValue(kept);
  }
  return kept;
}
