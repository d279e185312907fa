import { describe, expect, it, vi } from 'vitest';
import { createDeltaBatcher, runAnswer } from '@/utils/chat/answer-runner';
import { ChatStreamError } from '@/utils/chat/chat-errors';
import type { ChatAction } from '@/utils/chat/chat-state';
import type { StreamEvent } from '@/utils/chat/sse-stream';

async function* events(list: StreamEvent[], error?: Error): AsyncGenerator<StreamEvent> {
  for (const event of list) yield event;
  if (error) throw error;
}

function manualFrames() {
  const frames: (() => void)[] = [];
  return { frames, schedule: (run: () => void) => (frames.push(run), () => void frames.splice(frames.indexOf(run), 1)) };
}

describe('createDeltaBatcher', () => {
  it('delivers all text pushed within a frame at once', () => {
    const deliver = vi.fn();
    const { frames, schedule } = manualFrames();
    const batcher = createDeltaBatcher(deliver, schedule);
    batcher.push('a');
    batcher.push('b');
    expect(frames).toHaveLength(1);
    frames[0]!();
    expect(deliver).toHaveBeenCalledExactlyOnceWith('ab');
    batcher.push('c');
    batcher.drain();
    expect(deliver).toHaveBeenLastCalledWith('c');
    expect(frames).toHaveLength(0);
  });
});

describe('runAnswer', () => {
  const never = () => () => {};

  it('dispatches the text before done, in one batch', async () => {
    const actions: ChatAction[] = [];
    await runAnswer({ id: 'a', events: events([{ type: 'delta', text: 'He' }, { type: 'delta', text: 'y' }, { type: 'done', finishReason: 'stop' }]), dispatch: (a) => actions.push(a), schedule: never });
    expect(actions).toEqual([{ type: 'delta', id: 'a', text: 'Hey' }, { type: 'done', id: 'a', finishReason: 'stop' }]);
  });

  it('dispatches the partial text, then the failure with its plain data', async () => {
    const actions: ChatAction[] = [];
    const cut = new ChatStreamError('rate_limited', { retryAfterSeconds: 3 });
    await runAnswer({ id: 'a', events: events([{ type: 'delta', text: 'x' }], cut), dispatch: (a) => actions.push(a), schedule: never });
    expect(actions).toEqual([{ type: 'delta', id: 'a', text: 'x' }, { type: 'fail', id: 'a', error: { code: 'rate_limited', retryAfterSeconds: 3 } }]);
  });

  it('treats an unexpected error as a server problem without its text', async () => {
    const actions: ChatAction[] = [];
    await runAnswer({ id: 'a', events: events([], new Error('secret prompt')), dispatch: (a) => actions.push(a), schedule: never });
    expect(actions).toEqual([{ type: 'fail', id: 'a', error: { code: 'server_error' } }]);
  });

  it('treats a stream that ends without done as cut', async () => {
    const actions: ChatAction[] = [];
    await runAnswer({ id: 'a', events: events([{ type: 'usage', usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 } }]), dispatch: (a) => actions.push(a), schedule: never });
    expect(actions).toEqual([{ type: 'fail', id: 'a', error: { code: 'stream_cut' } }]);
  });
});
