/**
 * The anonymous diagnostics report, defined once: the extension builds reports
 * against it and the service accepts nothing else. Every object is strict, so a
 * field that is not on this allow-list makes the whole report invalid. Nothing
 * here can identify a person: counts, coarse buckets, a UTC date, and crash
 * frames that point into our own bundle.
 */
import * as v from 'valibot';

/** Upper bounds that keep a report small and its numbers plausible. */
export const DIAGNOSTICS_LIMITS = {
  /** Any single counter (failures, first-token buckets). */
  maxCount: 1_000_000,
  /** Megabytes transferred in one day. */
  maxTransferredMb: 1_000_000,
  maxCrashes: 20,
  maxFrames: 20,
  maxCrashNameLength: 64,
  maxFrameLength: 160,
  maxVersionLength: 32,
  maxBrowserMajor: 999,
} as const;

/** A crash frame: a path inside the extension bundle and a line, e.g. `chunks/popup-3f2a.js:120`. */
export const CRASH_FRAME_PATTERN = /^(?:[\w-]+\/){0,4}[\w-]+(?:\.[\w-]+)*\.js:[1-9]\d{0,6}$/;

/** Error class names such as `TypeError`: letters only, so no message text can ride along. */
export const CRASH_NAME_PATTERN = /^[A-Za-z]+$/;

const EXTENSION_VERSION_PATTERN = /^\d{1,5}(?:\.\d{1,5}){0,3}$/;

const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(DIAGNOSTICS_LIMITS.maxCount));

/** A calendar date in UTC (`YYYY-MM-DD`) that exists: `2025-02-30` is refused. */
const utcDate = v.pipe(
  v.string(),
  v.isoDate('date must be YYYY-MM-DD'),
  v.check((s) => isCalendarDay(s), 'date must be a real calendar day'),
);

// valibot runs the whole pipe even after isoDate failed, so this must not throw on other strings.
function isCalendarDay(s: string): boolean {
  const day = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === s;
}

const crash = v.strictObject({
  name: v.pipe(v.string(), v.maxLength(DIAGNOSTICS_LIMITS.maxCrashNameLength), v.regex(CRASH_NAME_PATTERN)),
  frames: v.pipe(
    v.array(v.pipe(v.string(), v.maxLength(DIAGNOSTICS_LIMITS.maxFrameLength), v.regex(CRASH_FRAME_PATTERN))),
    v.maxLength(DIAGNOSTICS_LIMITS.maxFrames),
  ),
});

export const DIAGNOSTICS_REPORT_SCHEMA = v.strictObject({
  schema: v.literal(1),
  extensionVersion: v.pipe(v.string(), v.maxLength(DIAGNOSTICS_LIMITS.maxVersionLength), v.regex(EXTENSION_VERSION_PATTERN)),
  browser: v.strictObject({
    family: v.picklist(['chrome', 'firefox']),
    major: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(DIAGNOSTICS_LIMITS.maxBrowserMajor)),
  }),
  date: utcDate,
  failures: v.strictObject({
    offline: count,
    timeout: count,
    http4xx: count,
    http5xx: count,
    streamCut: count,
  }),
  crashes: v.pipe(v.array(crash), v.maxLength(DIAGNOSTICS_LIMITS.maxCrashes)),
  firstTokenMs: v.strictObject({
    under500: count,
    under1000: count,
    under3000: count,
    over3000: count,
  }),
  transferredMb: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(DIAGNOSTICS_LIMITS.maxTransferredMb)),
});

export type DiagnosticsReport = v.InferOutput<typeof DIAGNOSTICS_REPORT_SCHEMA>;

/** Today's date in UTC as the report carries it; never a finer timestamp. */
export function diagnosticsDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Dotted path of the first problem in an invalid report, e.g. `browser.family`, for a plain error message. */
export function firstIssuePath(issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  const path = issue?.path?.map((p) => String(p.key)).join('.');
  return path || 'report';
}
