import { openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { resetOAuthContext } from '@/utils/auth/oauth-context';
import { signIn } from '@/utils/auth/sign-in';
import { setDiagnosticsEnabled } from '@/utils/diagnostics/diagnostics-control';
import { recordFailure } from '@/utils/diagnostics/recorder';
import { eraseEverything } from '@/utils/privacy/erase-everything';
import { requestPrivacyPermission, setWebRtcProtection } from '@/utils/privacy/webrtc-protection';
import { authStatus } from '@/utils/storage-items';
import { openHistoryDb } from '@/utils/vault/history-db';
import { createFakeOidc } from '../auth/fake-oidc';
import { installFakePrivacy, type FakePrivacy } from './fake-privacy';

vi.mock('@/utils/diagnostics/report-environment', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/utils/diagnostics/report-environment')>()),
  reportEnvironment: () => ({ extensionVersion: '0.1.0', browser: { family: 'chrome', major: 131 } }),
}));

const HASH = 'a'.repeat(64);
let oidc: ReturnType<typeof createFakeOidc>;
let privacy: FakePrivacy;

async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).map((d) => d.name!).sort();
}
async function deleteAll() {
  for (const name of await databaseNames()) await new Promise((r) => (indexedDB.deleteDatabase(name).onsuccess = r));
}

beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAll();
  resetOAuthContext();
  oidc = createFakeOidc();
  vi.stubGlobal('fetch', oidc.fetch);
  vi.spyOn(fakeBrowser.identity, 'getRedirectURL').mockReturnValue('https://cohfjjbmjffeaenjgiofhalfbckieang.chromiumapp.org/');
  vi.spyOn(fakeBrowser.identity, 'launchWebAuthFlow').mockImplementation((async ({ url }: { url: string }) => oidc.authorize(url)) as never);
  privacy = installFakePrivacy();
  await signIn();
  await setDiagnosticsEnabled(true);
  await recordFailure('offline');
  await requestPrivacyPermission();
  await setWebRtcProtection(true);
  await fakeBrowser.storage.sync.set({ stray: 1 });
  (await openHistoryDb(HASH)).put('meta', { v: 1 }, 'vault');
  (await openDB('some-other-db', 1, { upgrade: (db) => db.createObjectStore('x') })).close();
});
afterEach(() => vi.unstubAllGlobals());

describe('erase everything', () => {
  it('revokes the session, then leaves the extension as freshly installed', async () => {
    expect(await databaseNames()).toEqual([`expressai-history-${HASH}`, 'expressai-keys', 'some-other-db']);
    expect(await eraseEverything()).toEqual({ erased: true });
    expect(oidc.counts.revocations).toBe(1);
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
    // The one thing written back: "signed out", with the epoch a refresh in flight would compare against.
    expect(await fakeBrowser.storage.session.get(null)).toEqual({ auth_status: { state: 'signed-out', epoch: 1 } });
    expect(await databaseNames()).toEqual([]);
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
    expect(privacy).toMatchObject({ value: 'default', levelOfControl: 'controllable_by_this_extension' });
    expect(privacy.granted.size).toBe(0);
  });

  it('still erases everything when the server cannot be reached to revoke', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await eraseEverything();
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    expect(await databaseNames()).toEqual([]);
    expect((await authStatus.getValue()).state).toBe('signed-out');
  });

  it('says so when a page will not let go of a database, and the delete completes once it closes', async () => {
    const holder = await new Promise<IDBDatabase>((resolve) => {
      const open = indexedDB.open('held-open', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('x');
      open.onsuccess = () => resolve(open.result);
    });
    await expect(eraseEverything(50)).rejects.toMatchObject({ code: 'erase_incomplete' });
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    expect(await databaseNames()).toEqual(['held-open']);
    holder.close();
    await vi.waitFor(async () => expect(await databaseNames()).toEqual([]));
  });
});
