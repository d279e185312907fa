import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { vaultSessionKeyFor } from '@/utils/storage-items';
import { generateDataKey, importAesKey } from '@/utils/vault/key-wrap';
import { toBase64 } from '@/utils/vault/bytes';
import { openRecord, recordAad, sealRecord } from '@/utils/vault/record-cipher';
import { forgetSessionKeys, getDataKey, storeSessionKey } from '@/utils/vault/session-key';
import { changeMasterPassword } from '@/utils/vault/password-change';
import { createVault, lock, unlock } from '@/utils/vault/vault-session';
import { resetVault } from '@/utils/vault/vault-reset';
import { NEW_PASSWORD, OLD_PASSWORD, randomHash, SMALL } from './vault-test-kit';
import * as v from 'valibot';

beforeEach(() => {
  fakeBrowser.reset();
});

const aad = recordAad('test', 'x');
const sealWith = async (hash: string) => sealRecord(await getDataKey(hash), aad, 'secret');
const opensWith = async (hash: string, sealed: Awaited<ReturnType<typeof sealWith>>) => openRecord(await getDataKey(hash), aad, sealed, v.string());

describe('the imported data key', () => {
  it('is read and imported once, however many calls (parallel or not) ask for it', async () => {
    const hash = randomHash();
    await storeSessionKey(hash, generateDataKey());
    const imports = vi.spyOn(crypto.subtle, 'importKey');
    const reads = vi.spyOn(fakeBrowser.storage.session, 'get');
    const first = await Promise.all(Array.from({ length: 10 }, () => getDataKey(hash)));
    for (let i = 0; i < 20; i++) expect(await getDataKey(hash)).toBe(first[0]);
    expect(new Set(first).size).toBe(1);
    expect(imports).toHaveBeenCalledTimes(1);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('is gone after a lock from this context: calls fail as locked', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    await getDataKey(hash);
    await lock(hash);
    await expect(getDataKey(hash)).rejects.toMatchObject({ code: 'vault_locked' });
  });

  it('is gone after every vault is locked at once (auto-lock, sign-out)', async () => {
    const [a, b] = [randomHash(), randomHash()];
    await Promise.all([storeSessionKey(a, generateDataKey()), storeSessionKey(b, generateDataKey())]);
    await Promise.all([getDataKey(a), getDataKey(b)]);
    await forgetSessionKeys();
    await expect(getDataKey(a)).rejects.toMatchObject({ code: 'vault_locked' });
    await expect(getDataKey(b)).rejects.toMatchObject({ code: 'vault_locked' });
  });

  it('is gone when another context removes the stored key (the memo never outlives storage.session)', async () => {
    const hash = randomHash();
    await storeSessionKey(hash, generateDataKey());
    await getDataKey(hash);
    // Behind the module's back, as a page's "Lock now" or an erase does.
    await fakeBrowser.storage.session.remove(`vault_key_${hash}`);
    await expect(getDataKey(hash)).rejects.toMatchObject({ code: 'vault_locked' });
  });

  it('a lock landing while the key is being imported is not undone by that import', async () => {
    const hash = randomHash();
    await storeSessionKey(hash, generateDataKey());
    const importKey = crypto.subtle.importKey.bind(crypto.subtle);
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    vi.spyOn(crypto.subtle, 'importKey').mockImplementationOnce(async (...args: Parameters<typeof importKey>) => {
      await gate;
      return importKey(...args);
    });
    const pending = getDataKey(hash);
    await vi.waitFor(() => expect(crypto.subtle.importKey).toHaveBeenCalled());
    await fakeBrowser.storage.session.remove(`vault_key_${hash}`);
    release();
    await pending;
    await expect(getDataKey(hash)).rejects.toMatchObject({ code: 'vault_locked' });
  });

  it('is replaced when another context stores a different key (a reset vault, another unlock)', async () => {
    const hash = randomHash();
    await storeSessionKey(hash, generateDataKey());
    const before = await sealWith(hash);
    const next = generateDataKey();
    await vaultSessionKeyFor(hash).setValue(toBase64(next));
    const after = await sealWith(hash);
    expect(await openRecord(await importAesKey(next), aad, after, v.string())).toBe('secret');
    expect(await opensWith(hash, before)).toBeUndefined();
  });

  it('after a master password change, the key in use still opens the history (the same data key, re-wrapped)', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    const sealed = await sealWith(hash);
    await changeMasterPassword(hash, OLD_PASSWORD, NEW_PASSWORD, { cost: SMALL });
    expect(await opensWith(hash, sealed)).toBe('secret');
    await lock(hash);
    await unlock(hash, NEW_PASSWORD);
    expect(await opensWith(hash, sealed)).toBe('secret');
  });

  it('after "Reset master password", the new vault\'s key is used, never the erased one', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    const sealed = await sealWith(hash);
    await resetVault(hash);
    await expect(getDataKey(hash)).rejects.toMatchObject({ code: 'vault_locked' });
    await createVault(hash, NEW_PASSWORD, { cost: SMALL });
    expect(await opensWith(hash, sealed)).toBeUndefined();
    expect(await opensWith(hash, await sealWith(hash))).toBe('secret');
  });
});
