import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { openChatStore } from '@/utils/chat-engine/chat-store';
import { lock } from '@/utils/vault';
import { deleteAllDatabases, dumpIndexedDb, dumpStorage } from '../vault/vault-test-kit';
import { eventually, startEngine, type EngineRig } from './engine-kit';

beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
});

const ID = '6a1d3f0e-2b4c-4d5e-8f90-a1b2c3d4e5f6';
const MODEL = 'expressai-dev';

/** What the history holds now, read by a fresh store (as a restarted background would). */
async function saved(rig: EngineRig, id = ID) {
  const { conversation, turns } = await openChatStore(rig.hash).load(id);
  return { title: conversation?.title, turns: turns.map(({ role, text, status, error }) => ({ role, text, status, ...(error && { error }) })) };
}

describe('saving answers as they stream', () => {
  it('saves the partial text while streaming, then the final answer', async () => {
    const rig = await startEngine({ saveIntervalMs: 20 });
    const popup = rig.connect();
    popup.send({ type: 'send', conversationId: ID, text: 'Tell me a story', model: MODEL });
    const answer = await rig.nextAnswer();
    answer.delta('Once upon ');
    // Read by a fresh store, as a background restarted now would: the text so far, interrupted.
    const interrupted = { status: 'interrupted', error: { code: 'stream_cut' } };
    await eventually(async () =>
      expect((await saved(rig)).turns).toEqual([
        { role: 'user', text: 'Tell me a story', status: 'complete' },
        { role: 'assistant', text: 'Once upon ', ...interrupted },
      ]),
    );
    answer.delta('a time.');
    await eventually(async () => expect((await saved(rig)).turns[1]).toEqual({ role: 'assistant', text: 'Once upon a time.', ...interrupted }));
    answer.done();
    await rig.engine.settled();
    expect(await saved(rig)).toEqual({
      title: 'Tell me a story',
      turns: [
        { role: 'user', text: 'Tell me a story', status: 'complete' },
        { role: 'assistant', text: 'Once upon a time.', status: 'complete' },
      ],
    });
  });

  it('keeps the answer going when the popup closes mid-answer; reopening shows it finished', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    popup.send({ type: 'open', conversationId: null });
    await eventually(() => expect(popup.last('conversation')).toBeDefined());
    const id = popup.last('conversation')!.conversationId;
    popup.send({ type: 'send', conversationId: id, text: 'Long question', model: MODEL });
    const answer = await rig.nextAnswer();
    answer.delta('First half, ');
    await eventually(() => expect(popup.shown().messages.at(-1)!.text).toBe('First half, '));
    popup.close();
    expect(answer.signal.aborted).toBe(false);
    answer.delta('second half.');
    answer.done();
    await rig.engine.settled();
    expect((await saved(rig, id)).turns[1]).toEqual({ role: 'assistant', text: 'First half, second half.', status: 'complete' });

    // The popup opens again on the same conversation, by itself.
    const reopened = rig.connect();
    reopened.send({ type: 'open', conversationId: null });
    await eventually(() => expect(reopened.last('conversation')).toBeDefined());
    expect(reopened.last('conversation')!.conversationId).toBe(id);
    expect(reopened.shown().messages.at(-1)).toEqual({ role: 'assistant', text: 'First half, second half.', status: 'complete' });
  });

  it('a popup reopened while the answer still streams continues live', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    popup.send({ type: 'send', conversationId: ID, text: 'Q', model: MODEL });
    const answer = await rig.nextAnswer();
    answer.delta('Still ');
    await eventually(() => expect(popup.shown().messages.at(-1)!.text).toBe('Still '));
    popup.close();
    answer.delta('going ');
    const reopened = rig.connect();
    reopened.send({ type: 'open', conversationId: null });
    await eventually(() => expect(reopened.shown()).toMatchObject({ streamingId: expect.any(String) }));
    answer.delta('on.');
    answer.done();
    await eventually(() => expect(reopened.shown().messages.at(-1)).toEqual({ role: 'assistant', text: 'Still going on.', status: 'complete' }));
  });

  it('an answer whose background died reads back as interrupted with its partial text, and Retry replaces it', async () => {
    const first = await startEngine({ saveIntervalMs: 10 });
    const popup = first.connect();
    popup.send({ type: 'send', conversationId: ID, text: 'Q', model: MODEL });
    const answer = await first.nextAnswer();
    answer.delta('Half an answer');
    await eventually(async () => expect((await saved(first)).turns[1]).toMatchObject({ text: 'Half an answer' }));
    // The worker is killed: its engine is simply never heard of again. A new one starts on the same storage.
    const second = await startEngine({ hash: first.hash, createVault: false });
    const page = second.connect();
    page.send({ type: 'open', conversationId: ID });
    await eventually(() => expect(page.last('conversation')).toBeDefined());
    expect(page.last('conversation')!.messages[1]).toMatchObject({ text: 'Half an answer', status: 'interrupted', error: { code: 'stream_cut' } });

    page.send({ type: 'retry', conversationId: ID, model: MODEL });
    const again = await second.nextAnswer();
    expect(again.request.messages).toEqual([{ role: 'user', content: 'Q' }]);
    again.delta('A whole answer');
    again.done();
    await second.engine.settled();
    expect((await saved(second)).turns).toEqual([
      { role: 'user', text: 'Q', status: 'complete' },
      { role: 'assistant', text: 'A whole answer', status: 'complete' },
    ]);
  });

  it('Stop ends the answer, keeps its text and saves it as stopped', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    popup.send({ type: 'send', conversationId: ID, text: 'Q', model: MODEL });
    const answer = await rig.nextAnswer();
    answer.delta('Some');
    await eventually(() => expect(popup.shown().messages.at(-1)!.text).toBe('Some'));
    popup.send({ type: 'stop', conversationId: ID });
    await rig.engine.settled();
    expect(answer.signal.aborted).toBe(true);
    expect(popup.shown().messages.at(-1)).toEqual({ role: 'assistant', text: 'Some', status: 'stopped' });
    expect((await saved(rig)).turns[1]).toEqual({ role: 'assistant', text: 'Some', status: 'stopped' });
    expect(rig.diagnostics.failure).not.toHaveBeenCalled();
    expect(rig.holds.active).toBe(0);
  });

  it.each([
    ['stream_cut', {}],
    ['stream_malformed', {}],
    ['rate_limited', { retryAfterSeconds: 7 }],
  ] as const)('a %s failure keeps the partial text, marked interrupted with its error, in the page and the history', async (code, options) => {
    const rig = await startEngine();
    const popup = rig.connect();
    popup.send({ type: 'send', conversationId: ID, text: 'Q', model: MODEL });
    const answer = await rig.nextAnswer();
    answer.delta('Partial');
    answer.fail(code, options);
    await rig.engine.settled();
    const error = { code, ...options };
    expect(popup.last('conversation')!.messages[1]).toMatchObject({ text: 'Partial', status: 'interrupted', error });
    expect((await saved(rig)).turns[1]).toEqual({ role: 'assistant', text: 'Partial', status: 'interrupted', error });
    expect(rig.diagnostics.failure).toHaveBeenCalledTimes(1);
  });

  it('a failure before any text is saved as failed, never as an empty answer', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    popup.send({ type: 'send', conversationId: ID, text: 'Q', model: MODEL });
    (await rig.nextAnswer()).fail('server_error', { status: 500 });
    await rig.engine.settled();
    expect((await saved(rig)).turns[1]).toEqual({ role: 'assistant', text: '', status: 'failed', error: { code: 'server_error' } });
  });

  it('regenerate replaces the answer; edit replaces the question and its answer', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    popup.send({ type: 'send', conversationId: ID, text: 'First question', model: MODEL });
    const one = await rig.nextAnswer();
    one.delta('Answer one');
    one.done();
    await rig.engine.settled();

    popup.send({ type: 'regenerate', conversationId: ID, model: MODEL });
    const two = await rig.nextAnswer();
    expect(two.request.messages).toEqual([{ role: 'user', content: 'First question' }]);
    two.delta('Answer two');
    two.done();
    await rig.engine.settled();
    expect((await saved(rig)).turns.map((t) => t.text)).toEqual(['First question', 'Answer two']);

    popup.send({ type: 'edit_last', conversationId: ID, text: 'Better question', model: MODEL });
    const three = await rig.nextAnswer();
    expect(three.request.messages).toEqual([{ role: 'user', content: 'Better question' }]);
    three.delta('Answer three');
    three.done();
    await rig.engine.settled();
    expect((await saved(rig)).turns.map((t) => t.text)).toEqual(['Better question', 'Answer three']);
    expect(popup.shown().messages.map((m) => m.text)).toEqual(['Better question', 'Answer three']);

    // A second turn sees the whole conversation.
    popup.send({ type: 'send', conversationId: ID, text: 'Follow-up', model: MODEL });
    const four = await rig.nextAnswer();
    expect(four.request.messages.map((m) => m.content)).toEqual(['Better question', 'Answer three', 'Follow-up']);
    four.done();
    await rig.engine.settled();
  });

  it('stops the answer when the history locks, since nothing more could be saved', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    popup.send({ type: 'send', conversationId: ID, text: 'Q', model: MODEL });
    const answer = await rig.nextAnswer();
    answer.delta('x');
    await lock(rig.hash);
    await eventually(() => expect(answer.signal.aborted).toBe(true));
    await rig.engine.settled();
    expect(rig.holds.active).toBe(0);
  });
});

