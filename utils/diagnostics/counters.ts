/** The day's counts and how each recording changes them. Pure: storage is the caller's business. */
import { DIAGNOSTICS_LIMITS, type DiagnosticsReport } from '../diagnostics-schema';
import type { DiagnosticsCounters } from '../storage-items';
import type { CrashSummary } from './stack-reducer';

export type FailureKind = keyof DiagnosticsReport['failures'];
export type FirstTokenBucket = keyof DiagnosticsReport['firstTokenMs'];

export const FAILURE_KINDS: readonly FailureKind[] = ['offline', 'timeout', 'http4xx', 'http5xx', 'streamCut'];

/** One thing that happened, already reduced to what a report may hold. */
export type Recording =
  | { kind: 'failure'; failure: FailureKind }
  | { kind: 'firstToken'; bucket: FirstTokenBucket }
  | { kind: 'transfer'; bytes: number }
  | { kind: 'crash'; crash: CrashSummary };

export function firstTokenBucket(ms: number): FirstTokenBucket {
  if (ms < 500) return 'under500';
  if (ms < 1000) return 'under1000';
  if (ms < 3000) return 'under3000';
  return 'over3000';
}

export function emptyCounters(date: string): DiagnosticsCounters {
  return {
    date,
    failures: { offline: 0, timeout: 0, http4xx: 0, http5xx: 0, streamCut: 0 },
    firstTokenMs: { under500: 0, under1000: 0, under3000: 0, over3000: 0 },
    crashes: [],
    transferredBytes: 0,
  };
}

export function hasRecordings(counters: DiagnosticsCounters): boolean {
  return (
    Object.values(counters.failures).some((n) => n > 0) ||
    Object.values(counters.firstTokenMs).some((n) => n > 0) ||
    counters.crashes.length > 0 ||
    counters.transferredBytes > 0
  );
}

const MAX_BYTES = DIAGNOSTICS_LIMITS.maxTransferredMb * 1_000_000;
const bump = (n: number) => Math.min(n + 1, DIAGNOSTICS_LIMITS.maxCount);

/** The counters with one more recording; every number stays within the schema's bounds. */
export function applyRecording(counters: DiagnosticsCounters, recording: Recording): DiagnosticsCounters {
  switch (recording.kind) {
    case 'failure':
      return { ...counters, failures: { ...counters.failures, [recording.failure]: bump(counters.failures[recording.failure]) } };
    case 'firstToken':
      return { ...counters, firstTokenMs: { ...counters.firstTokenMs, [recording.bucket]: bump(counters.firstTokenMs[recording.bucket]) } };
    case 'transfer':
      return { ...counters, transferredBytes: Math.min(counters.transferredBytes + recording.bytes, MAX_BYTES) };
    case 'crash':
      // Past the cap, later crashes are dropped: the first ones of a day are the telling ones.
      if (counters.crashes.length >= DIAGNOSTICS_LIMITS.maxCrashes) return counters;
      return { ...counters, crashes: [...counters.crashes, recording.crash] };
  }
}
