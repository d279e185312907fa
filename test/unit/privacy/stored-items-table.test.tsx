import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { StoredItemsTable } from '@/components/stored-items-table';
import { renderSection } from '../diagnostics/render-settings';
import { deleteAllDatabases } from '../vault/vault-test-kit';

const HASH = 'a'.repeat(64);
let view: ReturnType<typeof renderSection>;

beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
});
afterEach(() => view?.unmount());

/** The "Now" column of the row for `key`. */
const now = (key: string) => [...view.root.querySelectorAll('tr')].find((row) => row.querySelector('code')?.textContent === key)?.lastElementChild?.textContent;

describe("What's stored on this device", () => {
  it('says which items and databases are stored now, and follows changes', async () => {
    (await openDB(`expressai-history-${HASH}`, 1, { upgrade: (db) => void db.createObjectStore('meta') })).close();
    view = renderSection(<StoredItemsTable />);
    await vi.waitFor(() => expect(now('expressai-history-{hash}')).toBe('Stored'));
    expect(now('expressai-keys')).toBe('Not stored');
    expect(now('diagnostics_enabled')).toBe('Not stored');

    await fakeBrowser.storage.local.set({ diagnostics_enabled: true, [`master_password_created_${HASH}`]: true });
    await vi.waitFor(() => expect(now('diagnostics_enabled')).toBe('Stored'));
    expect(now('master_password_created_{hash}')).toBe('Stored');
  });
});
