import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { openHistory } from '@/utils/vault/history-store';
import { changeMasterPassword, PASSWORD_CHANGE_STEPS, type PasswordChangeStep } from '@/utils/vault/password-change';
import { openVault, readVaultRecord, sealSlot, updateVaultRecord, VAULT_FORMAT } from '@/utils/vault/vault-record';
import { newKdfParams } from '@/utils/vault/kdf-params';
import { deriveKey } from '@/utils/vault/kdf';
import { fromBase64 } from '@/utils/vault/bytes';
import { vaultSessionKeyFor } from '@/utils/storage-items';
import { createVault, isUnlocked, lock, unlock } from '@/utils/vault/vault-session';
import { dumpIndexedDb, NEW_PASSWORD, OLD_PASSWORD, randomHash, rawRows, SMALL } from './vault-test-kit';

beforeEach(() => {
  fakeBrowser.reset();
});

/** A vault with one conversation in it, locked, as after a restart. */
async function vaultWithHistory() {
  const hash = randomHash();
  await createVault(hash, OLD_PASSWORD, { cost: SMALL });
  const history = openHistory(hash);
  await history.saveConversation({ id: 'c1', title: 'Trip plans', createdAt: 1, updatedAt: 1 });
  await history.addMessage({ conversationId: 'c1', role: 'user', content: 'Book the train', createdAt: 2 });
  await lock(hash);
  return { hash, history };
}

/** Which passwords open the stored record, checked without touching it. */
async function opensWith(hash: string): Promise<string[]> {
  const record = (await readVaultRecord(hash))!;
  const opens: string[] = [];
  for (const password of [OLD_PASSWORD, NEW_PASSWORD]) {
    if (await openVault(hash, record, password).then(() => true, () => false)) opens.push(password);
  }
  return opens;
}

async function historyIsReadable(hash: string) {
  const history = openHistory(hash);
  const { items, damaged } = await history.getMessages('c1');
  expect(damaged).toEqual([]);
  expect(items.map((m) => m.content)).toEqual(['Book the train']);
}

describe('changing the master password', () => {
  it('re-wraps the data key: the new password opens, the old does not, and the history is not re-encrypted', async () => {
    const { hash } = await vaultWithHistory();
    await unlock(hash, OLD_PASSWORD);
    const keyBefore = await vaultSessionKeyFor(hash).getValue();
    const rowsBefore = [await rawRows(hash, 'conversations'), await rawRows(hash, 'messages')];
    const steps: PasswordChangeStep[] = [];

    await changeMasterPassword(hash, OLD_PASSWORD, NEW_PASSWORD, { cost: SMALL, afterStep: (s) => void steps.push(s) });

    expect(steps).toEqual([...PASSWORD_CHANGE_STEPS]);
    expect(await vaultSessionKeyFor(hash).getValue()).toBe(keyBefore);
    expect(await opensWith(hash)).toEqual([NEW_PASSWORD]);
    expect((await readVaultRecord(hash))!.pending).toBeUndefined();
    expect([await rawRows(hash, 'conversations'), await rawRows(hash, 'messages')]).toEqual(rowsBefore);
    await lock(hash);
    await unlock(hash, NEW_PASSWORD);
    await historyIsReadable(hash);
  });

  it('refuses a wrong old password: wrong_password, counted, nothing written', async () => {
    const { hash } = await vaultWithHistory();
    const before = await dumpIndexedDb();
    await expect(changeMasterPassword(hash, 'not the password', NEW_PASSWORD, { cost: SMALL })).rejects.toMatchObject({ code: 'wrong_password' });
    expect(await dumpIndexedDb()).toBe(before);
    expect(await fakeBrowser.storage.session.get(`vault_unlock_throttle_${hash}`)).toMatchObject({
      [`vault_unlock_throttle_${hash}`]: { failures: 1 },
    });
  });

  it('refuses a weak new password before doing anything', async () => {
    const { hash } = await vaultWithHistory();
    expect(() => changeMasterPassword(hash, OLD_PASSWORD, 'short', { cost: SMALL })).toThrow(expect.objectContaining({ code: 'weak_password' }));
    expect(await opensWith(hash)).toEqual([OLD_PASSWORD]);
  });

  it('can raise the KDF cost of an old vault', async () => {
    const { hash } = await vaultWithHistory();
    const stronger = { memoryKiB: 1024, iterations: 2, parallelism: 2 };
    await changeMasterPassword(hash, OLD_PASSWORD, NEW_PASSWORD, { cost: stronger });
    expect((await readVaultRecord(hash))!.current.kdf).toMatchObject(stronger);
    await historyIsReadable(hash);
  });
});

