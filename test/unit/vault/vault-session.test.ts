import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { openDB } from 'idb';
import { masterPasswordCreated, masterPasswordCreatedFor, vaultSessionKeyFor } from '@/utils/storage-items';
import { historyDbName } from '@/utils/vault/history-db';
import { readVaultRecord } from '@/utils/vault/vault-record';
import { unlockThrottleState } from '@/utils/vault/unlock-throttle';
import { createVault, getDataKey, isUnlocked, lock, unlock, vaultStatus, watchVaultStatus } from '@/utils/vault/vault-session';
import { dumpIndexedDb, dumpStorage, NEW_PASSWORD, OLD_PASSWORD, randomHash, SMALL } from './vault-test-kit';

beforeEach(() => {
  fakeBrowser.reset();
});

/** Rewrites the stored vault record behind the library's back, as a damaged disk or a future version would. */
async function patchVaultRecord(hash: string, patch: (record: Record<string, unknown>) => unknown) {
  const db = await openDB(historyDbName(hash));
  try {
    const record = (await db.get('meta', 'vault')) as Record<string, unknown>;
    await db.put('meta', patch(structuredClone(record)), 'vault');
  } finally {
    db.close();
  }
}

describe('vault life cycle', () => {
  it('goes none → unlocked on create, locked on lock, unlocked again with the password', async () => {
    const hash = randomHash();
    expect(await vaultStatus(hash)).toBe('none');
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    expect(await vaultStatus(hash)).toBe('unlocked');
    expect(await masterPasswordCreated.getValue()).toBe(true);
    expect(await masterPasswordCreatedFor(hash).getValue()).toBe(true);

    await lock(hash);
    expect(await vaultStatus(hash)).toBe('locked');
    await expect(getDataKey(hash)).rejects.toMatchObject({ code: 'vault_locked' });

    await unlock(hash, OLD_PASSWORD);
    expect(await vaultStatus(hash)).toBe('unlocked');
    expect(await getDataKey(hash)).toMatchObject({ type: 'secret', extractable: false });
  });

  it('asking for the status of an unknown subscription creates nothing', async () => {
    const hash = randomHash();
    expect(await vaultStatus(hash)).toBe('none');
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(historyDbName(hash));
    await expect(unlock(hash, OLD_PASSWORD)).rejects.toMatchObject({ code: 'vault_not_found' });
  });

  it('refuses a second vault for the same subscription and keeps the first', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    await expect(createVault(hash, NEW_PASSWORD, { cost: SMALL })).rejects.toMatchObject({ code: 'vault_exists' });
    await lock(hash);
    await unlock(hash, OLD_PASSWORD);
  });

  it('refuses a short master password and writes nothing', async () => {
    const hash = randomHash();
    expect(() => createVault(hash, 'short', { cost: SMALL })).toThrow(expect.objectContaining({ code: 'weak_password' }));
    expect(await vaultStatus(hash)).toBe('none');
    expect(await masterPasswordCreated.getValue()).toBe(false);
  });

  it('trusts the vault record over the flags: lost flags are restored on unlock, stale flags do not fake a vault', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    await lock(hash);
    await Promise.all([masterPasswordCreated.removeValue(), masterPasswordCreatedFor(hash).removeValue()]);
    expect(await vaultStatus(hash)).toBe('locked');
    await unlock(hash, OLD_PASSWORD);
    expect(await masterPasswordCreated.getValue()).toBe(true);
    expect(await masterPasswordCreatedFor(hash).getValue()).toBe(true);

    const stale = randomHash();
    await masterPasswordCreatedFor(stale).setValue(true);
    expect(await vaultStatus(stale)).toBe('none');
  });

  it('keeps the data key only in storage.session, and lock removes it there', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    const encoded = await vaultSessionKeyFor(hash).getValue();
    expect(encoded).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(await dumpStorage(['local'])).not.toContain(encoded!);
    expect(await dumpIndexedDb()).not.toContain(encoded!);
    await lock(hash);
    expect(await vaultSessionKeyFor(hash).getValue()).toBeNull();
    expect(await dumpStorage()).not.toContain(encoded!);
  });

  it('lock() without a subscription locks every vault', async () => {
    const [a, b] = [randomHash(), randomHash()];
    await createVault(a, OLD_PASSWORD, { cost: SMALL });
    await createVault(b, NEW_PASSWORD, { cost: SMALL });
    await lock();
    expect([await isUnlocked(a), await isUnlocked(b)]).toEqual([false, false]);
  });

  it('tells watchers about unlock and lock', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    const seen = vi.fn();
    const unwatch = watchVaultStatus(hash, seen);
    await lock(hash);
    await vi.waitFor(() => expect(seen).toHaveBeenLastCalledWith('locked'));
    await unlock(hash, OLD_PASSWORD);
    await vi.waitFor(() => expect(seen).toHaveBeenLastCalledWith('unlocked'));
    unwatch();
  });
});

