import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ChatApp } from '@/components/chat-app/chat-app';
import { EXPRESSAI_LIMITS } from '@/utils/chat/context-limits';
import { chatModel } from '@/utils/storage-items';
import { byName, findByName, renderInto, type as typeRaw, type Rendered } from '../vault-ui/dom';
import { LIST_PAGE } from '@/utils/messages';
import { openHistory } from '@/utils/vault/history-store';
import { deleteAllDatabases, dumpStorage } from '../vault/vault-test-kit';
import { eventually, FakePort, startEngine, type EngineRig } from './engine-kit';

/** Wires `runtime.connect` to the engine: each call is a page's end of a new port. */
function connectPagesTo(rig: EngineRig, sender = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') }) {
  const pages: FakePort[] = [];
  vi.spyOn(fakeBrowser.runtime, 'connect').mockImplementation((() => {
    const listeners: ((m: unknown) => void)[] = [];
    const disconnects: (() => void)[] = [];
    const background = new FakePort('chat', sender);
    // What the background posts reaches the page asynchronously, as in a browser.
    background.postMessage = (message) => {
      if (background.disconnected) throw new Error('disconnected');
      const copy = structuredClone(message);
      queueMicrotask(() => listeners.forEach((l) => l(copy)));
    };
    rig.connect(background);
    pages.push(background);
    return {
      name: 'chat',
      postMessage: (message: unknown) => background.send(message),
      disconnect: () => background.close(),
      onMessage: { addListener: (l: (m: unknown) => void) => listeners.push(l) },
      onDisconnect: { addListener: (l: () => void) => disconnects.push(l) },
    };
  }) as never);
  vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation((async (message: { type: string }) =>
    message.type === 'api.models' ? { ok: true, data: { models: [{ id: 'expressai-dev' }, { id: 'other-model' }] } } : { ok: false, error: { code: 'internal_error', message: 'x' } }) as never);
  return pages;
}

let view: Rendered | undefined;
beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
});
afterEach(() => {
  view?.unmount();
  view = undefined;
});

const messageBox = (root: HTMLElement) => byName<HTMLTextAreaElement>(root, 'textbox', 'Message');
/** Types as a user does; `act` lets Preact render before the next keystroke. */
function type(input: HTMLInputElement | HTMLTextAreaElement, text: string): void {
  act(() => typeRaw(input as HTMLInputElement, text));
}
function pressEnter(box: HTMLTextAreaElement): void {
  act(() => void box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })));
}
const answerArticles = (root: HTMLElement) => [...root.querySelectorAll<HTMLElement>('article[aria-label="ExpressAI answered"]')];

/** Waits until the background has said which conversation the page shows. */
async function ready(root: HTMLElement): Promise<HTMLTextAreaElement> {
  return vi.waitFor(() => {
    expect(root.querySelector('.chat-app')?.getAttribute('aria-busy')).toBe('false');
    return messageBox(root);
  });
}

