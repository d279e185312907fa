import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { adoptSkeleton, mountChatPage } from '@/components/chat-page';
import { authStatus } from '@/utils/storage-items';
import { createVault, lock, unlock } from '@/utils/vault';
import { connectBackground } from '../diagnostics/render-settings';
import { deleteAllDatabases, OLD_PASSWORD, randomHash, SMALL } from '../vault/vault-test-kit';
import { app, closePage, frame, messageBoxes, openFramePage } from './chat-frame';
import { findByName, queryByName } from './dom';

/** Longer than any test: the frame gives way only because the chat settled. */
const NEVER = 600_000;

beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
});
afterEach(() => closePage());

const signInAs = (hash: string) => authStatus.setValue({ state: 'signed-in', email: 'alice@example.com', subscriptionHash: hash, epoch: 0 });
async function unlockedAccount(): Promise<string> {
  const hash = randomHash();
  await createVault(hash, OLD_PASSWORD, { cost: SMALL });
  await signInAs(hash);
  return hash;
}
const backgroundNeverAnswers = () => fakeBrowser.runtime.onMessage.addListener(() => new Promise(() => {}));
const frameGone = () => vi.waitFor(() => expect(frame()).toBeNull(), { timeout: 5000 });
/** A few turns of storage, rendering and timers: what the page does on its own before the background answers. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe('a chat page opened with its frame', () => {
  it('keeps the frame on screen, the chat out of sight, while the account state is unknown', async () => {
    openFramePage('popup');
    backgroundNeverAnswers();
    mountChatPage('popup', NEVER);
    await settle();
    expect(frame()).not.toBeNull();
    expect(app().hidden).toBe(true);
    // The chat is rendering meanwhile, out of sight.
    expect(app().querySelector('header')).not.toBeNull();
    expect(app().textContent).toContain('Checking your account');
  });

  it('keeps the frame while the vault state is unknown', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    await lock(hash);
    await signInAs(hash);
    connectBackground();
    // The vault's database never says whether it is there.
    vi.spyOn(indexedDB, 'databases').mockImplementation(() => new Promise(() => {}));
    openFramePage('popup');
    mountChatPage('popup', NEVER);
    await vi.waitFor(() => expect(app().textContent).toContain('alice@example.com'));
    await settle();
    expect(frame()).not.toBeNull();
    expect(app().hidden).toBe(true);
  });

  it('gives way to the chat once it shows: one Message box, the chat visible', async () => {
    await unlockedAccount();
    connectBackground();
    openFramePage('popup');
    mountChatPage('popup', NEVER);
    await frameGone();
    expect(app().hidden).toBe(false);
    expect(messageBoxes()).toHaveLength(1);
    expect(app().contains(messageBoxes()[0]!)).toBe(true);
    expect(queryByName(app(), 'button', 'Lock now')).toBeDefined();
  });

  it.each(['popup', 'sidepanel'] as const)('%s: what was typed into the frame moves into the chat, with the caret and the focus', async (variant) => {
    await unlockedAccount();
    connectBackground();
    openFramePage(variant);
    const typed = messageBoxes()[0]!;
    typed.focus();
    typed.value = 'What is\nthe capital';
    typed.setSelectionRange(2, 5);
    mountChatPage(variant, NEVER);
    await frameGone();
    const [box] = messageBoxes();
    expect(box!.value).toBe('What is\nthe capital');
    expect(document.activeElement).toBe(box);
    expect([box!.selectionStart, box!.selectionEnd]).toEqual([2, 5]);
    // The chat's own state has the text (the box is controlled): it sizes the box for two lines.
    await vi.waitFor(() => expect(box!.getAttribute('rows')).toBe('2'));
    expect(box!.value).toBe('What is\nthe capital');
  });

  it('leaves the focus alone when the frame\'s box did not have it', async () => {
    await unlockedAccount();
    connectBackground();
    openFramePage('popup');
    mountChatPage('popup', NEVER);
    await frameGone();
    expect(document.activeElement).not.toBe(messageBoxes()[0]);
  });

  it('gives way to the unlock form when the vault is locked', async () => {
    const hash = await unlockedAccount();
    await lock(hash);
    connectBackground();
    openFramePage('popup');
    mountChatPage('popup', NEVER);
    await findByName(document.body, 'button', 'Unlock');
    expect(frame()).toBeNull();
    expect(app().hidden).toBe(false);
    expect(messageBoxes()).toHaveLength(0);
  });

  it('keeps a question typed into the frame through the unlock, into the chat\'s box', async () => {
    const hash = await unlockedAccount();
    await lock(hash);
    connectBackground();
    openFramePage('popup');
    messageBoxes()[0]!.value = 'typed before the page knew it was locked';
    mountChatPage('popup', NEVER);
    await findByName(document.body, 'button', 'Unlock');
    expect(messageBoxes()).toHaveLength(0);
    await unlock(hash, OLD_PASSWORD);
    await vi.waitFor(() => expect(messageBoxes()).toHaveLength(1), { timeout: 5000 });
    await vi.waitFor(() => expect(messageBoxes()[0]!.value).toBe('typed before the page knew it was locked'));
  });

  it('gives way to the signed-out page when signed out', async () => {
    connectBackground();
    openFramePage('sidepanel');
    mountChatPage('sidepanel', NEVER);
    await findByName(document.body, 'button', 'Sign in');
    expect(frame()).toBeNull();
    expect(app().hidden).toBe(false);
    expect(messageBoxes()).toHaveLength(0);
  });

  it('gives way after maxSkeletonMs even when the background never answers, keeping what was typed', async () => {
    openFramePage('popup');
    backgroundNeverAnswers();
    const typed = messageBoxes()[0]!;
    typed.value = 'Hello';
    mountChatPage('popup', 50);
    await frameGone();
    expect(app().hidden).toBe(false);
    expect(app().textContent).toContain('Checking your account');
  });
});

describe('a chat page without a frame', () => {
  it('renders the chat at once into #app', async () => {
    document.body.innerHTML = '<div id="app"></div>';
    connectBackground();
    mountChatPage('popup');
    expect(app().querySelector('header h1')?.textContent).toBe('ExpressAI');
    await findByName(app(), 'button', 'Sign in');
    expect(app().hidden).toBe(false);
  });
});

describe('adoptSkeleton', () => {
  function pageWith(frameText: string, chatText: string) {
    document.body.innerHTML = `<div data-chat-skeleton><textarea aria-label="Message"></textarea></div><div id="app" hidden><textarea aria-label="Message"></textarea></div>`;
    const [from, to] = messageBoxes();
    from!.value = frameText;
    to!.value = chatText;
    const inputs: string[] = [];
    to!.addEventListener('input', () => inputs.push(to!.value));
    return { from: from!, to: to!, inputs };
  }

  it('does not overwrite text the chat\'s box already has', () => {
    const { from, to, inputs } = pageWith('typed in the frame', 'the last question, back for editing');
    from.focus();
    adoptSkeleton(frame()!, app());
    expect(to.value).toBe('the last question, back for editing');
    expect(inputs).toEqual([]);
    expect(document.activeElement).toBe(to);
    expect(frame()).toBeNull();
    expect(app().hidden).toBe(false);
  });

  it('tells the chat about the text with an input event', () => {
    const { from, to, inputs } = pageWith('typed', '');
    from.setSelectionRange(5, 5);
    adoptSkeleton(frame()!, app());
    expect(to.value).toBe('typed');
    expect(inputs).toEqual(['typed']);
    expect(to.selectionStart).toBe(5);
    expect(document.activeElement).not.toBe(to);
  });

  it('hands the text to a chat box that appears later, unless that box already has text', async () => {
    document.body.innerHTML = '<div data-chat-skeleton><textarea aria-label="Message"></textarea></div><div id="app" hidden><p>Opening your history…</p></div>';
    messageBoxes()[0]!.value = 'early';
    adoptSkeleton(frame()!, app());
    const late = document.createElement('textarea');
    late.setAttribute('aria-label', 'Message');
    app().append(late);
    await vi.waitFor(() => expect(late.value).toBe('early'));
    expect(document.activeElement).toBe(late);

    document.body.innerHTML = '<div data-chat-skeleton><textarea aria-label="Message"></textarea></div><div id="app" hidden></div>';
    messageBoxes()[0]!.value = 'early';
    adoptSkeleton(frame()!, app());
    const kept = document.createElement('textarea');
    kept.setAttribute('aria-label', 'Message');
    kept.value = 'a draft of its own';
    app().append(kept);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(kept.value).toBe('a draft of its own');
  });

  it('shows the chat even when the frame has no box', () => {
    document.body.innerHTML = '<div data-chat-skeleton></div><div id="app" hidden></div>';
    adoptSkeleton(frame()!, app());
    expect(frame()).toBeNull();
    expect(app().hidden).toBe(false);
  });
});
