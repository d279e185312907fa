import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { openHistoryDb } from '@/utils/vault/history-db';
import { openHistory } from '@/utils/vault/history-store';
import { SORT_PRECISION_MS } from '@/utils/vault/history-codec';
import type { Conversation } from '@/utils/vault/history-types';
import { createVault, lock } from '@/utils/vault/vault-session';
import { OLD_PASSWORD, putRawRows, randomHash, rawRows, SMALL } from './vault-test-kit';

beforeEach(() => {
  fakeBrowser.reset();
});

const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);

async function unlockedHistory() {
  const hash = randomHash();
  await createVault(hash, OLD_PASSWORD, { cost: SMALL });
  return { hash, history: openHistory(hash) };
}

const conversation = (id: string, minutes: number, title = `Chat ${id}`): Conversation => ({
  id,
  title,
  createdAt: T0,
  updatedAt: T0 + minutes * 60_000 + 1234,
});

describe('encrypted history store', () => {
  it('stores conversations and messages and reads them back in order', async () => {
    const { history } = await unlockedHistory();
    await history.saveConversation(conversation('a', 1));
    await history.saveConversation(conversation('b', 2));
    const first = await history.addMessage({ conversationId: 'a', role: 'user', content: 'Hello', createdAt: T0 + 10 * 60_000 });
    const second = await history.addMessage({ conversationId: 'a', role: 'assistant', content: 'Hi! **How** can I help?', createdAt: T0 + 10 * 60_000 + 5 });

    expect([first.seq, second.seq]).toEqual([0, 1]);
    expect((await history.getMessages('a')).items.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Hello'],
      ['assistant', 'Hi! **How** can I help?'],
    ]);
    // Adding a message moved "a" to the top.
    const page = await history.listConversations();
    expect(page.items.map((c) => c.id)).toEqual(['a', 'b']);
    expect(page.items[0]!.updatedAt).toBe(second.createdAt);
    expect(await history.getConversation('b')).toEqual(conversation('b', 2));
    expect(await history.getConversation('nope')).toBeUndefined();
    expect(await history.getConversations(['b', 'nope', 'a'])).toEqual([conversation('b', 2), undefined, { ...conversation('a', 1), updatedAt: second.createdAt }]);
    expect(await history.getConversations([])).toEqual([]);
  });

  it('keeps only ids, a minute-rounded time and message order in clear, with a fresh 96-bit IV per record', async () => {
    const { hash, history } = await unlockedHistory();
    await history.saveConversation(conversation('a', 1, 'Secret title'));
    await history.addMessage({ conversationId: 'a', role: 'user', content: 'one', createdAt: T0 });
    await history.addMessage({ conversationId: 'a', role: 'user', content: 'two', createdAt: T0 });
    const [conv] = await rawRows(hash, 'conversations');
    expect(Object.keys(conv!).sort()).toEqual(['ct', 'id', 'iv', 'sortTime']);
    expect((conv!.sortTime as number) % SORT_PRECISION_MS).toBe(0);
    const messages = await rawRows(hash, 'messages');
    expect(messages.map((m) => Object.keys(m).sort())).toEqual(Array(2).fill(['conversationId', 'ct', 'id', 'iv', 'seq']));
    const ivs = [conv!, ...messages].map((r) => Buffer.from(r.iv as Uint8Array).toString('hex'));
    expect(ivs.every((iv) => iv.length === 24)).toBe(true);
    expect(new Set(ivs).size).toBe(3);
  });

  it('pages through conversations that share a minute without skipping or repeating any', async () => {
    const { history } = await unlockedHistory();
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
    for (const [i, id] of ids.entries()) await history.saveConversation({ ...conversation(id, 5), updatedAt: T0 + 5 * 60_000 + i });
    const seen: string[] = [];
    let page = await history.listConversations({ limit: 3 });
    seen.push(...page.items.map((c) => c.id));
    while (page.next) {
      page = await history.listConversations({ limit: 3, after: page.next });
      seen.push(...page.items.map((c) => c.id));
    }
    expect(seen.sort()).toEqual(ids);
  });

  it('deletes a conversation with all its messages, and leaves others alone', async () => {
    const { hash, history } = await unlockedHistory();
    await history.saveConversation(conversation('a', 1));
    await history.saveConversation(conversation('b', 1));
    await history.addMessage({ conversationId: 'a', role: 'user', content: 'x', createdAt: T0 });
    await history.addMessage({ conversationId: 'b', role: 'user', content: 'y', createdAt: T0 });
    await history.deleteConversation('a');
    expect((await history.listConversations()).items.map((c) => c.id)).toEqual(['b']);
    expect((await rawRows(hash, 'messages')).map((m) => m.conversationId)).toEqual(['b']);
  });

  it('refuses a message for a conversation that does not exist', async () => {
    const { history } = await unlockedHistory();
    await expect(history.addMessage({ conversationId: 'ghost', role: 'user', content: 'x', createdAt: T0 })).rejects.toMatchObject({ code: 'internal_error' });
  });

  it('fails every read and write with vault_locked once locked', async () => {
    const { hash, history } = await unlockedHistory();
    await history.saveConversation(conversation('a', 1));
    await lock(hash);
    await expect(history.listConversations()).rejects.toMatchObject({ code: 'vault_locked' });
    await expect(history.getMessages('a')).rejects.toMatchObject({ code: 'vault_locked' });
    await expect(history.saveConversation(conversation('b', 1))).rejects.toMatchObject({ code: 'vault_locked' });
    await expect(history.addMessage({ conversationId: 'a', role: 'user', content: 'x', createdAt: T0 })).rejects.toMatchObject({ code: 'vault_locked' });
    await expect(history.scanAll(() => undefined)).rejects.toMatchObject({ code: 'vault_locked' });
  });

  it('scans everything in batches', async () => {
    const { history } = await unlockedHistory();
    for (let i = 0; i < 7; i++) {
      await history.saveConversation(conversation(`c${i}`, i));
      await history.addMessage({ conversationId: `c${i}`, role: 'user', content: `m${i}`, createdAt: T0 });
    }
    const batches: [number, number][] = [];
    const damaged = await history.scanAll((b) => void batches.push([b.conversations.length, b.messages.length]), { batchSize: 3 });
    expect(damaged).toEqual([]);
    expect(batches).toEqual([[3, 0], [3, 0], [1, 0], [0, 3], [0, 3], [0, 1]]);
  });
});