describe('drafts', () => {
  it('keeps an unsent draft per conversation, encrypted, and forgets it once sent', async () => {
    const rig = await startEngine();
    const DRAFT = 'half-typed secret draft about tulips';
    const popup = rig.connect();
    popup.send({ type: 'draft', conversationId: ID, text: DRAFT });
    popup.close();
    await eventually(async () => expect(await dumpStorage(['session'])).toContain(`chat_drafts_${rig.hash}`));
    expect(await dumpStorage()).not.toContain('tulips');

    const reopened = rig.connect();
    reopened.send({ type: 'open', conversationId: ID });
    await eventually(() => expect(reopened.last('conversation')).toMatchObject({ draft: DRAFT }));
    const other = rig.connect();
    other.send({ type: 'open', conversationId: '11111111-2222-4333-8444-555555555555' });
    await eventually(() => expect(other.last('conversation')).toMatchObject({ draft: '' }));

    reopened.send({ type: 'send', conversationId: ID, text: DRAFT, model: MODEL });
    (await rig.nextAnswer()).done();
    await rig.engine.settled();
    await eventually(async () => expect(await dumpStorage(['session'])).not.toContain('chat_drafts_'));
  });

  it('never stores a question, an answer or a title readably', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    popup.send({ type: 'send', conversationId: ID, text: 'canary-question-marmalade', model: MODEL });
    const answer = await rig.nextAnswer();
    answer.delta('canary-answer-quince');
    answer.done();
    await rig.engine.settled();
    expect((await saved(rig)).turns.map((t) => t.text)).toEqual(['canary-question-marmalade', 'canary-answer-quince']);
    const everything = (await dumpIndexedDb()) + (await dumpStorage());
    expect(everything).not.toMatch(/marmalade|quince/);
  });
});

