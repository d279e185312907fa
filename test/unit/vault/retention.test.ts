import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { historyRetention } from '@/utils/storage-items';
import { historyDbName } from '@/utils/vault/history-db';
import { openHistory } from '@/utils/vault/history-store';
import { DAY_MS, purgeExpired, retentionCutoff } from '@/utils/vault/retention';
import { createVault, lock } from '@/utils/vault/vault-session';
import { deleteAllDatabases, OLD_PASSWORD, randomHash, rawRows, SMALL } from './vault-test-kit';

beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
});

const NOW = Date.UTC(2025, 5, 1);

/** A vault with chats last active 0.5, 3, 10, 45 and 100 days ago, each with one message; locked. */
async function agedHistory() {
  const hash = randomHash();
  await createVault(hash, OLD_PASSWORD, { cost: SMALL });
  const history = openHistory(hash);
  for (const days of [0.5, 3, 10, 45, 100]) {
    const at = NOW - days * DAY_MS;
    await history.saveConversation({ id: `d${days}`, title: `${days} days`, createdAt: at, updatedAt: at });
    await history.addMessage({ conversationId: `d${days}`, role: 'user', content: 'hi', createdAt: at });
  }
  await lock(hash);
  return hash;
}

const storedIds = async (hash: string) => (await rawRows(hash, 'conversations')).map((r) => r.id).sort();

describe('retention', () => {
  it('maps each setting to a cutoff', () => {
    expect(retentionCutoff('forever', NOW)).toBeNull();
    expect(retentionCutoff(7, NOW)).toBe(NOW - 7 * DAY_MS);
    expect(retentionCutoff('none', NOW)).toBe(Number.POSITIVE_INFINITY);
  });

  it('keeps everything by default', async () => {
    const hash = await agedHistory();
    expect(await historyRetention.getValue()).toBe('forever');
    expect(await purgeExpired(NOW)).toBe(0);
    expect(await storedIds(hash)).toHaveLength(5);
  });

  it.each([
    [1, ['d0.5']],
    [7, ['d0.5', 'd3']],
    [30, ['d0.5', 'd10', 'd3']],
    [90, ['d0.5', 'd10', 'd3', 'd45']],
  ] as const)('after %s days, deletes older chats and their messages while the vault is locked', async (days, kept) => {
    const hash = await agedHistory();
    await historyRetention.setValue(days);
    expect(await purgeExpired(NOW)).toBe(5 - kept.length);
    expect(await storedIds(hash)).toEqual(kept);
    expect((await rawRows(hash, 'messages')).map((m) => m.conversationId).sort()).toEqual(kept);
  });

  it('"keep no history" removes everything already stored', async () => {
    const hash = await agedHistory();
    await historyRetention.setValue('none');
    expect(await purgeExpired(NOW)).toBe(5);
    expect(await rawRows(hash, 'messages')).toEqual([]);
  });

  it('purges every subscription on the device by default, or just the ones named, and never creates a database', async () => {
    const [a, b] = [await agedHistory(), await agedHistory()];
    await historyRetention.setValue(30);
    const unknown = randomHash();
    expect(await purgeExpired(NOW, [a, unknown])).toBe(2);
    expect(await storedIds(b)).toHaveLength(5);
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(historyDbName(unknown));
    expect(await purgeExpired(NOW)).toBe(2);
    expect(await storedIds(b)).toHaveLength(3);
  });
});
