/**
 * The recording API the chat calls. While diagnostics are off every call
 * returns without storing anything at all. Calls never throw and may be left
 * unawaited: diagnostics must never break what they observe.
 */
import { browser } from 'wxt/browser';
import { ChatStreamError } from '../chat/chat-errors';
import { diagnosticsCounters, diagnosticsEnabled } from '../storage-items';
import { ExtensionError } from '../errors';
import { applyRecording, emptyCounters, FAILURE_KINDS, firstTokenBucket, type FailureKind, type Recording } from './counters';
import { withDiagnosticsLock } from './diagnostics-lock';
import { rollOverLocked, utcDay } from './diagnostics-state';
import { crashFromError } from './stack-reducer';

async function record(recording: Recording): Promise<void> {
  try {
    await withDiagnosticsLock(async () => {
      if (!(await diagnosticsEnabled.getValue())) return;
      const today = utcDay(Date.now());
      const counters = (await rollOverLocked(today)) ?? emptyCounters(today);
      await diagnosticsCounters.setValue(applyRecording(counters, recording));
    });
  } catch {
    // Storage full or the report could not be built: drop this one count.
  }
}

/** Counts one connection failure of a coarse kind (see {@link failureKindOf}). */
export function recordFailure(kind: FailureKind): Promise<void> {
  if (!FAILURE_KINDS.includes(kind)) return Promise.resolve();
  return record({ kind: 'failure', failure: kind });
}

/** Counts the time from sending a prompt to the first answer token, kept only as a coarse bucket. */
export function recordFirstToken(ms: number): Promise<void> {
  if (!Number.isFinite(ms) || ms < 0) return Promise.resolve();
  return record({ kind: 'firstToken', bucket: firstTokenBucket(ms) });
}

/** Adds bytes transferred (request and answer); the report only says whole megabytes per day. */
export function recordTransfer(bytes: number): Promise<void> {
  if (!Number.isFinite(bytes) || bytes <= 0) return Promise.resolve();
  return record({ kind: 'transfer', bytes: Math.round(bytes) });
}

/** Counts a crash: only the error's class name and its frames inside our bundle (`file.js:line`) are kept. */
export function recordCrash(error: unknown): Promise<void> {
  let recording: Recording;
  try {
    recording = { kind: 'crash', crash: crashFromError(error, browser.runtime.getURL('/')) };
  } catch {
    return Promise.resolve();
  }
  return record(recording);
}

/** The failure kind for an HTTP status, or undefined when it is not a failure. */
export function failureKindForStatus(status: number): FailureKind | undefined {
  if (status >= 500 && status <= 599) return 'http5xx';
  if (status >= 400 && status <= 499) return 'http4xx';
  return undefined;
}

/** The failure kind of a chat or network error, or undefined when it is none (e.g. the user stopped the answer). */
export function failureKindOf(error: unknown): FailureKind | undefined {
  if (error instanceof ChatStreamError && error.status !== undefined) return failureKindForStatus(error.status);
  if (error instanceof ExtensionError) {
    switch (error.code) {
      case 'offline':
      case 'auth_network':
        return 'offline';
      case 'stream_cut':
        return 'streamCut';
      case 'server_error':
        return 'http5xx';
      case 'unauthorized':
      case 'rate_limited':
      case 'request_rejected':
        return 'http4xx';
      default:
        return undefined;
    }
  }
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'timeout';
  return undefined;
}
