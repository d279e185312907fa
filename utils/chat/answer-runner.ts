/**
 * Feeds one streamed answer into the chat reducer: deltas are batched to one
 * dispatch per animation frame (a 4-character chunk must not cost a page
 * render), and every way the stream can end becomes exactly one `done` or
 * `fail` action.
 */
import { toChatErrorInfo } from './chat-errors';
import type { ChatAction } from './chat-state';
import type { StreamEvent, TokenUsage } from './sse-stream';
import { animationFrame, type FrameScheduler } from './frame-scheduler';

/** Collects text and hands it over at most once per frame. */
export function createDeltaBatcher(deliver: (text: string) => void, schedule: FrameScheduler = animationFrame) {
  let buffer = '';
  let cancel: (() => void) | null = null;
  const drain = () => {
    cancel?.();
    cancel = null;
    const text = buffer;
    buffer = '';
    if (text) deliver(text);
  };
  return {
    push(text: string): void {
      buffer += text;
      cancel ??= schedule(drain);
    },
    /** Delivers whatever is buffered right now. */
    drain,
  };
}

export interface RunAnswerOptions {
  /** The answer's message id (the `assistantId` of the `send`/`regenerate`/`retry` action). */
  id: string;
  events: AsyncIterable<StreamEvent>;
  dispatch: (action: ChatAction) => void;
  onUsage?: (usage: TokenUsage) => void;
  schedule?: FrameScheduler;
}

/** Consumes the stream until it ends; never throws. */
export async function runAnswer({ id, events, dispatch, onUsage, schedule }: RunAnswerOptions): Promise<void> {
  const batcher = createDeltaBatcher((text) => dispatch({ type: 'delta', id, text }), schedule);
  try {
    for await (const event of events) {
      if (event.type === 'delta') batcher.push(event.text);
      else if (event.type === 'usage') onUsage?.(event.usage);
      else {
        batcher.drain();
        dispatch({ type: 'done', id, finishReason: event.finishReason });
        return;
      }
    }
    batcher.drain();
    dispatch({ type: 'fail', id, error: { code: 'stream_cut' } });
  } catch (error) {
    batcher.drain();
    dispatch({ type: 'fail', id, error: toChatErrorInfo(error) });
  }
}
