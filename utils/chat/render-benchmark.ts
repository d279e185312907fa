/**
 * Measures how a streamed answer renders, for `npm run bench` and the perf
 * issue: no assertions here, only numbers. Runs in a real page or in happy-dom.
 */
import { StreamingMarkdown, type FrameScheduler } from './streaming-markdown';

export interface StreamedRenderReport {
  characters: number;
  chunks: number;
  /** Animation frames that did rendering work. */
  frames: number;
  /** The longest single frame's work, in ms: the longest task the stream causes. */
  longestFrameMs: number;
  totalFrameMs: number;
  /** From the last chunk's arrival until the whole answer is in the DOM, in ms (frame waits excluded). */
  finalRenderMs: number;
  framesAfterLastChunk: number;
}

export interface MeasureOptions {
  text: string;
  host: HTMLElement;
  /** Characters per network chunk (default 4). */
  chunkSize?: number;
  /** How many chunks arrive between two animation frames (default 64). */
  chunksPerFrame?: number;
  now?: () => number;
}

/** Streams `text` into `host` chunk by chunk, running a frame every `chunksPerFrame` chunks, and times the frames. */
export function measureStreamedRender(options: MeasureOptions): StreamedRenderReport {
  const { text, host, chunkSize = 4, chunksPerFrame = 64, now = () => performance.now() } = options;
  let pending: (() => void) | null = null;
  const schedule: FrameScheduler = (callback) => {
    pending = callback;
    return () => {
      pending = null;
    };
  };
  const renderer = new StreamingMarkdown(host, { schedule });
  const report: StreamedRenderReport = {
    characters: text.length, chunks: 0, frames: 0, longestFrameMs: 0, totalFrameMs: 0, finalRenderMs: 0, framesAfterLastChunk: 0,
  };
  const runFrame = () => {
    const callback = pending;
    if (!callback) return 0;
    pending = null;
    const start = now();
    callback();
    const spent = now() - start;
    report.frames++;
    report.totalFrameMs += spent;
    report.longestFrameMs = Math.max(report.longestFrameMs, spent);
    return spent;
  };
  for (let end = chunkSize; end < text.length + chunkSize; end += chunkSize) {
    const start = now();
    renderer.update(text.slice(0, Math.min(end, text.length)), true);
    report.totalFrameMs += now() - start;
    report.chunks++;
    if (report.chunks % chunksPerFrame === 0) runFrame();
  }
  renderer.update(text, false);
  while (pending) {
    report.finalRenderMs += runFrame();
    report.framesAfterLastChunk++;
  }
  renderer.dispose();
  return report;
}

/** A realistic answer of about `kilobytes` KB: headings, paragraphs with links, lists, code, tables, quotes. */
export function sampleAnswer(kilobytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 1; size < kilobytes * 1024; i++) {
    const section = [
      `## Section ${i}: what to know`,
      '',
      `Here is **point ${i}**, with \`inline code\`, a [reference](https://example.com/docs/${i}) and some *emphasis* so the`,
      'paragraph wraps over a few lines, as answers usually do. Bare links like https://example.org/page also appear.',
      '',
      `1. First step for item ${i}`,
      '2. Second step, with a nested list:',
      '   - nested detail',
      '   - another detail',
      '3. Third step',
      '',
      '```ts',
      `export function step${i}(input: string): number {`,
      '  // comments and <angle brackets> are escaped',
      `  return input.length * ${i};`,
      '}',
      '```',
      '',
      '| Option | Effect |',
      '|:--|--:|',
      `| alpha | ${i} |`,
      '| beta | more |',
      '',
      '> A quoted remark with a [link](https://example.net/quote).',
      '',
    ].join('\n');
    parts.push(section);
    size += section.length + 1;
  }
  return parts.join('\n');
}
