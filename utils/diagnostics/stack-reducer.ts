/**
 * Crash reports keep an error's class name and the stack frames that point
 * into our own bundle, as `path/file.js:line`. Messages, function names,
 * columns, other origins, and the extension's id or Firefox UUID never survive.
 */
import { CRASH_FRAME_PATTERN, CRASH_NAME_PATTERN, DIAGNOSTICS_LIMITS, type DiagnosticsReport } from '../diagnostics-schema';

export type CrashSummary = DiagnosticsReport['crashes'][number];

/**
 * Class-like names only (`TypeError`, `AbortError`, `DOMException`): a name is
 * set by code, but anything else could be text that ended up there.
 */
const CLASS_NAME = /^[A-Z][A-Za-z]*(?:Error|Exception)$/;

/** V8's `    at …` and Firefox's `fn@…` (the function name may be empty or `async*fn`). */
const FRAME_LINE = /^\s+at\s|^\S*@/;

/** A frame's location right after the base URL: the path, an optional query or fragment, the line, an optional column. */
const LOCATION = /^([^\s?#():]+)(?:[?#][^\s():]*)?:(\d+)(?::\d+)?(?=$|[\s),])/;

export function crashName(name: unknown): string {
  const ok =
    typeof name === 'string' &&
    name.length <= DIAGNOSTICS_LIMITS.maxCrashNameLength &&
    CLASS_NAME.test(name) &&
    CRASH_NAME_PATTERN.test(name);
  return ok ? name : 'Error';
}

/**
 * The frames of `stack` that lie under `baseUrl` (`chrome-extension://<id>/`
 * or `moz-extension://<uuid>/`), top first, as `path/file.js:line`.
 *
 * Reads V8's `    at fn (url:line:col)` and Firefox's `fn@url:line:col`.
 * V8 puts the message at the top of the stack; everything up to the last
 * place `message` appears is cut first, so text in a message can never pose
 * as a frame.
 */
export function reduceStack(stack: string, baseUrl: string, message = ''): string[] {
  let text = stack;
  if (message) {
    const at = text.lastIndexOf(message);
    if (at >= 0) text = text.slice(at + message.length);
  }
  const frames: string[] = [];
  for (const line of text.split('\n')) {
    if (frames.length >= DIAGNOSTICS_LIMITS.maxFrames) break;
    const frame = frameIn(line, baseUrl);
    if (frame) frames.push(frame);
  }
  return frames;
}

function frameIn(line: string, baseUrl: string): string | undefined {
  const start = line.indexOf(baseUrl);
  if (!baseUrl || start < 0 || !FRAME_LINE.test(line)) return undefined;
  const match = LOCATION.exec(line.slice(start + baseUrl.length));
  if (!match) return undefined;
  const frame = `${match[1]}:${Number(match[2])}`;
  return frame.length <= DIAGNOSTICS_LIMITS.maxFrameLength && CRASH_FRAME_PATTERN.test(frame) ? frame : undefined;
}

/** What a thrown value may tell a report: its class name and our frames. A thrown non-Error tells nothing but that it happened. */
export function crashFromError(error: unknown, baseUrl: string): CrashSummary {
  if (!(error instanceof Error)) return { name: 'Error', frames: [] };
  let message = '';
  let stack = '';
  try {
    message = typeof error.message === 'string' ? error.message : '';
    stack = typeof error.stack === 'string' ? error.stack : '';
  } catch {
    // A getter that throws tells us nothing we may keep.
  }
  return { name: crashName(error.name), frames: reduceStack(stack, baseUrl, message) };
}
