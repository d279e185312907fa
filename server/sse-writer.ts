/**
 * Writes a Server-Sent Events answer the way OpenAI does (`data: <json>` per
 * event, `data: [DONE]` at the end), with pacing and the stream faults tests
 * ask for: slow chunks, a cut connection, malformed lines.
 */
import type { ServerResponse } from 'node:http';
import { createPacer, realClock, type Pacer, type PacerClock } from './pacer';

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

/**
 * Events that are ready go out together, up to this much per write. One write
 * per event made the service the busiest process on the machine during a fast
 * bench stream (61,440 events of 4 characters), competing with the browser it
 * measures; each event is still its own `data:` event.
 */
const WRITE_CHARS = 16 * 1024;

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
  #buffer = '';
  #flushSoon: ReturnType<typeof setImmediate> | undefined;
  readonly #pacer: Pacer | undefined;
  readonly #clock: PacerClock;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: StreamOptions = {},
  ) {
    this.#clock = options.clock ?? realClock;
    if (options.chunksPerSecond) this.#pacer = createPacer(options.chunksPerSecond, this.#clock);
    res.on('close', () => {
      this.#closed = true;
      clearImmediate(this.#flushSoon);
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
  event(data: string): Promise<boolean> {
    const extra = this.#sent === 0 && this.options.malformed ? MALFORMED_LINES : '';
    return this.raw(`data: ${data}\n\n${extra}`);
  }

  /** Passes bytes through unchanged, for relaying an upstream stream; counts as one event. */
  async raw(text: string): Promise<boolean> {
    if (this.#closed) return false;
    const wait = this.#waitMs();
    if (wait > 0) {
      // What is due goes out before the pause, never after it.
      await this.#flush();
      await this.#clock.sleep(wait);
      if (this.#closed) return false;
    }
    const { cutAfter } = this.options;
    if (cutAfter !== undefined && this.#sent >= cutAfter) {
      await this.#flush();
      this.cut();
      return false;
    }
    this.#buffer += text;
    this.#sent += 1;
    if (this.#buffer.length >= WRITE_CHARS) await this.#flush();
    else this.#flushSoon ??= setImmediate(() => void this.#flush());
    return !this.#closed;
  }

  async done(): Promise<void> {
    if (this.#closed) return;
    this.#buffer += 'data: [DONE]\n\n';
    await this.#flush();
    this.res.end();
  }

  /** Drops the connection mid-answer, as a dying network would: no `[DONE]`, no clean end. */
  cut(): void {
    this.#closed = true;
    this.#buffer = '';
    clearImmediate(this.#flushSoon);
    this.res.destroy();
  }

  #waitMs(): number {
    if (this.#pacer) return this.#pacer.delay();
    const { intervalMs = 0 } = this.options;
    return this.#sent > 0 ? intervalMs : 0;
  }

  async #flush(): Promise<void> {
    clearImmediate(this.#flushSoon);
    this.#flushSoon = undefined;
    if (this.#closed || this.#buffer === '') return;
    const text = this.#buffer;
    this.#buffer = '';
    if (this.res.write(text)) return;
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
