import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { historyRetention } from '@/utils/storage-items';
import { openHistory } from '@/utils/vault/history-store';
import { DAY_MS } from '@/utils/vault/retention';
import { applyRetention, registerRetentionSchedule, RETENTION_ALARM, type RetentionDeps } from '@/utils/vault/retention-schedule';
import { createVault, lock } from '@/utils/vault';
import { deleteAllDatabases, OLD_PASSWORD, randomHash, rawRows, SMALL } from '../vault/vault-test-kit';

const NOW = Date.UTC(2025, 5, 1);

function fakeAlarms() {
  const alarms = new Map<string, { delayInMinutes: number; periodInMinutes: number }>();
  const listeners: ((alarm: { name: string }) => void)[] = [];
  const deps: RetentionDeps = {
    alarms: {
      get: async (name) => alarms.get(name),
      create: vi.fn((name: string, info: { delayInMinutes: number; periodInMinutes: number }) => void alarms.set(name, info)),
      clear: async (name) => alarms.delete(name),
      onAlarm: { addListener: (cb) => void listeners.push(cb) },
    },
    now: () => NOW,
  };
  return { deps, alarms, fire: (name: string) => listeners.forEach((cb) => cb({ name })) };
}

async function historyWithChatsAged(days: number[]): Promise<string> {
  const hash = randomHash();
  await createVault(hash, OLD_PASSWORD, { cost: SMALL });
  const history = openHistory(hash);
  for (const d of days) await history.saveConversation({ id: `d${d}`, title: 't', createdAt: NOW - d * DAY_MS, updatedAt: NOW - d * DAY_MS });
  await lock(hash);
  return hash;
}
const storedIds = async (hash: string) => (await rawRows(hash, 'conversations')).map((r) => r.id).sort();

beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
});

describe('the retention schedule', () => {
  it('keeps no alarm while history is kept forever, an hourly one otherwise, and never postpones it', async () => {
    const { deps, alarms } = fakeAlarms();
    await applyRetention(deps);
    expect(alarms.has(RETENTION_ALARM)).toBe(false);
    await historyRetention.setValue(7);
    await applyRetention(deps);
    await applyRetention(deps);
    expect(alarms.get(RETENTION_ALARM)).toEqual({ delayInMinutes: 1, periodInMinutes: 60 });
    expect(deps.alarms.create).toHaveBeenCalledTimes(1);
    await historyRetention.setValue('forever');
    await applyRetention(deps);
    expect(alarms.has(RETENTION_ALARM)).toBe(false);
  });

  it('deletes expired chats when the setting changes and when the alarm fires, vault locked', async () => {
    const hash = await historyWithChatsAged([0.5, 3, 10]);
    const { deps, fire } = fakeAlarms();
    registerRetentionSchedule(deps);
    await historyRetention.setValue(7);
    await vi.waitFor(async () => expect(await storedIds(hash)).toEqual(['d0.5', 'd3']));

    // Time passes: the hourly alarm applies the same setting to what has aged since.
    deps.now = () => NOW + 5 * DAY_MS;
    fire(RETENTION_ALARM);
    await vi.waitFor(async () => expect(await storedIds(hash)).toEqual(['d0.5']));
  });

  it('"Save history" off deletes what was saved', async () => {
    const hash = await historyWithChatsAged([0.5]);
    const { deps } = fakeAlarms();
    registerRetentionSchedule(deps);
    await historyRetention.setValue('none');
    await vi.waitFor(async () => expect(await storedIds(hash)).toEqual([]));
  });
});
