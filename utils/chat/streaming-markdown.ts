/**
 * Keeps a host element showing a growing answer: text goes in as it arrives,
 * the DOM is updated at most once per animation frame, and each update does
 * a bounded amount of work so no frame runs long.
 */
import { MarkdownStream } from './markdown-stream';
import { MarkdownView } from './markdown-view';
import { animationFrame, type FrameScheduler } from './frame-scheduler';

export { animationFrame, type FrameScheduler } from './frame-scheduler';

/**
 * Text processed per frame: 8 KB a frame is ~480 KB/s at 60 fps, far above any model's pace, and small enough
 * that parsing, inserting and laying it out stays well under 50 ms on a busy 2-core machine. At 24 KB the bench
 * saw 50–77 ms frames in every fast 240 KB run; at 8 KB, none in 9 runs of 10, with the last chunk shown as soon.
 */
export const FRAME_BUDGET_CHARS = 8 * 1024;

export interface StreamingMarkdownOptions {
  schedule?: FrameScheduler;
  budgetChars?: number;
}

export class StreamingMarkdown {
  private stream = new MarkdownStream();
  private readonly view: MarkdownView;
  private readonly schedule: FrameScheduler;
  private readonly budget: number;
  private consumed = 0;
  private mark = '';
  private ended = false;
  private cancelFrame: (() => void) | null = null;
  private frameRequested = false;
  private busy = false;

  constructor(
    private readonly host: HTMLElement,
    options: StreamingMarkdownOptions = {},
  ) {
    this.view = new MarkdownView(host);
    this.schedule = options.schedule ?? animationFrame;
    this.budget = options.budgetChars ?? FRAME_BUDGET_CHARS;
  }

  /**
   * Shows `text`, the whole answer so far. While `streaming`, the text must
   * only grow; if it is replaced by something else the host starts over. A
   * finished text shown for the first time (history) renders its first frame's
   * budget at once, and the rest, if any, over the next frames. While a
   * finished text is not all shown yet, the host is `aria-busy`.
   */
  update(text: string, streaming: boolean): void {
    const replaced = text.length < this.consumed || text.slice(this.consumed - this.mark.length, this.consumed) !== this.mark;
    if (replaced || (this.ended && text.length !== this.consumed)) this.reset();
    const fresh = this.consumed === 0 && this.stream.segmentCount === 0;
    if (text.length > this.consumed) this.stream.append(text.slice(this.consumed));
    this.consumed = text.length;
    this.mark = text.slice(Math.max(0, this.consumed - 16), this.consumed);
    if (!streaming) {
      this.stream.end();
      this.ended = true;
    }
    if (!streaming && fresh) {
      // A saved answer usually fits one budget and shows in this very render. A very long one would hold the page
      // for 60–130 ms in one task (a panel reopened on it, or a conversation picked from the list).
      this.cancel();
      this.view.apply(this.stream.flush(this.budget));
    }
    this.requestFrame();
    this.markBusy();
  }

  /** Renders everything received now, skipping the frame wait (e.g. before a test or a benchmark reads the DOM). */
  flushNow(): void {
    this.cancel();
    while (this.stream.dirty) this.view.apply(this.stream.flush());
    this.markBusy();
  }

  dispose(): void {
    this.cancel();
  }

  private reset(): void {
    this.cancel();
    this.stream = new MarkdownStream();
    this.view.clear();
    this.consumed = 0;
    this.mark = '';
    this.ended = false;
    this.markBusy();
  }

  private requestFrame(): void {
    if (this.frameRequested || !this.stream.dirty) return;
    this.frameRequested = true;
    const cancel = this.schedule(() => {
      this.frameRequested = false;
      this.cancelFrame = null;
      this.view.apply(this.stream.flush(this.budget));
      this.requestFrame();
      this.markBusy();
    });
    // A scheduler may run the callback at once (tests do): then nothing is pending.
    if (this.frameRequested) this.cancelFrame = cancel;
  }

  /** A finished answer still being drawn is not what it will be: assistive technology (and tests) wait for it. */
  private markBusy(): void {
    const busy = this.ended && this.stream.dirty;
    if (busy === this.busy) return;
    this.busy = busy;
    if (busy) this.host.setAttribute('aria-busy', 'true');
    else this.host.removeAttribute('aria-busy');
  }

  private cancel(): void {
    this.cancelFrame?.();
    this.cancelFrame = null;
    this.frameRequested = false;
  }
}
