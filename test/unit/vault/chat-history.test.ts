import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { historyRetention } from '@/utils/storage-items';
import { openChatHistory } from '@/utils/vault/chat-history';
import { createVault, lock } from '@/utils/vault/vault-session';
import { OLD_PASSWORD, randomHash, rawRows, SMALL } from './vault-test-kit';

beforeEach(() => {
  fakeBrowser.reset();
});

const chat = (id: string, updatedAt: number) => ({ id, title: `Chat ${id}`, createdAt: updatedAt, updatedAt });

async function setup() {
  const hash = randomHash();
  await createVault(hash, OLD_PASSWORD, { cost: SMALL });
  return { hash, chats: openChatHistory(hash) };
}

describe('ephemeral chats', () => {
  it('keeps a temporary chat in memory only, next to stored ones', async () => {
    const { hash, chats } = await setup();
    await chats.saveConversation(chat('kept', 1000));
    await chats.saveConversation(chat('temp', 2000), { temporary: true });
    await chats.addMessage({ conversationId: 'temp', role: 'user', content: 'off the record', createdAt: 3000 });
    await chats.addMessage({ conversationId: 'kept', role: 'user', content: 'on the record', createdAt: 2500 });

    expect(chats.isEphemeral('temp')).toBe(true);
    expect(chats.isEphemeral('kept')).toBe(false);
    expect((await rawRows(hash, 'conversations')).map((r) => r.id)).toEqual(['kept']);
    expect((await rawRows(hash, 'messages')).map((r) => r.conversationId)).toEqual(['kept']);
    expect((await chats.listConversations()).items.map((c) => c.id)).toEqual(['temp', 'kept']);
    expect((await chats.getMessages('temp')).items.map((m) => m.content)).toEqual(['off the record']);
    expect((await chats.getConversations(['kept', 'gone', 'temp'])).map((c) => c?.id)).toEqual(['kept', undefined, 'temp']);

    // Saving it again (a rename) does not move it to disk.
    await chats.saveConversation({ ...chat('temp', 4000), title: 'Renamed' });
    expect((await rawRows(hash, 'conversations')).map((r) => r.id)).toEqual(['kept']);

    // A new page has only what was stored.
    expect((await openChatHistory(hash).listConversations()).items.map((c) => c.id)).toEqual(['kept']);
  });

  it('with "keep no history", writes nothing to disk and works while the vault is locked', async () => {
    const { hash, chats } = await setup();
    await historyRetention.setValue('none');
    await lock(hash);
    await chats.saveConversation(chat('a', 1000));
    await chats.addMessage({ conversationId: 'a', role: 'user', content: 'hello', createdAt: 1500 });
    expect((await chats.listConversations()).items.map((c) => c.id)).toEqual(['a']);
    const seen: string[] = [];
    await chats.scanAll((b) => void seen.push(...b.messages.map((m) => m.content)));
    expect(seen).toEqual(['hello']);
    expect(await rawRows(hash, 'conversations')).toEqual([]);
    expect(await rawRows(hash, 'messages')).toEqual([]);
    await chats.deleteConversation('a');
    expect((await chats.listConversations()).items).toEqual([]);
  });
});
