import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { masterPasswordCreated, masterPasswordCreatedFor } from '@/utils/storage-items';
import { historyDbName } from '@/utils/vault/history-db';
import { openHistory } from '@/utils/vault/history-store';
import { resetVault } from '@/utils/vault/vault-reset';
import { createVault, lock, unlock, vaultStatus } from '@/utils/vault/vault-session';
import { NEW_PASSWORD, OLD_PASSWORD, randomHash, SMALL } from './vault-test-kit';

beforeEach(() => {
  fakeBrowser.reset();
});

async function vaultWithChat(password = OLD_PASSWORD) {
  const hash = randomHash();
  await createVault(hash, password, { cost: SMALL });
  await openHistory(hash).saveConversation({ id: 'c', title: 'Before reset', createdAt: 1, updatedAt: 1 });
  return hash;
}

describe('resetVault (forgotten master password)', () => {
  it('erases the history, the key, the flags and the failure count; a new vault can then be created', async () => {
    const hash = await vaultWithChat();
    await lock(hash);
    await unlock(hash, 'a guess that is wrong').catch(() => undefined);
    const history = openHistory(hash); // a page that still holds the store

    await resetVault(hash);

    expect(await vaultStatus(hash)).toBe('none');
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(historyDbName(hash));
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
    expect(await masterPasswordCreatedFor(hash).getValue()).toBe(false);
    expect(await masterPasswordCreated.getValue()).toBe(false);

    await createVault(hash, NEW_PASSWORD, { cost: SMALL });
    expect((await history.listConversations()).items).toEqual([]);
    await lock(hash);
    await expect(unlock(hash, OLD_PASSWORD)).rejects.toMatchObject({ code: 'wrong_password' });
    await unlock(hash, NEW_PASSWORD);
  });

  it('leaves other subscriptions and the global flag alone while they have a vault', async () => {
    const [gone, kept] = [await vaultWithChat(), await vaultWithChat(NEW_PASSWORD)];
    await resetVault(gone);
    expect(await vaultStatus(kept)).toBe('unlocked');
    expect((await openHistory(kept).listConversations()).items.map((c) => c.title)).toEqual(['Before reset']);
    expect(await masterPasswordCreated.getValue()).toBe(true);
    expect(await masterPasswordCreatedFor(kept).getValue()).toBe(true);
  });

  it('is not blocked by another open connection to the database', async () => {
    const hash = await vaultWithChat();
    const { openDB } = await import('idb');
    let closedByUs = false;
    const other = await openDB(historyDbName(hash), undefined, {
      blocking: () => {
        closedByUs = true;
        other.close();
      },
    });
    await resetVault(hash);
    expect(closedByUs).toBe(true);
    expect(await vaultStatus(hash)).toBe('none');
  });
});
