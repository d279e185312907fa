/**
 * Turns a day's counters into a report and the report into the exact body
 * that is posted. The Settings preview and the sender both call
 * {@link reportBody}, so what you see is byte for byte what is sent.
 */
import * as v from 'valibot';
import { DIAGNOSTICS_LIMITS, DIAGNOSTICS_REPORT_SCHEMA, firstIssuePath, type DiagnosticsReport } from '../diagnostics-schema';
import { ExtensionError } from '../errors';
import type { DiagnosticsCounters } from '../storage-items';
import type { ReportEnvironment } from './report-environment';

/** Whole megabytes (10^6 bytes), rounded to the nearest. */
export function wholeMegabytes(bytes: number): number {
  return Math.min(Math.round(bytes / 1_000_000), DIAGNOSTICS_LIMITS.maxTransferredMb);
}

/**
 * The report for `counters`, checked against the shared schema: a report the
 * service would refuse is never built, let alone queued.
 */
export function buildReport(counters: DiagnosticsCounters, env: ReportEnvironment): DiagnosticsReport {
  const candidate: DiagnosticsReport = {
    schema: 1,
    extensionVersion: env.extensionVersion,
    browser: { family: env.browser.family, major: env.browser.major },
    date: counters.date,
    failures: { ...counters.failures },
    crashes: counters.crashes.map((c) => ({ name: c.name, frames: [...c.frames] })),
    firstTokenMs: { ...counters.firstTokenMs },
    transferredMb: wholeMegabytes(counters.transferredBytes),
  };
  const parsed = v.safeParse(DIAGNOSTICS_REPORT_SCHEMA, candidate);
  if (!parsed.success) {
    throw new ExtensionError('internal_error', `A diagnostics report failed its own check (${firstIssuePath(parsed.issues)}), so it was not kept.`);
  }
  return parsed.output;
}

/** The request body: pretty-printed so the preview can show it as is. */
export function reportBody(report: DiagnosticsReport): string {
  return JSON.stringify(report, null, 2);
}

export function bodyFromCounters(counters: DiagnosticsCounters, env: ReportEnvironment): string {
  return reportBody(buildReport(counters, env));
}
