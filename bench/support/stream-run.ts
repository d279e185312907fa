/**
 * One streamed bench answer, driven like a person: type into "Message",
 * click "Send", wait for the log "Conversation" to show the document's last
 * chunk. The page's probe times it; this module turns its records into
 * figures. Works on any page with those controls (the real chat UI or the
 * bench's chat-components page).
 */
import type { Page } from 'puppeteer';
import type { ProbeState } from './probe';
import { watchStream } from './probe';
import { startFrames, stopFrames, windowStats, type WindowStats } from './window-stats';

export interface StreamRun extends WindowStats {
  /** send → first answer text painted. */
  firstMs: number;
  /** send → last chunk painted. */
  lastMs: number;
  /** last byte received (resource timing of the chat request) → last chunk painted; NaN when the request was not seen. */
  afterLastByteMs: number;
  /** Chunks per second the answer actually arrived at (request start → last byte); NaN when the request was not seen. */
  chunksPerSecond: number;
}

/** Inside the page (evaluated functions cannot reach this module's variables). */
type ProbeHost = { __benchProbe: ProbeState };

/** The chat request's timing in `where` (a page or the background worker), as absolute ms. */
export interface RequestTiming {
  startAbs: number;
  lastByteAbs: number;
}

export async function chatRequestTiming(evaluate: <T>(fn: () => T) => Promise<T>): Promise<RequestTiming | undefined> {
  return evaluate(() => {
    const entry = performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('/v1/chat/completions'))
      .at(-1) as PerformanceResourceTiming | undefined;
    return entry ? { startAbs: performance.timeOrigin + entry.startTime, lastByteAbs: performance.timeOrigin + entry.responseEnd } : undefined;
  });
}

export interface StreamRunOptions {
  prompt: string;
  chunks: number;
  timeoutMs: number;
  /** Where else the chat request may have been made (the background), when not in the page. */
  otherTiming?: () => Promise<RequestTiming | undefined>;
  /** Gets the page ready for a new question (e.g. starts a new conversation). */
  prepare?: (page: Page) => Promise<void>;
}

export async function streamOnce(page: Page, { prompt, chunks, timeoutMs, otherTiming, prepare }: StreamRunOptions): Promise<StreamRun> {
  await page.bringToFront();
  await prepare?.(page);
  await page.evaluate(watchStream, prompt);
  const box = await page.waitForSelector('::-p-aria([name="Message"][role="textbox"])', { timeout: 30_000 });
  await box!.type(prompt);
  await startFrames(page);
  await (await page.waitForSelector('::-p-aria([name="Send"][role="button"])'))!.click();
  await page.waitForFunction(() => 'lastChunk' in (globalThis as unknown as ProbeHost).__benchProbe.seen, { timeout: timeoutMs, polling: 250 });
  const record = await stopFrames(page);
  if (record.sendAt === null) throw new Error('the probe saw no click on "Send"');
  const sendAt = record.sendAt;
  const last = record.seen.lastChunk!;
  const timing = (await chatRequestTiming((fn) => page.evaluate(fn))) ?? (await otherTiming?.());
  return {
    firstMs: record.seen.firstText! - sendAt,
    lastMs: last - sendAt,
    afterLastByteMs: timing ? record.timeOrigin + last - timing.lastByteAbs : Number.NaN,
    ...windowStats(record, sendAt, last),
    chunksPerSecond: timing ? (chunks * 1000) / (timing.lastByteAbs - timing.startAbs) : Number.NaN,
  };
}
