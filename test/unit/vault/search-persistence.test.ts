import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fakeBrowser } from 'wxt/testing';
import { openHistory } from '@/utils/vault/history-store';
import { openHistoryDb } from '@/utils/vault/history-db';
import { SearchIndex } from '@/utils/vault/search-index';
import { COMPACT_AFTER, openPersistentSearch, SEARCH_SNAPSHOT_KEY, type SearchSources } from '@/utils/vault/search-persistence';
import { decodeSnapshot, encodeSnapshot } from '@/utils/vault/search-snapshot';
import { tokenize } from '@/utils/vault/search-tokens';
import { purgeExpired } from '@/utils/vault/retention';
import { resetVault } from '@/utils/vault/vault-reset';
import { createVault } from '@/utils/vault/vault-session';
import { historyRetention } from '@/utils/storage-items';
import { deleteAllDatabases, dumpIndexedDb, OLD_PASSWORD, randomHash, SMALL } from './vault-test-kit';

beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
});

const WORDS = ['alpha', 'alps', 'beta', 'bet', 'gamma', 'game', 'delta', 'café', 'cafeteria', 'zeta'];
const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }).map((w) => w.join(' '));
const query = fc.array(fc.constantFrom(...WORDS.map((w) => w.slice(0, 3)), ...WORDS), { minLength: 1, maxLength: 3 }).map((t) => t.join(' '));

interface Doc {
  title: string;
  messages: string[];
  at: number;
}

/** What a search must return: every conversation having each query word as a prefix of one of its words, newest first. */
function bruteForce(docs: Map<string, Doc>, q: string): string[] {
  const terms = tokenize(q);
  return [...docs]
    .filter(([, d]) => {
      const tokens = tokenize([d.title, ...d.messages].join(' '));
      return terms.every((t) => tokens.some((token) => token.startsWith(t)));
    })
    .sort(([a, x], [b, y]) => y.at - x.at || (a < b ? -1 : 1))
    .map(([id]) => id);
}

/** A random history edited at random: add, message, rename, replace, remove. */
const edits = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('add' as const), title: text, messages: fc.array(text, { maxLength: 3 }) }),
    fc.record({ op: fc.constant('message' as const), target: fc.nat(), content: text }),
    fc.record({ op: fc.constant('rename' as const), target: fc.nat(), title: text }),
    fc.record({ op: fc.constant('replace' as const), target: fc.nat(), messages: fc.array(text, { maxLength: 3 }) }),
    fc.record({ op: fc.constant('remove' as const), target: fc.nat() }),
  ),
  { maxLength: 25 },
);

type Edit = typeof edits extends fc.Arbitrary<(infer E)[]> ? E : never;

/** Applies the edits to an index and to a plain model; `snapshotAt` round-trips the index through bytes midway. */
function play(list: Edit[], snapshotAt: number): { index: SearchIndex; docs: Map<string, Doc> } {
  let index = new SearchIndex();
  const docs = new Map<string, Doc>();
  list.forEach((edit, step) => {
    if (step === snapshotAt) index = SearchIndex.fromSnapshot(decodeSnapshot(encodeSnapshot(index.snapshot()))!);
    const at = step + 1;
    const ids = [...docs.keys()];
    const id = edit.op === 'add' ? `c${step}` : ids[edit.target % Math.max(1, ids.length)];
    if (id === undefined) return;
    const doc = docs.get(id);
    if (edit.op === 'add') {
      docs.set(id, { title: edit.title, messages: [...edit.messages], at });
      index.addConversation({ id, title: edit.title, updatedAt: at });
      for (const content of edit.messages) index.addMessage({ conversationId: id, content, createdAt: at });
    } else if (edit.op === 'message') {
      doc!.messages.push(edit.content);
      doc!.at = at;
      index.addMessage({ conversationId: id, content: edit.content, createdAt: at });
    } else if (edit.op === 'rename') {
      doc!.title = edit.title;
      index.addConversation({ id, title: edit.title, updatedAt: doc!.at });
    } else if (edit.op === 'replace') {
      doc!.messages = [...edit.messages];
      index.replaceConversation({ id, title: doc!.title, updatedAt: doc!.at }, edit.messages);
    } else {
      docs.delete(id);
      index.removeConversation(id);
    }
  });
  return { index, docs };
}

