import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { openChatStore } from '@/utils/chat-engine/chat-store';
import type { ChatMessage } from '@/utils/chat/chat-state';
import { historyRetention, temporaryChatsDefault } from '@/utils/storage-items';
import { openHistoryDb } from '@/utils/vault/history-db';
import { purgeExpired } from '@/utils/vault/retention';
import { createVault } from '@/utils/vault/vault-session';
import { deleteAllDatabases, OLD_PASSWORD, randomHash, SMALL } from '../vault/vault-test-kit';

beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
});

const turn = (id: string, role: ChatMessage['role'], text: string, status: ChatMessage['status'] = 'complete'): ChatMessage => ({ id, role, text, status });

async function setUp() {
  const hash = randomHash();
  await createVault(hash, OLD_PASSWORD, { cost: SMALL });
  const store = openChatStore(hash);
  const chat = async (id: string, question: string, answer: string, now: number) => {
    await store.create(id, question, now);
    await store.saveTurn(id, turn(`${id}-q`, 'user', question), now);
    await store.saveTurn(id, turn(`${id}-a`, 'assistant', answer), now);
  };
  /** The titles a search lists, after the index caught up with the writes. */
  const found = async (query: string) => {
    await settle();
    return (await store.list(query)).map((c) => c.id);
  };
  return { hash, store, chat, found };
}

/** Index changes are recorded after the history write, without holding the chat up. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('searching the chat history', () => {
  it('finds new chats, follows renames and deletes, and survives a restarted background', async () => {
    const { hash, store, chat, found } = await setUp();
    expect(await found('lisbon')).toEqual([]);
    await chat('a', 'Trip to Lisbon', 'Take the tram', 1_000);
    await chat('b', 'Bread recipe', 'Knead the dough; lisbon bakeries do it too', 2_000);
    expect(await found('lisbon')).toEqual(['b', 'a']);
    expect(await found('porto')).toEqual([]);
    await store.rename('a', 'Porto weekend');
    expect(await found('porto tram')).toEqual(['a']);
    await store.remove('b');
    expect(await found('lisbon')).toEqual(['a']);
    expect(await found('knead')).toEqual([]);
    // A restarted background loads the sealed index: the same answers.
    await settle();
    const restarted = openChatStore(hash);
    expect((await restarted.list('porto')).map((c) => c.id)).toEqual(['a']);
    expect((await restarted.list('knead')).map((c) => c.id)).toEqual([]);
  });

  it("writes a message's words with the message: a background stopped right after the save still finds them", async () => {
    const { hash, store } = await setUp();
    await store.create('a', 'Question', 1_000);
    await settle();
    const db = await openHistoryDb(hash);
    const before = await db.count('searchLog');
    await store.saveTurn('a', turn('a-q', 'user', 'walrus tusks'), 1_000);
    // Nothing more runs in this background: the change record is already stored, in the message's transaction.
    expect(await db.count('searchLog')).toBe(before + 1);
    const restarted = openChatStore(hash);
    expect((await restarted.list('walrus')).map((c) => c.id)).toEqual(['a']);
  });

  it('forgets the words of a replaced answer once the new one is saved', async () => {
    const { store, chat, found } = await setUp();
    await chat('a', 'Question', 'zebra crossing', 1_000);
    expect(await found('zebra')).toEqual(['a']);
    store.markEdited('a');
    await store.saveTurn('a', turn('a-a', 'assistant', 'giraffe', 'streaming'), 2_000);
    await store.saveTurn('a', turn('a-a', 'assistant', 'giraffe neck'), 2_000);
    expect(await found('zebra')).toEqual([]);
    expect(await found('giraffe')).toEqual(['a']);
  });

  it('drops auto-deleted chats', async () => {
    const { hash, store, chat, found } = await setUp();
    await chat('old', 'Ancient scroll', 'papyrus', 1_000);
    await chat('new', 'Recent scroll', 'paper', Date.now());
    expect(await found('scroll')).toEqual(['new', 'old']);
    await historyRetention.setValue(30);
    expect(await purgeExpired(Date.now(), [hash])).toBe(1);
    expect(await found('scroll')).toEqual(['new']);
    store.dropIndex();
    expect(await found('papyrus')).toEqual([]);
  });

  it('searches temporary chats in memory and never writes their words to disk', async () => {
    const { hash, store, chat, found } = await setUp();
    await temporaryChatsDefault.setValue(true);
    await chat('t', 'Secret plan', 'whisper quietly', 1_000);
    expect(await found('whisper')).toEqual(['t']);
    expect(await (await openHistoryDb(hash)).count('searchLog')).toBe(0);
    await store.remove('t');
    expect(await found('whisper')).toEqual([]);
  });

  it('loads the index soon after a page asked for the list, before any search', async () => {
    const { hash, store, chat } = await setUp();
    await chat('a', 'Question', 'answer', 1_000);
    const db = await openHistoryDb(hash);
    expect(await db.count('search')).toBe(0);
    await store.list('');
    // The first load of a vault without a snapshot builds one and stores it.
    await vi.waitFor(async () => expect(await db.count('search')).toBe(1), { timeout: 5_000, interval: 50 });
  });
});
