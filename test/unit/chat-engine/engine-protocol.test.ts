import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { CHAT_PORT_REQUEST_SCHEMA, MAX_PROMPT_CHARS } from '@/utils/messages';
import * as v from 'valibot';
import { deleteAllDatabases } from '../vault/vault-test-kit';
import { eventually, FakePort, startEngine } from './engine-kit';

beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
});

const ID = '0b7f0c57-9d0e-4a57-8a55-0c8f1c7e2a11';

describe('the chat port', () => {
  it.each([
    ['a web page', { id: fakeBrowser.runtime.id, url: 'https://evil.example/', tab: { id: 1 } }],
    ['another extension', { id: 'other-id', url: 'chrome-extension://other-id/popup.html' }],
    ['a sender without a URL', { id: fakeBrowser.runtime.id }],
    ['no sender at all', null],
  ])('disconnects %s before it can ask anything', async (_label, sender) => {
    const rig = await startEngine({ createVault: false });
    const port = rig.connect(new FakePort('chat', sender as never));
    expect(port.disconnect).toHaveBeenCalled();
    port.send({ type: 'open', conversationId: null });
    await new Promise((r) => setTimeout(r, 20));
    expect(port.events).toEqual([]);
    expect(rig.engine.hub.size).toBe(0);
  });

  it('leaves ports of other names to other listeners', async () => {
    const rig = await startEngine({ createVault: false });
    const port = rig.connect(new FakePort('something-else'));
    expect(port.disconnect).not.toHaveBeenCalled();
    expect(rig.engine.hub.size).toBe(0);
  });

  it.each([
    ['null', null],
    ['a string', 'send'],
    ['an unknown type', { type: 'launch' }],
    ['an extra field', { type: 'stop', conversationId: ID, extra: 1 }],
    ['a conversation id that is not a UUID', { type: 'stop', conversationId: '../../etc' }],
    ['an empty question', { type: 'send', conversationId: ID, text: '   ', model: 'expressai-dev' }],
    ['a question longer than the port carries', { type: 'send', conversationId: ID, text: 'x'.repeat(MAX_PROMPT_CHARS + 1), model: 'm' }],
    ['no model', { type: 'send', conversationId: ID, text: 'hi' }],
  ])('refuses a malformed message (%s) without acting on it', async (_label, message) => {
    const rig = await startEngine({ createVault: false });
    const port = rig.connect();
    port.send(message);
    expect(port.events).toEqual([expect.objectContaining({ type: 'error', code: 'invalid_message' })]);
    expect(rig.answers).toHaveLength(0);
  });

  it('accepts exactly the declared shapes', () => {
    for (const ok of [
      { type: 'open', conversationId: null },
      { type: 'send', conversationId: ID, text: 'Hello', model: 'expressai-dev' },
      { type: 'rename', conversationId: ID, title: '  Trip  ' },
      { type: 'list', query: '' },
      { type: 'ping' },
    ]) {
      expect(v.safeParse(CHAT_PORT_REQUEST_SCHEMA, ok).success).toBe(true);
    }
    expect(v.parse(CHAT_PORT_REQUEST_SCHEMA, { type: 'rename', conversationId: ID, title: '  Trip  ' })).toMatchObject({ title: 'Trip' });
  });

  it('tells a page that is not signed in, in plain words', async () => {
    const rig = await startEngine({ createVault: false });
    const { ChatEngine } = await import('@/utils/chat-engine/chat-engine');
    const { ExtensionError } = await import('@/utils/errors');
    const engine = new ChatEngine({
      ...(rig.engine as unknown as { deps: ConstructorParameters<typeof ChatEngine>[0] }).deps,
      account: async () => {
        throw new ExtensionError('session_ended', 'Your session has ended — sign in again.');
      },
    });
    const port = new FakePort();
    engine.connect(port);
    await engine.handle(port, { type: 'send', conversationId: ID, text: 'Hello', model: 'm' });
    expect(port.events).toEqual([{ type: 'error', request: 'send', code: 'session_ended', message: 'Your session has ended — sign in again.' }]);
  });
});