describe('SearchIndex through edits and snapshots', () => {
  it('agrees with a brute-force scan after any edits, with a snapshot round trip anywhere', () => {
    fc.assert(
      fc.property(edits, fc.nat(30), fc.array(query, { minLength: 1, maxLength: 4 }), (list, snapshotAt, queries) => {
        const { index, docs } = play(list, snapshotAt);
        const restored = SearchIndex.fromSnapshot(decodeSnapshot(encodeSnapshot(index.snapshot()))!);
        for (const q of queries) {
          expect(index.search(q)).toEqual(bruteForce(docs, q));
          expect(restored.search(q)).toEqual(bruteForce(docs, q));
        }
        expect(restored.size).toBe(docs.size);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses bytes it did not write', () => {
    const bytes = encodeSnapshot(new SearchIndex().snapshot());
    expect(decodeSnapshot(bytes)).toBeDefined();
    expect(decodeSnapshot(bytes.slice(0, -1))).toBeUndefined();
    expect(decodeSnapshot(new Uint8Array(3))).toBeUndefined();
  });
});

describe('the persistent search index', () => {
  async function setUp() {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    const history = openHistory(hash);
    let scans = 0;
    const sources: SearchSources = {
      scanAll: (onBatch, options) => {
        scans++;
        return history.scanAll(onBatch, options);
      },
      async read(id) {
        const conversation = await history.getConversation(id);
        return conversation && { conversation, contents: (await history.getMessages(id)).items.map((m) => m.content) };
      },
    };
    /** Writes a conversation to the history and tells the index, as the chat store does. */
    const add = async (search: ReturnType<typeof openPersistentSearch>, id: string, title: string, content: string, at: number) => {
      const conversation = { id, title, createdAt: at, updatedAt: at };
      await history.saveConversation(conversation);
      await history.addMessage({ conversationId: id, role: 'user', content, createdAt: at });
      await search.record({ op: 'conversation', conversation });
      await search.record({ op: 'message', conversationId: id, content, createdAt: at });
    };
    return { hash, history, sources, add, scans: () => scans, open: () => openPersistentSearch(hash, sources) };
  }

  const logCount = async (hash: string) => (await openHistoryDb(hash)).count('searchLog');

  it('is built once from the history, then loaded from its snapshot and log, never from a scan again', async () => {
    const rig = await setUp();
    await rig.history.saveConversation({ id: 'old', title: 'Kept before the index', createdAt: 1, updatedAt: 1 });
    await rig.history.addMessage({ conversationId: 'old', role: 'user', content: 'lisbon tram', createdAt: 1 });
    const first = rig.open();
    expect((await first.index()).search('lisbon')).toEqual(['old']);
    expect(rig.scans()).toBe(1);
    await rig.add(first, 'new', 'Porto trip', 'lisbon again', 5);
    expect((await first.index()).search('lis')).toEqual(['new', 'old']);

    const restarted = rig.open();
    expect((await restarted.index()).search('lis')).toEqual(['new', 'old']);
    expect((await restarted.index()).search('porto')).toEqual(['new']);
    expect(rig.scans()).toBe(1);
  });

  it('keeps every change of a page that never loaded the index, and compacts a long log into the snapshot', async () => {
    const rig = await setUp();
    await rig.open().index();
    const writer = rig.open();
    for (let i = 0; i < COMPACT_AFTER + 5; i++) await rig.add(writer, `c${i}`, `Topic ${i}`, i === 7 ? 'needle' : 'hay', 10 + i);
    expect(await logCount(rig.hash)).toBe(2 * (COMPACT_AFTER + 5));
    const reader = rig.open();
    expect((await reader.index()).search('needle')).toEqual(['c7']);
    expect(await logCount(rig.hash)).toBe(0);
    await rig.history.deleteConversation('c7');
    await reader.record({ op: 'remove', id: 'c7' });
    expect((await reader.index()).search('needle')).toEqual([]);
    expect((await rig.open().index()).search('needle')).toEqual([]);
    expect(rig.scans()).toBe(1);
  });

  it('a compaction keeps a prepared change whose message write committed but which the index has not applied yet', async () => {
    const rig = await setUp();
    const search = rig.open();
    await search.index();
    await rig.history.saveConversation({ id: 'n', title: 'Sea life', createdAt: 1, updatedAt: 1 });
    await search.record({ op: 'conversation', conversation: { id: 'n', title: 'Sea life', updatedAt: 1 } });
    const prepared = await search.prepare({ op: 'message', conversationId: 'n', content: 'narwhal tusk', createdAt: 2 });
    await rig.history.addMessage({ conversationId: 'n', role: 'user', content: 'narwhal tusk', createdAt: 2 }, { searchRecord: prepared.row });
    // Before `written` runs, enough other changes to compact the log into a snapshot that lacks this one.
    await (await openHistoryDb(rig.hash)).clear('search');
    for (let i = 0; i < COMPACT_AFTER; i++) await search.record({ op: 'conversation', conversation: { id: `o${i}`, title: `Other ${i}`, updatedAt: 3 } });
    const db = await openHistoryDb(rig.hash);
    expect(await db.count('search')).toBe(1);
    // The background stops here: `written` never runs. The next one loads the snapshot and replays what the log kept.
    expect((await rig.open().index()).search('narwhal')).toEqual(['n']);
    await prepared.written();
    expect((await search.index()).search('narwhal')).toEqual(['n']);
  });

  it('applies renames, replaced messages and deletes, also after a reload', async () => {
    const rig = await setUp();
    const search = rig.open();
    await search.index();
    await rig.add(search, 'a', 'Lisbon', 'custard tart', 1);
    await rig.add(search, 'b', 'Recipes', 'tart dough', 2);
    await search.record({ op: 'conversation', conversation: { id: 'a', title: 'Porto', updatedAt: 1 } });
    await search.record({ op: 'replace', conversation: { id: 'b', title: 'Recipes', updatedAt: 2 }, contents: ['bread dough'] });
    for (const s of [search, rig.open()]) {
      const index = await s.index();
      expect(index.search('lisbon')).toEqual([]);
      expect(index.search('porto')).toEqual(['a']);
      expect(index.search('tart')).toEqual(['a']);
      expect(index.search('bread')).toEqual(['b']);
    }
    await rig.history.deleteConversation('a');
    await search.record({ op: 'remove', id: 'a' });
    expect((await rig.open().index()).search('tart')).toEqual([]);
  });

  it('drops conversations auto-delete removed while locked, and indexes ones it missed', async () => {
    const rig = await setUp();
    const search = rig.open();
    await search.index();
    await rig.add(search, 'expired', 'Old', 'ancient word', 1);
    await rig.add(search, 'recent', 'New', 'ancient word', Date.now());
    // Written without telling the index, as when the worker died between the two writes.
    await rig.history.saveConversation({ id: 'missed', title: 'Missed', createdAt: Date.now(), updatedAt: Date.now() });
    await rig.history.addMessage({ conversationId: 'missed', role: 'user', content: 'ancient scroll', createdAt: Date.now() });
    await historyRetention.setValue(30);
    expect(await purgeExpired(Date.now(), [rig.hash])).toBe(1);
    const index = await rig.open().index();
    expect(index.search('ancient')).toEqual(expect.arrayContaining(['recent', 'missed']));
    expect(index.search('ancient')).not.toContain('expired');
    expect(index.search('scroll')).toEqual(['missed']);
  });

  it('rebuilds from the history when the snapshot is damaged', async () => {
    const rig = await setUp();
    const search = rig.open();
    await search.index();
    await rig.add(search, 'a', 'Title', 'findme', 1);
    const db = await openHistoryDb(rig.hash);
    await (await rig.open().index());
    const sealed = (await db.get('search', SEARCH_SNAPSHOT_KEY))!;
    await db.put('search', { ...sealed, ct: sealed.ct.map((b) => b ^ 1) }, SEARCH_SNAPSHOT_KEY);
    expect((await rig.open().index()).search('findme')).toEqual(['a']);
    expect(rig.scans()).toBe(2);
  });

  it('stores only sealed data: no word of the history is on disk in clear', async () => {
    const rig = await setUp();
    const search = rig.open();
    await search.index();
    await rig.add(search, 'a', 'Zanzibarian holiday', 'quetzalcoatl xylophonist', 1);
    await rig.open().index();
    const dump = await dumpIndexedDb();
    expect(dump).toContain('searchLog');
    for (const word of ['zanzibarian', 'quetzalcoatl', 'xylophonist', 'Zanzibarian']) expect(dump).not.toContain(word);
  });

  it('is erased with the vault', async () => {
    const rig = await setUp();
    const search = rig.open();
    await search.index();
    await rig.add(search, 'a', 'Title', 'findme', 1);
    await resetVault(rig.hash);
    await createVault(rig.hash, OLD_PASSWORD, { cost: SMALL });
    const db = await openHistoryDb(rig.hash);
    expect(await db.count('search')).toBe(0);
    expect(await db.count('searchLog')).toBe(0);
    expect((await rig.open().index()).search('findme')).toEqual([]);
  });

  it('fails with vault_locked while locked', async () => {
    const rig = await setUp();
    const { lock } = await import('@/utils/vault/vault-session');
    await lock(rig.hash);
    const search = rig.open();
    await expect(search.index()).rejects.toMatchObject({ code: 'vault_locked' });
  });
});
