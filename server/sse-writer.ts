/**
 * Writes a Server-Sent Events answer the way OpenAI does (`data: <json>` per
 * event, `data: [DONE]` at the end), with pacing and the stream faults tests
 * ask for: slow chunks, a cut connection, malformed lines.
 */
import type { ServerResponse } from 'node:http';
import { sleep } from './faults';
import { createPacer, type Pacer, type PacerClock } from './pacer';

export interface StreamOptions {
  /** Pause before each event after the first; 0 sends as fast as the client reads. */
  intervalMs?: number;
  /** Send at this average rate, by schedule (see pacer.ts); takes the place of `intervalMs`. */
  chunksPerSecond?: number;
  /** The pacer's clock (tests). */
  clock?: PacerClock;
  /** Destroy the connection once this many events were sent, without `[DONE]`. */
  cutAfter?: number;
  /** Slip malformed lines in after the first event. */
  malformed?: boolean;
}

/** Lines an SSE client must survive: a truncated JSON event, a non-JSON event, a stray line, an unknown event type. */
const MALFORMED_LINES =
  'data: {"id":"chatcmpl-malformed","object":"chat.completion.chunk","choices":[{"delta":{"content":"\n\n' +
  'this line has no field separator\n' +
  'data: not json at all\n\n' +
  'event: expressai-unknown\ndata: {}\n\n' +
  'data: {"object":"chat.completion.chunk","choices":[]}\n\n';

export class SseWriter {
  #sent = 0;
  #closed = false;
  readonly #pacer: Pacer | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: StreamOptions = {},
  ) {
    if (options.chunksPerSecond) this.#pacer = createPacer(options.chunksPerSecond, options.clock);
    res.on('close', () => {
      this.#closed = true;
    });
  }

  /** True once the client went away or the stream was cut: stop producing. */
  get closed(): boolean {
    return this.#closed;
  }

  open(headers: Record<string, string> = {}): void {
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
      ...headers,
    });
    this.res.flushHeaders();
  }

  /** Sends one event; resolves false when the stream is over (client gone or cut). */
  async event(data: string): Promise<boolean> {
    if (this.#closed) return false;
    const { cutAfter, malformed } = this.options;
    await this.#pace();
    if (cutAfter !== undefined && this.#sent >= cutAfter) {
      this.cut();
      return false;
    }
    await this.#write(`data: ${data}\n\n`);
    if (this.#sent === 0 && malformed) await this.#write(MALFORMED_LINES);
    this.#sent += 1;
    return !this.#closed;
  }

  /** Passes bytes through unchanged, for relaying an upstream stream; counts as one event. */
  async raw(text: string): Promise<boolean> {
    if (this.#closed) return false;
    const { cutAfter } = this.options;
    await this.#pace();
    if (cutAfter !== undefined && this.#sent >= cutAfter) {
      this.cut();
      return false;
    }
    await this.#write(text);
    this.#sent += 1;
    return !this.#closed;
  }

  async done(): Promise<void> {
    if (this.#closed) return;
    await this.#write('data: [DONE]\n\n');
    this.res.end();
  }

  /** Drops the connection mid-answer, as a dying network would: no `[DONE]`, no clean end. */
  cut(): void {
    this.#closed = true;
    this.res.destroy();
  }

  async #pace(): Promise<void> {
    if (this.#pacer) return this.#pacer.next();
    const { intervalMs = 0 } = this.options;
    if (this.#sent > 0 && intervalMs > 0) await sleep(intervalMs);
  }

  async #write(text: string): Promise<void> {
    if (this.#closed) return;
    if (!this.res.write(text)) {
      await new Promise<void>((resolve) => {
        const finish = () => {
          this.res.off('drain', finish);
          this.res.off('close', finish);
          resolve();
        };
        this.res.on('drain', finish);
        this.res.on('close', finish);
      });
    }
  }
}
