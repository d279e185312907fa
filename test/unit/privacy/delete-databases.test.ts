import { openDB } from 'idb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { deleteAllDatabases } from '@/utils/privacy/delete-databases';
import { deleteAllDatabases as resetIndexedDb } from '../vault/vault-test-kit';

/** Opens (creating if needed) a database the way our pages do: letting go when someone deletes it. */
async function openLikeAPage(name: string): Promise<void> {
  const db = await openDB(name, 1, { upgrade: (d) => void d.createObjectStore('meta'), blocking: () => db.close() });
}

beforeEach(resetIndexedDb);

describe('deleting every database (erase everything)', () => {
  it('also deletes a database a page brought back while it was being deleted', async () => {
    await openLikeAPage('expressai-history-a');
    await openLikeAPage('expressai-keys');
    // A page that found the database a moment before opens it just after the delete was asked for: IndexedDB
    // runs that open after the delete, creating the database anew.
    const reopened: Promise<void>[] = [];
    const realDelete = indexedDB.deleteDatabase.bind(indexedDB);
    vi.spyOn(indexedDB, 'deleteDatabase').mockImplementation((name) => {
      const request = realDelete(name);
      if (name === 'expressai-history-a' && reopened.length === 0) reopened.push(openLikeAPage(name));
      return request;
    });
    expect(await deleteAllDatabases(2_000)).toBe(0);
    await Promise.all(reopened);
    expect(reopened).toHaveLength(1);
    expect(await indexedDB.databases()).toEqual([]);
  });
});