describe('a crash during the change never locks the user out', () => {
  const expectedAfterFault: Record<PasswordChangeStep, string[]> = {
    'old-password-checked': [OLD_PASSWORD],
    'new-slot-sealed': [OLD_PASSWORD],
    'pending-written': [OLD_PASSWORD, NEW_PASSWORD],
    'pending-verified': [OLD_PASSWORD, NEW_PASSWORD],
    promoted: [NEW_PASSWORD],
  };

  async function crashAt(step: PasswordChangeStep) {
    const { hash } = await vaultWithHistory();
    const crash = new Error(`simulated crash after ${step}`);
    await expect(
      changeMasterPassword(hash, OLD_PASSWORD, NEW_PASSWORD, {
        cost: SMALL,
        afterStep: (s) => {
          if (s === step) throw crash;
        },
      }),
    ).rejects.toBe(crash);
    await lock(hash); // the restarted browser starts locked
    return hash;
  }

  it.each(PASSWORD_CHANGE_STEPS)('after a fault following "%s", a password that should open still does', async (step) => {
    const hash = await crashAt(step);
    const opens = await opensWith(hash);
    expect(opens).toEqual(expectedAfterFault[step]);
    await unlock(hash, opens[0]!);
    await historyIsReadable(hash);
  });

  it.each(['pending-written', 'pending-verified'] as const)(
    'after a fault following "%s", unlocking with the OLD password rolls the change back',
    async (step) => {
      const hash = await crashAt(step);
      await unlock(hash, OLD_PASSWORD);
      expect((await readVaultRecord(hash))!.pending).toBeUndefined();
      expect(await opensWith(hash)).toEqual([OLD_PASSWORD]);
      await historyIsReadable(hash);
    },
  );

  it.each(['pending-written', 'pending-verified'] as const)(
    'after a fault following "%s", unlocking with the NEW password completes the change',
    async (step) => {
      const hash = await crashAt(step);
      await unlock(hash, NEW_PASSWORD);
      expect((await readVaultRecord(hash))!.pending).toBeUndefined();
      expect(await opensWith(hash)).toEqual([NEW_PASSWORD]);
      await historyIsReadable(hash);
    },
  );

  it('a new key slot that does not read back intact is never promoted, and the old password keeps working', async () => {
    const { hash } = await vaultWithHistory();
    await expect(
      changeMasterPassword(hash, OLD_PASSWORD, NEW_PASSWORD, {
        cost: SMALL,
        afterStep: async (step) => {
          if (step !== 'pending-written') return;
          // A write that kept the wrapped key but garbled its parameters (here: the salt).
          await updateVaultRecord(hash, (r) => ({ ...r, pending: { ...r.pending!, kdf: { ...r.pending!.kdf, salt: new Uint8Array(16) } } }));
        },
      }),
    ).rejects.toMatchObject({ code: 'vault_damaged' });
    expect(await opensWith(hash)).toEqual([OLD_PASSWORD]);
    await unlock(hash, OLD_PASSWORD);
    await historyIsReadable(hash);
  });

  it('a change that meets a change from another context fails with vault_busy, and the other one wins', async () => {
    const { hash } = await vaultWithHistory();
    await unlock(hash, OLD_PASSWORD);
    const dataKey = fromBase64((await vaultSessionKeyFor(hash).getValue())!);
    const elsewhere = 'changed in another tab';
    await expect(
      changeMasterPassword(hash, OLD_PASSWORD, NEW_PASSWORD, {
        cost: SMALL,
        afterStep: async (step) => {
          if (step !== 'new-slot-sealed') return;
          const kdf = newKdfParams(SMALL);
          const slot = await sealSlot(hash, dataKey, await deriveKey(elsewhere, kdf), kdf);
          await updateVaultRecord(hash, (r) => ({ format: VAULT_FORMAT, createdAt: r.createdAt, current: slot }));
        },
      }),
    ).rejects.toMatchObject({ code: 'vault_busy' });
    const record = (await readVaultRecord(hash))!;
    await expect(openVault(hash, record, elsewhere)).resolves.toMatchObject({ via: 'current' });
    expect(await opensWith(hash)).toEqual([]);
    expect(await isUnlocked(hash)).toBe(true);
  });
});