describe('wrong password', () => {
  it('fails with wrong_password and writes nothing but the failure count', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    await lock(hash);
    const [idbBefore, localBefore] = [await dumpIndexedDb(), await dumpStorage(['local'])];

    const error = await unlock(hash, 'not the password').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ExtensionError', code: 'wrong_password' });
    expect((error as Error).message).not.toContain('not the password');

    expect(await dumpIndexedDb()).toBe(idbBefore);
    expect(await dumpStorage(['local'])).toBe(localBefore);
    expect(Object.keys(await fakeBrowser.storage.session.get(null))).toEqual([`vault_unlock_throttle_${hash}`]);
    expect(await vaultStatus(hash)).toBe('locked');
  });

  it('treats an empty or short password as wrong, not as a crash, and counts it', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    await lock(hash);
    await expect(unlock(hash, '')).rejects.toMatchObject({ code: 'wrong_password' });
    // Shorter than any master password, and one the Argon2id library itself would refuse with a plain Error.
    await expect(unlock(hash, '\u0007')).rejects.toMatchObject({ code: 'wrong_password' });
    expect(await unlockThrottleState(hash)).toMatchObject({ failures: 2 });
    await unlock(hash, OLD_PASSWORD);
  });
});

describe('parameter versions', () => {
  it('stores each vault’s own parameters, so vaults made with different costs all open', async () => {
    const costs = [SMALL, { memoryKiB: 512, iterations: 2, parallelism: 2 }, { memoryKiB: 64, iterations: 3, parallelism: 4 }];
    for (const cost of costs) {
      const hash = randomHash();
      await createVault(hash, OLD_PASSWORD, { cost });
      expect((await readVaultRecord(hash))!.current.kdf).toMatchObject({ algorithm: 'argon2id', argon2Version: 0x13, ...cost });
      await lock(hash);
      await unlock(hash, OLD_PASSWORD);
      expect(await isUnlocked(hash)).toBe(true);
    }
  });

  it('creates vaults at today’s cost by default (Argon2id, 64 MiB, t=3, p=4) and opens them', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD);
    expect((await readVaultRecord(hash))!.current.kdf).toMatchObject({ memoryKiB: 65_536, iterations: 3, parallelism: 4 });
    await lock(hash);
    await unlock(hash, OLD_PASSWORD);
    expect(await isUnlocked(hash)).toBe(true);
  }, 30_000);

  it.each([
    ['a newer vault format', (r: Record<string, unknown>) => ({ ...r, format: 2 }), 'vault_unsupported'],
    ['an unknown key derivation', (r: Record<string, unknown>) => ({ ...r, current: { ...(r.current as object), kdf: { ...((r.current as { kdf: object }).kdf), algorithm: 'scrypt' } } }), 'vault_unsupported'],
    ['absurd stored parameters', (r: Record<string, unknown>) => ({ ...r, current: { ...(r.current as object), kdf: { ...((r.current as { kdf: object }).kdf), memoryKiB: 2 ** 30 } } }), 'vault_unsupported'],
    ['a record of the wrong shape', () => ({ format: 1, current: 'garbage' }), 'vault_damaged'],
  ])('fails clearly on %s, without counting it as a wrong password', async (_label, patch, code) => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    await lock(hash);
    await patchVaultRecord(hash, patch);
    await expect(unlock(hash, OLD_PASSWORD)).rejects.toMatchObject({ code });
    expect(await fakeBrowser.storage.session.get(null)).toEqual({});
    expect(await vaultStatus(hash)).toBe('locked');
  });

  it('does not open when the stored parameters were weakened', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: { memoryKiB: 512, iterations: 2, parallelism: 1 } });
    await lock(hash);
    await patchVaultRecord(hash, (r) => ({ ...r, current: { ...(r.current as object), kdf: { ...((r.current as { kdf: object }).kdf), iterations: 1 } } }));
    await expect(unlock(hash, OLD_PASSWORD)).rejects.toMatchObject({ code: 'wrong_password' });
  });
});