describe('tampered records', () => {
  async function historyWithThree() {
    const { hash, history } = await unlockedHistory();
    for (const [i, id] of ['a', 'b', 'c'].entries()) {
      await history.saveConversation(conversation(id, i));
      await history.addMessage({ conversationId: id, role: 'user', content: `message ${id}`, createdAt: T0 + i * 60_000 });
      await history.addMessage({ conversationId: id, role: 'assistant', content: `answer ${id}`, createdAt: T0 + i * 60_000 + 1 });
    }
    return { hash, history };
  }
  const byId = (rows: Record<string, unknown>[], id: string) => rows.find((r) => r.id === id)!;
  const flipByte = (bytes: Uint8Array, at = 3) => {
    const copy = bytes.slice();
    copy[at] = copy[at]! ^ 0x01;
    return copy;
  };

  it('reports a conversation with one flipped ciphertext byte as damaged and lists the rest', async () => {
    const { hash, history } = await historyWithThree();
    const row = byId(await rawRows(hash, 'conversations'), 'b');
    await putRawRows(hash, 'conversations', [{ ...row, ct: flipByte(row.ct as Uint8Array) }]);
    const page = await history.listConversations();
    expect(page.items.map((c) => c.id)).toEqual(['c', 'a']);
    expect(page.damaged).toEqual([{ store: 'conversations', id: 'b' }]);
    // Its messages are still readable.
    expect((await history.getMessages('b')).items).toHaveLength(2);
    await expect(history.getConversation('b')).rejects.toMatchObject({ code: 'vault_damaged' });
    // Asked with others (a search's hits), a damaged one is left out and the rest still come.
    expect((await history.getConversations(['c', 'b', 'a'])).map((c) => c?.id)).toEqual(['c', undefined, 'a']);
  });

  it('reports two conversations whose ciphertexts were swapped as damaged', async () => {
    const { hash, history } = await historyWithThree();
    const rows = await rawRows(hash, 'conversations');
    const [a, c] = [byId(rows, 'a'), byId(rows, 'c')];
    await putRawRows(hash, 'conversations', [
      { ...a, iv: c.iv, ct: c.ct },
      { ...c, iv: a.iv, ct: a.ct },
    ]);
    const page = await history.listConversations();
    expect(page.items.map((x) => x.id)).toEqual(['b']);
    expect(page.damaged.map((d) => d.id).sort()).toEqual(['a', 'c']);
  });

  it('catches messages moved to another conversation, reordered, or swapped, and a flipped IV', async () => {
    const { hash, history } = await historyWithThree();
    const messages = (await rawRows(hash, 'messages')).sort((x, y) => (x.seq as number) - (y.seq as number));
    const ofA = messages.filter((m) => m.conversationId === 'a');
    const ofB = messages.filter((m) => m.conversationId === 'b');
    const ofC = messages.filter((m) => m.conversationId === 'c');
    await putRawRows(hash, 'messages', [
      { ...ofA[0]!, conversationId: 'b', seq: 7 }, // moved into b
      { ...ofB[0]!, seq: 1 }, // reordered: now collides with b's second
      { ...ofC[0]!, iv: ofC[1]!.iv, ct: ofC[1]!.ct }, // swapped with its neighbour
      { ...ofC[1]!, iv: flipByte(ofC[1]!.iv as Uint8Array, 0) },
    ]);
    const a = await history.getMessages('a');
    expect(a.items.map((m) => m.content)).toEqual(['answer a']);
    const b = await history.getMessages('b');
    expect(b.items.map((m) => m.content)).toEqual(['answer b']);
    expect(b.damaged.map((d) => d.id).sort()).toEqual([ofA[0]!.id, ofB[0]!.id].sort());
    const c = await history.getMessages('c');
    expect(c.items).toEqual([]);
    expect(c.damaged).toHaveLength(2);
  });

  it('survives rows of the wrong shape and changed clear times, and the scan reports them all', async () => {
    const { hash, history } = await historyWithThree();
    const rows = await rawRows(hash, 'conversations');
    await putRawRows(hash, 'conversations', [
      { id: 'a', sortTime: 0, iv: 'not bytes', ct: null },
      { ...byId(rows, 'b'), sortTime: (byId(rows, 'b').sortTime as number) + 60_000 },
    ]);
    const page = await history.listConversations();
    expect(page.items.map((x) => x.id)).toEqual(['c']);
    expect(page.damaged.map((d) => d.id).sort()).toEqual(['a', 'b']);
    const seen: string[] = [];
    const damaged = await history.scanAll(({ conversations }) => void seen.push(...conversations.map((x) => x.id)));
    expect(seen).toEqual(['c']);
    expect(damaged.map((d) => d.id).sort()).toEqual(['a', 'b']);
  });
});

