/** The engine keeps every request inside the provider's limits, and says when the model did not see everything. */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { EXPRESSAI_LIMITS } from '@/utils/chat/context-limits';
import { SHORTENED_MARK } from '@/utils/chat/fit-context';
import { deleteAllDatabases } from '../vault/vault-test-kit';
import { eventually, startEngine, type EngineRig } from './engine-kit';
import type { FakePort } from './engine-kit';

beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
});

const ID = '4f1c2b7a-0d3e-4c5b-9a8f-1e2d3c4b5a69';
const LONG_ANSWER = 'All work and no play. '.repeat(2_000); // 44,000 characters

async function answerWith(rig: EngineRig, port: FakePort, question: string, text: string) {
  port.send({ type: 'send', conversationId: ID, text: question, model: 'expressai-dev' });
  const answer = await rig.nextAnswer();
  answer.delta(text);
  answer.done();
  await eventually(() => expect(port.shown().streamingId).toBeNull());
  return answer;
}

describe('the request the engine sends', () => {
  it('after a long answer, the follow-up still fits: the old answer is shortened, the question whole, and the answer says so', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    await answerWith(rig, popup, 'Write a long report', LONG_ANSWER);
    const followUp = await answerWith(rig, popup, 'Summarize it', 'In short: work.');

    const { messages } = followUp.request;
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[1]!.content).toHaveLength(EXPRESSAI_LIMITS.maxMessageChars);
    expect(messages[1]!.content.endsWith(SHORTENED_MARK)).toBe(true);
    expect(messages[2]).toEqual({ role: 'user', content: 'Summarize it' });
    const last = popup.last('conversation')!.messages.at(-1)!;
    expect(last.trimmed).toEqual({ omitted: 0, shortened: 1 });
    // The history keeps the whole answer; only the request was shortened.
    expect(popup.last('conversation')!.messages[1]!.text).toBe(LONG_ANSWER);
    await rig.engine.settled();

    // The note is saved with the answer.
    const reader = rig.connect();
    reader.send({ type: 'open', conversationId: ID });
    await eventually(() => expect(reader.last('conversation')?.messages.at(-1)?.trimmed).toEqual({ omitted: 0, shortened: 1 }));
  });

  it('a question too long for the model is refused before it joins the conversation; nothing is sent', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    popup.send({ type: 'open', conversationId: ID });
    await eventually(() => expect(popup.last('conversation')).toBeDefined());
    popup.send({ type: 'send', conversationId: ID, text: 'x'.repeat(EXPRESSAI_LIMITS.maxMessageChars + 1), model: 'expressai-dev' });
    await eventually(() => expect(popup.last('error')).toMatchObject({ request: 'send', code: 'question_too_long' }));
    expect(popup.last('error')!.message).toContain('too long for this model (32,001 characters; at most 32,000)');
    expect(popup.last('conversation')!.messages).toEqual([]);
    expect(rig.answers).toHaveLength(0);

    // Rewording the last question into one too long is refused the same way, and the conversation stays as it was.
    await answerWith(rig, popup, 'Short', 'Fine.');
    popup.send({ type: 'edit_last', conversationId: ID, text: 'y'.repeat(40_000), model: 'expressai-dev' });
    await eventually(() => expect(popup.last('error')).toMatchObject({ request: 'edit_last', code: 'question_too_long' }));
    expect(popup.shown().messages).toEqual([
      { role: 'user', text: 'Short', status: 'complete' },
      { role: 'assistant', text: 'Fine.', status: 'complete' },
    ]);
    expect(rig.answers).toHaveLength(1);
  });
});