describe('the conversation list', () => {
  async function chat(rig: EngineRig, port: ReturnType<EngineRig['connect']>, id: string, question: string, reply: string) {
    port.send({ type: 'send', conversationId: id, text: question, model: MODEL });
    const answer = await rig.nextAnswer();
    answer.delta(reply);
    answer.done();
    await rig.engine.settled();
  }
  const A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
  const B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

  it('lists, searches (titles and answers), renames and deletes, and tells every page', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    const panel = rig.connect();
    await chat(rig, popup, A, 'Packing for Lisbon', 'Bring sunscreen.');
    await chat(rig, popup, B, 'Sourdough starter', 'Feed it flour daily.');

    panel.send({ type: 'list', query: '' });
    await eventually(() => expect(panel.last('list')?.items.map((c) => c.title)).toEqual(['Sourdough starter', 'Packing for Lisbon']));
    panel.send({ type: 'list', query: 'sunsc' });
    await eventually(() => expect(panel.last('list')).toMatchObject({ query: 'sunsc', items: [{ id: A, title: 'Packing for Lisbon' }] }));
    panel.send({ type: 'list', query: 'flour' });
    await eventually(() => expect(panel.last('list')).toMatchObject({ query: 'flour', items: [{ id: B }] }));
    // The envelope the answers are stored in is not searchable.
    panel.send({ type: 'list', query: 'status' });
    await eventually(() => expect(panel.last('list')).toMatchObject({ query: 'status', items: [] }));

    popup.send({ type: 'open', conversationId: A });
    const changes = popup.of('conversations_changed').length;
    panel.send({ type: 'rename', conversationId: A, title: 'Lisbon trip' });
    await eventually(() => expect(popup.last('conversation')).toMatchObject({ conversationId: A, title: 'Lisbon trip' }));
    expect(popup.of('conversations_changed').length).toBeGreaterThan(changes);
    panel.send({ type: 'list', query: 'trip' });
    await eventually(() => expect(panel.last('list')).toMatchObject({ query: 'trip', items: [{ id: A, title: 'Lisbon trip' }] }));
    expect(await saved(rig, A)).toMatchObject({ title: 'Lisbon trip' });

    panel.send({ type: 'delete', conversationId: A });
    await eventually(() => expect(popup.last('conversation')).toMatchObject({ conversationId: A, messages: [], title: null }));
    expect(await saved(rig, A)).toEqual({ title: undefined, turns: [] });
    panel.send({ type: 'list', query: 'sunsc' });
    await eventually(() => expect(panel.last('list')).toMatchObject({ query: 'sunsc', items: [] }));
    panel.send({ type: 'rename', conversationId: A, title: 'Gone' });
    await eventually(() => expect(panel.last('error')).toMatchObject({ request: 'rename', code: 'conversation_not_found' }));
  });

  it('answers as many lines as asked, newest first, and says whether there are more', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    const panel = rig.connect();
    const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'];
    for (const [i, id] of ids.entries()) await chat(rig, popup, id, `Trip number ${i}`, 'Pack light.');

    panel.send({ type: 'list', query: 'trip', limit: 2 });
    await eventually(() => expect(panel.last('list')).toMatchObject({ query: 'trip', limit: 2, more: true, items: [{ id: ids[2] }, { id: ids[1] }] }));
    panel.send({ type: 'list', query: 'trip', limit: 3 });
    await eventually(() => expect(panel.last('list')).toMatchObject({ limit: 3, more: false, items: [{ id: ids[2] }, { id: ids[1] }, { id: ids[0] }] }));
    panel.send({ type: 'list', query: '', limit: 1 });
    await eventually(() => expect(panel.last('list')).toMatchObject({ query: '', limit: 1, more: true, items: [{ id: ids[2] }] }));
    panel.send({ type: 'list', query: '', limit: 5 });
    await eventually(() => expect(panel.last('list')).toMatchObject({ query: '', limit: 5, more: false }));
    expect(panel.last('list')?.items).toHaveLength(3);
  });

  it('deleting a conversation mid-answer stops the answer and leaves nothing behind', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    popup.send({ type: 'send', conversationId: A, text: 'Q', model: MODEL });
    const answer = await rig.nextAnswer();
    answer.delta('partial');
    popup.send({ type: 'delete', conversationId: A });
    await eventually(() => expect(answer.signal.aborted).toBe(true));
    await rig.engine.settled();
    await new Promise((r) => setTimeout(r, 50));
    expect(await saved(rig, A)).toEqual({ title: undefined, turns: [] });
  });
});