describe('two subscriptions on one browser', () => {
  it('keep separate databases and keys: neither sees nor can read the other’s history', async () => {
    const one = await unlockedHistory();
    const two = await unlockedHistory();
    await one.history.saveConversation(conversation('shared-id', 1, 'Only for one'));
    await two.history.saveConversation(conversation('other', 1, 'Only for two'));
    expect((await one.history.listConversations()).items.map((c) => c.title)).toEqual(['Only for one']);
    expect((await two.history.listConversations()).items.map((c) => c.title)).toEqual(['Only for two']);

    // Even a row copied across databases stays unreadable: each vault has its own data key.
    await putRawRows(two.hash, 'conversations', await rawRows(one.hash, 'conversations'));
    const page = await two.history.listConversations();
    expect(page.items.map((c) => c.title)).toEqual(['Only for two']);
    expect(page.damaged).toEqual([{ store: 'conversations', id: 'shared-id' }]);

    await lock(one.hash);
    await expect(one.history.listConversations()).rejects.toMatchObject({ code: 'vault_locked' });
    expect((await two.history.listConversations()).items).toHaveLength(1);
  });
});

describe('a message and its search index record', () => {
  const sealedRecord = (key: number) => ({ key, iv: new Uint8Array(12), ct: new Uint8Array([1, 2, 3]) });
  const searchLog = async (hash: string) => (await openHistoryDb(hash)).getAll('searchLog');

  it('are written in one transaction: both are stored', async () => {
    const { hash, history } = await unlockedHistory();
    await history.saveConversation(conversation('a', 1));
    await history.addMessage({ conversationId: 'a', role: 'user', content: 'Hello', createdAt: T0 + 5 * 60_000 }, { searchRecord: sealedRecord(7) });
    expect(await rawRows(hash, 'messages')).toHaveLength(1);
    expect((await searchLog(hash)).map((row) => row.key)).toEqual([7]);
  });

  it('or neither: a record that cannot be written leaves the message unwritten and the conversation untouched', async () => {
    const { hash, history } = await unlockedHistory();
    await history.saveConversation(conversation('a', 1));
    const conversationBefore = await rawRows(hash, 'conversations');
    // No key: the record's put fails after the message's and the conversation's were queued in the same transaction.
    const broken = { iv: new Uint8Array(12), ct: new Uint8Array([1]) } as unknown as ReturnType<typeof sealedRecord>;
    await expect(history.addMessage({ conversationId: 'a', role: 'user', content: 'Hello', createdAt: T0 + 90 * 60_000 }, { searchRecord: broken })).rejects.toThrow();
    expect(await rawRows(hash, 'messages')).toEqual([]);
    expect(await rawRows(hash, 'conversations')).toEqual(conversationBefore);
    expect(await searchLog(hash)).toEqual([]);
    // The store still works afterwards.
    await history.addMessage({ conversationId: 'a', role: 'user', content: 'Again', createdAt: T0 + 91 * 60_000 });
    expect((await history.getMessages('a')).items.map((m) => m.content)).toEqual(['Again']);
  });
});