describe('the chat page', () => {
  it('sends with Enter, streams the answer as markdown, and offers Copy answer and Regenerate', async () => {
    const rig = await startEngine();
    connectPagesTo(rig);
    view = renderInto(<ChatApp variant="popup" subscriptionHash={rig.hash} />);
    const box = await ready(view.root);
    await findByName(view.root, 'button', 'Open side panel');
    await vi.waitFor(() => expect(byName<HTMLSelectElement>(view!.root, 'combobox', 'Model').value).toBe('expressai-dev'));
    type(box, 'Show me a list');
    pressEnter(box);
    const answer = await rig.nextAnswer();
    expect(answer.request.model).toBe('expressai-dev');
    answer.delta('- one\n');
    await vi.waitFor(() => expect(answerArticles(view!.root)[0]?.getAttribute('aria-busy')).toBe('true'));
    await findByName(view.root, 'button', 'Stop');
    answer.delta('- two\n');
    answer.done();
    await vi.waitFor(() => expect(answerArticles(view!.root)[0]!.querySelectorAll('li')).toHaveLength(2));
    await findByName(view.root, 'button', 'Copy answer');
    await findByName(view.root, 'button', 'Regenerate');
    expect(view.root.querySelector('article[aria-label="You said"]')!.textContent).toContain('Show me a list');
    expect(messageBox(view.root).value).toBe('');
  });

  it('a question asked before the model list arrived is not lost: it waits in the box and goes once a model is known', async () => {
    const rig = await startEngine();
    connectPagesTo(rig);
    let answerModels!: () => void;
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation((async () => {
      await new Promise<void>((resolve) => (answerModels = resolve));
      return { ok: true, data: { models: [{ id: 'expressai-dev' }] } };
    }) as never);
    view = renderInto(<ChatApp variant="popup" subscriptionHash={rig.hash} />);
    const box = await ready(view.root);
    type(box, 'Asked at once');
    pressEnter(box);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(rig.answers).toHaveLength(0);
    expect(messageBox(view.root).value).toBe('Asked at once');

    act(() => answerModels());
    const answer = await rig.nextAnswer();
    expect(answer.request.model).toBe('expressai-dev');
    expect(answer.request.messages.at(-1)?.content).toBe('Asked at once');
    await vi.waitFor(() => expect(messageBox(view!.root).value).toBe(''));
    answer.done();
    await rig.engine.settled();
  });

  it('closing the page mid-answer loses nothing: reopened, the finished answer is there', async () => {
    const rig = await startEngine();
    connectPagesTo(rig);
    view = renderInto(<ChatApp variant="popup" subscriptionHash={rig.hash} />);
    const box = await ready(view.root);
    type(box, 'Q');
    pressEnter(box);
    const answer = await rig.nextAnswer();
    answer.delta('Half ');
    await vi.waitFor(() => expect(answerArticles(view!.root)[0]!.textContent).toContain('Half'));
    view.unmount();
    view = undefined;
    answer.delta('and the rest.');
    answer.done();
    await rig.engine.settled();

    view = renderInto(<ChatApp variant="popup" subscriptionHash={rig.hash} />);
    await vi.waitFor(() => expect(answerArticles(view!.root)[0]!.textContent).toContain('Half and the rest.'));
    expect(answerArticles(view.root)[0]!.className).toContain('is-complete');
  });

  it('shows a failed answer in plain words with its action, and Retry asks again', async () => {
    const rig = await startEngine();
    connectPagesTo(rig);
    view = renderInto(<ChatApp variant="popup" subscriptionHash={rig.hash} />);
    const box = await ready(view.root);
    type(box, 'Q');
    pressEnter(box);
    const first = await rig.nextAnswer();
    first.delta('Partial');
    first.fail('stream_cut');
    await vi.waitFor(() => expect(view!.root.textContent).toContain('The connection dropped before the answer was finished.'));
    expect(answerArticles(view.root)[0]!.textContent).toContain('Partial');
    expect(answerArticles(view.root)[0]!.textContent).toContain('Interrupted');
    byName(view.root, 'button', 'Retry').click();
    const second = await rig.nextAnswer();
    second.delta('Whole');
    second.done();
    await vi.waitFor(() => expect(answerArticles(view!.root)[0]!.className).toContain('is-complete'));
    expect(view.root.textContent).not.toContain('The connection dropped');
  });

  it('keeps an unsent draft when the page closes, and puts it back', async () => {
    const rig = await startEngine();
    connectPagesTo(rig);
    view = renderInto(<ChatApp variant="popup" subscriptionHash={rig.hash} />);
    type(await ready(view.root), 'a draft about ferns');
    await eventually(async () => expect(await dumpStorage(['session'])).toContain('chat_drafts_'));
    view.unmount();
    view = renderInto(<ChatApp variant="popup" subscriptionHash={rig.hash} />);
    await vi.waitFor(() => expect(messageBox(view!.root).value).toBe('a draft about ferns'));
    expect(await dumpStorage()).not.toContain('ferns');
  });

  it('a question too long for the model comes back to the box with the reason, kept as the draft', async () => {
    const rig = await startEngine();
    connectPagesTo(rig);
    view = renderInto(<ChatApp variant="popup" subscriptionHash={rig.hash} />);
    const box = await ready(view.root);
    await vi.waitFor(() => expect(byName<HTMLSelectElement>(view!.root, 'combobox', 'Model').value).toBe('expressai-dev'));
    const long = 'lorem '.repeat(6_000);
    type(box, long);
    pressEnter(box);
    await vi.waitFor(() => expect(view!.root.querySelector('[role="alert"]')?.textContent).toContain('too long for this model'));
    await vi.waitFor(() => expect(messageBox(view!.root).value).toBe(long.trim()));
    expect(view.root.querySelector('article[aria-label="You said"]')).toBeNull();
    expect(rig.answers).toHaveLength(0);
    // Shortening it leaves the reason on screen until the next send.
    type(messageBox(view.root), 'lorem');
    expect(view.root.querySelector('[role="alert"]')?.textContent).toContain('too long for this model');
    await eventually(async () => expect(await dumpStorage(['session'])).toContain('chat_drafts_'));
  });

  it('notes, at the newest answer only, that earlier messages were shortened for the model', async () => {
    const rig = await startEngine({ limits: { ...EXPRESSAI_LIMITS, contextChars: 4_000 } });
    connectPagesTo(rig);
    view = renderInto(<ChatApp variant="popup" subscriptionHash={rig.hash} />);
    const box = await ready(view.root);
    await vi.waitFor(() => expect(byName<HTMLSelectElement>(view!.root, 'combobox', 'Model').value).toBe('expressai-dev'));
    const ask = async (question: string, text: string) => {
      type(messageBox(view!.root), question);
      pressEnter(messageBox(view!.root));
      const answer = await rig.nextAnswer();
      answer.delta(text);
      answer.done();
      await vi.waitFor(() => expect(answerArticles(view!.root).at(-1)!.className).toContain('is-complete'));
      await rig.engine.settled();
      await findByName(view!.root, 'button', 'Regenerate');
    };
    expect(box).toBeDefined();
    await ask('Write at length', 'long '.repeat(1_000));
    expect(view.root.querySelector('[role="note"]')).toBeNull();
    await ask('Summarize', 'Short.');
    await vi.waitFor(() => expect(answerArticles(view!.root)[1]!.querySelector('[role="note"][aria-label="Conversation shortened"]')?.textContent).toBe('An earlier message was shortened to fit the model’s limit.'));
    await ask('And again', 'Again.');
    const notes = [...view.root.querySelectorAll('[role="note"]')];
    expect(notes).toHaveLength(1);
    expect(answerArticles(view.root)[2]!.contains(notes[0]!)).toBe(true);
  });

  it('remembers the picked model', async () => {
    const rig = await startEngine();
    connectPagesTo(rig);
    view = renderInto(<ChatApp variant="popup" subscriptionHash={rig.hash} />);
    await ready(view.root);
    const picker = await vi.waitFor(() => {
      const select = byName<HTMLSelectElement>(view!.root, 'combobox', 'Model');
      expect(select.options).toHaveLength(2);
      return select;
    });
    picker.value = 'other-model';
    picker.dispatchEvent(new Event('change', { bubbles: true }));
    await vi.waitFor(async () => expect(await chatModel.getValue()).toBe('other-model'));
  });

  it('the side panel shows a page of conversations and more on "Show more", listed or searched', { timeout: 15_000 }, async () => {
    const rig = await startEngine();
    const history = openHistory(rig.hash);
    const count = LIST_PAGE + 5;
    for (let i = 0; i < count; i++) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      await history.saveConversation({ id, title: `Trip ${i}`, createdAt: i, updatedAt: 60_000 * (i + 1) });
    }
    connectPagesTo(rig, { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/sidepanel.html') });
    view = renderInto(<ChatApp variant="sidepanel" subscriptionHash={rig.hash} />);
    const { root } = view;
    const nav = await vi.waitFor(() => root.querySelector<HTMLElement>('nav[aria-label="Conversations"]')!);
    const titles = () => [...nav.querySelectorAll('.chat-list-open')].map((b) => b.textContent);
    const newestFirst = (n: number) => Array.from({ length: n }, (_, i) => `Trip ${count - 1 - i}`);

    for (const query of ['', 'trip']) {
      type(nav.querySelector<HTMLInputElement>('input[aria-label="Search conversations"]')!, query);
      await vi.waitFor(() => expect(titles()).toEqual(newestFirst(LIST_PAGE)));
      expect(nav.getAttribute('aria-busy')).toBe('false');
      act(() => byName(nav, 'button', 'Show more').click());
      expect(nav.getAttribute('aria-busy')).toBe('true');
      await vi.waitFor(() => expect(titles()).toEqual(newestFirst(count)));
      expect(nav.getAttribute('aria-busy')).toBe('false');
      expect(nav.querySelector('.chat-list-more')).toBeNull();
    }
  });

  it('the side panel lists conversations, searches them, switches, renames and deletes after confirming', { timeout: 15_000 }, async () => {
    const rig = await startEngine();
    connectPagesTo(rig, { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/sidepanel.html') });
    view = renderInto(<ChatApp variant="sidepanel" subscriptionHash={rig.hash} />);
    const { root } = view;
    const nav = await vi.waitFor(() => {
      const found = root.querySelector<HTMLElement>('nav[aria-label="Conversations"]');
      expect(found?.textContent).toContain('No conversations yet.');
      return found!;
    });
    for (const [question, reply] of [['Packing for Lisbon', 'Bring sunscreen.'], ['Sourdough starter', 'Feed it flour.']] as const) {
      const box = await ready(root);
      type(box, question);
      pressEnter(box);
      const answer = await rig.nextAnswer();
      answer.delta(reply);
      answer.done();
      await rig.engine.settled();
      await vi.waitFor(() => expect(nav.textContent).toContain(question));
      const newChat = await findByName(root, 'button', 'New chat');
      act(() => newChat.click());
    }
    const titles = () => [...nav.querySelectorAll('.chat-list-open')].map((b) => b.textContent);
    await vi.waitFor(() => expect(titles()).toEqual(['Sourdough starter', 'Packing for Lisbon']));

    expect(nav.getAttribute('aria-busy')).toBe('false');
    type(nav.querySelector<HTMLInputElement>('input[aria-label="Search conversations"]')!, 'sunscreen');
    // Busy from the keystroke until this query's results are shown (assistive technology and the bench wait on it).
    expect(nav.getAttribute('aria-busy')).toBe('true');
    await vi.waitFor(() => expect(titles()).toEqual(['Packing for Lisbon']));
    expect(nav.getAttribute('aria-busy')).toBe('false');
    (nav.querySelector('.chat-list-open') as HTMLElement).click();
    await vi.waitFor(() => expect(answerArticles(root)[0]?.textContent).toContain('Bring sunscreen.'));

    (nav.querySelector('button[aria-label="Rename"]') as HTMLElement).click();
    const nameBox = await findByName<HTMLInputElement>(root, 'textbox', 'Conversation name');
    type(nameBox, 'Lisbon trip');
    nameBox.form!.requestSubmit();
    await vi.waitFor(() => expect(titles()).toEqual(['Lisbon trip']));

    (nav.querySelector('button[aria-label="Delete"]') as HTMLElement).click();
    await findByName(root, 'button', 'Delete conversation');
    expect(root.textContent).toContain('“Lisbon trip” and all its messages will be deleted');
    byName(root, 'button', 'Delete conversation').click();
    await vi.waitFor(() => expect(nav.textContent).toContain('No conversation matches.'));
    type(nav.querySelector<HTMLInputElement>('input[aria-label="Search conversations"]')!, '');
    await vi.waitFor(() => expect(titles()).toEqual(['Sourdough starter']));
    expect(root.querySelector('dialog')!.open).toBe(false);
  });
});
