import { beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fakeBrowser } from 'wxt/testing';
import { buildSearchIndex } from '@/utils/vault/build-search-index';
import { openHistory } from '@/utils/vault/history-store';
import { SearchIndex } from '@/utils/vault/search-index';
import { tokenize } from '@/utils/vault/search-tokens';
import { createVault, lock } from '@/utils/vault/vault-session';
import { OLD_PASSWORD, putRawRows, randomHash, rawRows, SMALL } from './vault-test-kit';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('tokenize', () => {
  it('lower-cases, drops accents and punctuation, and unifies compatibility forms', () => {
    expect(tokenize('Café, RÉSUMÉ & naïve—déjà-vu!')).toEqual(['cafe', 'resume', 'naive', 'deja', 'vu']);
    expect(tokenize('ＦＵＬＬ width ﬁle №5')).toEqual(['full', 'width', 'file', 'no5']);
    expect(tokenize('Straße İstanbul')).toEqual(['straße', 'istanbul']);
  });

  it('splits Chinese and Japanese into characters and keeps other scripts as words', () => {
    expect(tokenize('東京タワー GPT4 привет')).toEqual(['東', '京', 'タ', 'ワ', 'ー', 'gpt4', 'привет']);
  });

  it('cuts very long runs', () => {
    expect(tokenize('x'.repeat(500))).toEqual(['x'.repeat(32)]);
  });
});

describe('SearchIndex', () => {
  function sample() {
    const index = new SearchIndex();
    index.addConversation({ id: 'trip', title: 'Trip to Lisbon', updatedAt: 300 });
    index.addMessage({ conversationId: 'trip', content: 'Find a café near the Tagus river' });
    index.addConversation({ id: 'code', title: 'TypeScript generics', updatedAt: 200 });
    index.addMessage({ conversationId: 'code', content: 'How do conditional types work in TypeScript?' });
    index.addConversation({ id: 'food', title: 'Recipes', updatedAt: 100 });
    index.addMessage({ conversationId: 'food', content: 'A Lisbon custard tart recipe, café style' });
    return index;
  }

  it('finds words in titles and messages, as prefixes, ignoring case and accents, newest first', () => {
    const index = sample();
    expect(index.search('lisbon')).toEqual(['trip', 'food']);
    expect(index.search('CAFE')).toEqual(['trip', 'food']);
    expect(index.search('typ')).toEqual(['code']);
    expect(index.search('rec')).toEqual(['food']);
    expect(index.search('lisbon', { limit: 1 })).toEqual(['trip']);
  });

  it('requires every word of the query', () => {
    const index = sample();
    expect(index.search('café lis')).toEqual(['trip', 'food']);
    expect(index.search('café tagus')).toEqual(['trip']);
    expect(index.search('lisbon generics')).toEqual([]);
    expect(index.search('   ')).toEqual([]);
    expect(index.search('zzz')).toEqual([]);
  });

  it('forgets an old title but keeps words that also appear in messages; removes conversations', () => {
    const index = sample();
    index.addConversation({ id: 'trip', title: 'Porto weekend', updatedAt: 400 });
    expect(index.search('trip')).toEqual([]);
    expect(index.search('porto')).toEqual(['trip']);
    index.addConversation({ id: 'code', title: 'Conditional', updatedAt: 200 });
    expect(index.search('typescript')).toEqual(['code']); // still in its message
    index.removeConversation('food');
    expect(index.search('recipe')).toEqual([]);
    expect(index.search('lisbon')).toEqual([]);
    expect(index.size).toBe(2);
  });

  it('stays right while the history changes between searches (cached words are refreshed)', () => {
    const index = sample();
    expect(index.search('lisbon tart')).toEqual(['food']);
    index.addMessage({ conversationId: 'trip', content: 'and a tart', createdAt: 300 });
    expect(index.search('lisbon tart')).toEqual(['trip', 'food']);
    index.addConversation({ id: 'trip', title: 'Trip', updatedAt: 300 });
    expect(index.search('lisbon')).toEqual(['food']);
    index.addConversation({ id: 'new', title: 'Lisbon again', updatedAt: 500 });
    expect(index.search('lisbon')).toEqual(['new', 'food']);
    index.removeConversation('new');
    expect(index.search('lisbon')).toEqual(['food']);
  });

  it('agrees with a brute-force scan on random histories and queries', () => {
    const words = ['alpha', 'alps', 'beta', 'bet', 'gamma', 'game', 'delta', 'café', 'cafeteria', 'zeta'];
    const text = fc.array(fc.constantFrom(...words), { maxLength: 6 }).map((w) => w.join(' '));
    const docs = fc.array(fc.record({ title: text, messages: fc.array(text, { maxLength: 3 }) }), { maxLength: 12 });
    const query = fc.array(fc.constantFrom(...words.map((w) => w.slice(0, 3)), ...words), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(docs, query, (conversations, terms) => {
        const index = new SearchIndex();
        conversations.forEach((c, i) => {
          index.addConversation({ id: `c${i}`, title: c.title, updatedAt: i });
          for (const content of c.messages) index.addMessage({ conversationId: `c${i}`, content });
        });
        const expected = conversations
          .map((c, i) => ({ id: `c${i}`, tokens: tokenize([c.title, ...c.messages].join(' ')), at: i }))
          .filter((c) => tokenize(terms.join(' ')).every((t) => c.tokens.some((token) => token.startsWith(t))))
          .sort((a, b) => b.at - a.at)
          .map((c) => c.id);
        expect(index.search(terms.join(' '))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('buildSearchIndex', () => {
  it('indexes the decrypted history in batches, skipping and reporting damaged records', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    const history = openHistory(hash);
    for (let i = 0; i < 25; i++) {
      await history.saveConversation({ id: `c${i}`, title: `Topic ${i}`, createdAt: i, updatedAt: i });
      await history.addMessage({ conversationId: `c${i}`, role: 'user', content: i % 5 === 0 ? `rare word ${i}` : 'common', createdAt: i });
    }
    const [row] = (await rawRows(hash, 'messages')).filter((m) => m.conversationId === 'c10');
    await putRawRows(hash, 'messages', [{ ...row!, ct: new Uint8Array(40) }]);

    const { index, damaged } = await buildSearchIndex(history, { batchSize: 4 });
    expect(index.size).toBe(25);
    expect(index.search('rare')).toEqual(['c20', 'c15', 'c5', 'c0']);
    expect(index.search('topic 1')).toEqual(['c19', 'c18', 'c17', 'c16', 'c15', 'c14', 'c13', 'c12', 'c11', 'c10', 'c1']);
    expect(damaged).toEqual([{ store: 'messages', id: row!.id }]);
  });

  it('stops with vault_locked when the vault is locked', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    const history = openHistory(hash);
    await history.saveConversation({ id: 'c', title: 't', createdAt: 1, updatedAt: 1 });
    await lock(hash);
    await expect(buildSearchIndex(history)).rejects.toMatchObject({ code: 'vault_locked' });
  });
});
