/**
 * What the diagnostics intake keeps: sums and counts per report date, never a
 * report. Once added, nothing ties a number back to the request it came in.
 */
import type { DiagnosticsReport } from '../utils/diagnostics-schema';

export interface DayAggregate {
  reports: number;
  /** `extensionVersion` → reports. */
  versions: Record<string, number>;
  /** `chrome 131` → reports. */
  browsers: Record<string, number>;
  failures: DiagnosticsReport['failures'];
  /** `TypeError at chunks/popup.js:12` (the top frame) → occurrences. */
  crashes: Record<string, number>;
  firstTokenMs: DiagnosticsReport['firstTokenMs'];
  transferredMb: number;
}

/** Caps that keep the aggregates small whatever clients send. */
const MAX_DAYS = 400;
const MAX_KEYS_PER_MAP = 200;

export class DiagnosticsAggregates {
  readonly #days = new Map<string, DayAggregate>();

  add(report: DiagnosticsReport): void {
    const day = this.#day(report.date);
    day.reports += 1;
    bump(day.versions, report.extensionVersion);
    bump(day.browsers, `${report.browser.family} ${report.browser.major}`);
    for (const key of Object.keys(day.failures) as (keyof DayAggregate['failures'])[]) day.failures[key] += report.failures[key];
    for (const key of Object.keys(day.firstTokenMs) as (keyof DayAggregate['firstTokenMs'])[]) day.firstTokenMs[key] += report.firstTokenMs[key];
    for (const crash of report.crashes) bump(day.crashes, `${crash.name} at ${crash.frames[0] ?? 'unknown'}`);
    day.transferredMb += report.transferredMb;
  }

  totalReports(): number {
    let total = 0;
    for (const day of this.#days.values()) total += day.reports;
    return total;
  }

  toJSON(): Record<string, DayAggregate> {
    return Object.fromEntries([...this.#days].sort(([a], [b]) => a.localeCompare(b)));
  }

  #day(date: string): DayAggregate {
    let day = this.#days.get(date);
    if (!day) {
      if (this.#days.size >= MAX_DAYS) {
        const oldest = [...this.#days.keys()].sort()[0]!;
        this.#days.delete(oldest);
      }
      day = {
        reports: 0,
        versions: {},
        browsers: {},
        failures: { offline: 0, timeout: 0, http4xx: 0, http5xx: 0, streamCut: 0 },
        crashes: {},
        firstTokenMs: { under500: 0, under1000: 0, under3000: 0, over3000: 0 },
        transferredMb: 0,
      };
      this.#days.set(date, day);
    }
    return day;
  }
}

function bump(map: Record<string, number>, key: string): void {
  if (!Object.hasOwn(map, key) && Object.keys(map).length >= MAX_KEYS_PER_MAP) key = 'other';
  map[key] = (map[key] ?? 0) + 1;
}