describe('one conversation, two pages', () => {
  it('streams the answer to every page showing the conversation, and both end with the same saved answer', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    const panel = rig.connect();
    popup.send({ type: 'open', conversationId: ID });
    panel.send({ type: 'open', conversationId: ID });
    await eventually(() => expect(panel.last('conversation')).toBeDefined());

    popup.send({ type: 'send', conversationId: ID, text: 'What is a table?', model: 'expressai-dev' });
    const answer = await rig.nextAnswer();
    expect(answer.request).toEqual({ model: 'expressai-dev', messages: [{ role: 'user', content: 'What is a table?' }] });
    answer.delta('| a | b |\n');
    answer.delta('|---|---|\n');
    await eventually(() => expect(panel.shown().messages.at(-1)).toMatchObject({ text: '| a | b |\n|---|---|\n', status: 'streaming' }));
    expect(popup.shown()).toEqual(panel.shown());
    answer.delta('| 1 | 2 |');
    answer.done();

    const final = [
      { role: 'user', text: 'What is a table?', status: 'complete' },
      { role: 'assistant', text: '| a | b |\n|---|---|\n| 1 | 2 |', status: 'complete' },
    ];
    await eventually(() => expect(popup.shown()).toEqual({ messages: final, streamingId: null }));
    expect(panel.shown()).toEqual({ messages: final, streamingId: null });
    expect(popup.last('conversation')!.title).toBe('What is a table?');
    await rig.engine.settled();
    // Both pages hear that the list changed (a new conversation, then its answer).
    expect(panel.of('conversations_changed').length).toBeGreaterThan(0);
    expect(rig.holds.active).toBe(0);
    expect(rig.diagnostics.firstToken).toHaveBeenCalledTimes(1);
    // UTF-8 bytes of the request sent and the answer received.
    const requestBytes = new TextEncoder().encode(JSON.stringify(answer.request)).length;
    expect(rig.diagnostics.transfer).toHaveBeenCalledWith(requestBytes + '| a | b |\n|---|---|\n| 1 | 2 |'.length);
  });

  it('counts the transfer in UTF-8 bytes, not characters', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    popup.send({ type: 'send', conversationId: ID, text: 'Grüße', model: 'm' });
    const answer = await rig.nextAnswer();
    answer.delta('é');
    answer.delta('😀');
    answer.done();
    await rig.engine.settled();
    const requestBytes = new TextEncoder().encode(JSON.stringify(answer.request)).length;
    expect(rig.diagnostics.transfer).toHaveBeenCalledWith(requestBytes + 2 + 4);
  });

  it('does not start a second answer while one streams, and says why', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    popup.send({ type: 'send', conversationId: ID, text: 'One', model: 'm' });
    const answer = await rig.nextAnswer();
    popup.send({ type: 'send', conversationId: ID, text: 'Two', model: 'm' });
    await eventually(() => expect(popup.last('error')).toMatchObject({ request: 'send', code: 'chat_busy' }));
    expect(rig.answers).toHaveLength(1);
    answer.done();
    await rig.engine.settled();
  });

  it('a page that opens a conversation mid-answer gets the text so far once, then the rest', async () => {
    const rig = await startEngine();
    const popup = rig.connect();
    popup.send({ type: 'send', conversationId: ID, text: 'Count', model: 'm' });
    const answer = await rig.nextAnswer();
    for (const word of ['one ', 'two ', 'three ']) answer.delta(word);
    await eventually(() => expect(popup.shown().messages.at(-1)!.text).toBe('one two three '));
    const panel = rig.connect();
    panel.send({ type: 'open', conversationId: ID });
    await eventually(() => expect(panel.last('conversation')).toBeDefined());
    answer.delta('four');
    answer.done();
    await eventually(() => expect(panel.shown().streamingId).toBeNull());
    expect(panel.shown().messages.at(-1)).toMatchObject({ text: 'one two three four', status: 'complete' });
  });
});

describe('the port hub', () => {
  it('gathers deltas, and a snapshot replaces what it gathered (the snapshot already holds that text)', async () => {
    const { PortHub } = await import('@/utils/chat-engine/port-hub');
    const hub = new PortHub();
    const viewer = new FakePort();
    const elsewhere = new FakePort();
    hub.add(viewer);
    hub.add(elsewhere);
    hub.show(viewer, ID);
    hub.show(elsewhere, '22222222-2222-4222-8222-222222222222');
    hub.delta(ID, 'answer', 'a');
    hub.delta(ID, 'answer', 'b');
    hub.flush();
    expect(viewer.events).toEqual([{ type: 'delta', conversationId: ID, id: 'answer', text: 'ab' }]);
    hub.delta(ID, 'answer', 'c');
    hub.toViewers(ID, { type: 'conversation', conversationId: ID, title: null, messages: [], streamingId: 'answer' });
    hub.flush();
    expect(viewer.events.map((e) => e.type)).toEqual(['delta', 'conversation']);
    expect(elsewhere.events).toEqual([]);
  });
});
