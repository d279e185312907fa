import { describe, expect, it } from 'vitest';
import { canRegenerate, chatReducer, EMPTY_CHAT, toApiMessages, type ChatAction, type ChatState } from '@/utils/chat/chat-state';

const run = (...actions: ChatAction[]): ChatState => actions.reduce(chatReducer, EMPTY_CHAT);
const send = (n: number, text = `question ${n}`): ChatAction => ({ type: 'send', userId: `u${n}`, assistantId: `a${n}`, text, model: 'm1' });

describe('chatReducer', () => {
  it('sends a question and streams its answer to completion', () => {
    const state = run(send(1), { type: 'delta', id: 'a1', text: 'Hel' }, { type: 'delta', id: 'a1', text: 'lo' }, { type: 'done', id: 'a1', finishReason: 'stop' });
    expect(state.streamingId).toBeNull();
    expect(state.messages).toEqual([
      { id: 'u1', role: 'user', text: 'question 1', status: 'complete' },
      { id: 'a1', role: 'assistant', text: 'Hello', status: 'complete', finishReason: 'stop', model: 'm1' },
    ]);
  });

  it('ignores a blank question and a second question while an answer streams', () => {
    expect(run({ type: 'send', userId: 'u', assistantId: 'a', text: '  \n ' })).toBe(EMPTY_CHAT);
    const streaming = run(send(1));
    expect(chatReducer(streaming, send(2))).toBe(streaming);
  });

  it('keeps the partial text when the user stops', () => {
    const state = run(send(1), { type: 'delta', id: 'a1', text: 'Part' }, { type: 'stop', id: 'a1' });
    expect(state.messages[1]).toMatchObject({ text: 'Part', status: 'stopped' });
    expect(state.streamingId).toBeNull();
  });

  it('treats an aborted stream as a stop, not an error', () => {
    const state = run(send(1), { type: 'delta', id: 'a1', text: 'P' }, { type: 'fail', id: 'a1', error: { code: 'aborted' } });
    expect(state.messages[1]).toMatchObject({ status: 'stopped' });
    expect(state.messages[1]!.error).toBeUndefined();
  });

  it('marks a failure after some text as interrupted, keeping the text and the error', () => {
    const state = run(send(1), { type: 'delta', id: 'a1', text: 'Half' }, { type: 'fail', id: 'a1', error: { code: 'stream_cut' } });
    expect(state.messages[1]).toMatchObject({ text: 'Half', status: 'interrupted', error: { code: 'stream_cut' } });
  });

  it('marks a failure before any text as failed, with its error (never an empty bubble)', () => {
    const state = run(send(1), { type: 'fail', id: 'a1', error: { code: 'rate_limited', retryAfterSeconds: 7 } });
    expect(state.messages[1]).toMatchObject({ text: '', status: 'failed', error: { code: 'rate_limited', retryAfterSeconds: 7 } });
  });

  it('drops late events for an answer that is no longer streaming', () => {
    const stopped = run(send(1), { type: 'delta', id: 'a1', text: 'A' }, { type: 'stop', id: 'a1' });
    expect(chatReducer(stopped, { type: 'delta', id: 'a1', text: 'late' })).toBe(stopped);
    expect(chatReducer(stopped, { type: 'done', id: 'a1' })).toBe(stopped);
    expect(chatReducer(stopped, { type: 'fail', id: 'a1', error: { code: 'server_error' } })).toBe(stopped);
    const renewed = run(send(1), { type: 'stop', id: 'a1' }, { type: 'regenerate', assistantId: 'a1b' });
    expect(chatReducer(renewed, { type: 'delta', id: 'a1', text: 'old stream' })).toBe(renewed);
    const fresh = run(send(1), { type: 'new_chat' });
    expect(chatReducer(fresh, { type: 'delta', id: 'a1', text: 'x' })).toBe(fresh);
  });

  it('retries a failed answer with a new one for the same question', () => {
    const state = run(send(1), { type: 'fail', id: 'a1', error: { code: 'offline' } }, { type: 'retry', assistantId: 'a1b' });
    expect(state.messages.map((m) => [m.id, m.status])).toEqual([['u1', 'complete'], ['a1b', 'streaming']]);
    expect(state.messages[1]!.model).toBe('m1');
    expect(state.streamingId).toBe('a1b');
  });

  it('regenerates the last answer, leaving earlier turns alone, and may switch model', () => {
    const state = run(send(1), { type: 'done', id: 'a1' }, send(2), { type: 'delta', id: 'a2', text: 'x' }, { type: 'done', id: 'a2' }, { type: 'regenerate', assistantId: 'a2b', model: 'm2' });
    expect(state.messages.map((m) => m.id)).toEqual(['u1', 'a1', 'u2', 'a2b']);
    expect(state.messages[3]).toMatchObject({ status: 'streaming', text: '', model: 'm2' });
  });

  it('does not regenerate or retry while streaming or with nothing asked', () => {
    const streaming = run(send(1));
    expect(chatReducer(streaming, { type: 'regenerate', assistantId: 'x' })).toBe(streaming);
    expect(run({ type: 'retry', assistantId: 'x' })).toBe(EMPTY_CHAT);
  });

  it('edits the last question and asks again', () => {
    const state = run(send(1), { type: 'done', id: 'a1' }, send(2), { type: 'done', id: 'a2' }, { type: 'edit_last', text: ' reworded ', assistantId: 'a2b' });
    expect(state.messages.map((m) => [m.id, m.text])).toEqual([['u1', 'question 1'], ['a1', ''], ['u2', 'reworded'], ['a2b', '']]);
    expect(state.streamingId).toBe('a2b');
    expect(chatReducer(state, { type: 'edit_last', text: 'again', assistantId: 'z' })).toBe(state);
  });

  it('loads a saved conversation, an answer saved mid-stream reading as interrupted', () => {
    const state = run({
      type: 'load',
      messages: [
        { id: 'u', role: 'user', text: 'q', status: 'complete' },
        { id: 'a', role: 'assistant', text: 'par', status: 'streaming' },
      ],
    });
    expect(state.streamingId).toBeNull();
    expect(state.messages[1]).toMatchObject({ status: 'interrupted', error: { code: 'stream_cut' } });
  });

  it('starts a new chat', () => {
    expect(run(send(1), { type: 'new_chat' })).toEqual(EMPTY_CHAT);
  });
});

describe('chat selectors', () => {
  it('builds the API conversation without failed or empty answers and without the new answer', () => {
    const state = run(send(1), { type: 'fail', id: 'a1', error: { code: 'offline' } }, { type: 'retry', assistantId: 'a1b' }, { type: 'delta', id: 'a1b', text: 'A' }, { type: 'done', id: 'a1b' }, send(2));
    expect(toApiMessages(state.messages, 'a2')).toEqual([
      { role: 'user', content: 'question 1' },
      { role: 'assistant', content: 'A' },
      { role: 'user', content: 'question 2' },
    ]);
  });

  it('says when the last answer can be regenerated', () => {
    expect(canRegenerate(EMPTY_CHAT)).toBe(false);
    expect(canRegenerate(run(send(1)))).toBe(false);
    expect(canRegenerate(run(send(1), { type: 'done', id: 'a1' }))).toBe(true);
  });
});
