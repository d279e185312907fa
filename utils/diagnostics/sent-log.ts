/** The reports sent in the last 7 days, kept so you can see exactly what left the device. */
import { diagnosticsDate } from '../diagnostics-schema';
import type { SentDiagnosticsReport } from '../storage-items';

export const SENT_LOG_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The first UTC day that is no longer kept, seen from `now`. */
function oldestKeptDay(now: number): string {
  return diagnosticsDate(new Date(now - (SENT_LOG_DAYS - 1) * DAY_MS));
}

/** Entries sent today or in the 6 days before. */
export function keptEntries(entries: readonly SentDiagnosticsReport[], now: number): SentDiagnosticsReport[] {
  const oldest = oldestKeptDay(now);
  return entries.filter((e) => e.sentOn >= oldest);
}

/** When the oldest entry stops being kept (epoch ms), or undefined for an empty log. */
export function nextExpiry(entries: readonly SentDiagnosticsReport[]): number | undefined {
  if (entries.length === 0) return undefined;
  const oldest = entries.reduce((min, e) => (e.sentOn < min ? e.sentOn : min), entries[0]!.sentOn);
  return Date.parse(`${oldest}T00:00:00Z`) + SENT_LOG_DAYS * DAY_MS;
}
