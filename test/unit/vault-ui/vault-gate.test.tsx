import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { VaultGate } from '@/components/vault/vault-gate';
import { masterPasswordCreated, masterPasswordCreatedFor, vaultSessionKeyFor } from '@/utils/storage-items';
import { historyDbName } from '@/utils/vault/history-db';
import { readVaultRecord } from '@/utils/vault/vault-record';
import { createVault, lock, openChatHistory, unlock, vaultStatus } from '@/utils/vault';
import { runKdfRequest, type KdfMessage, type KdfResponse } from '@/utils/vault/argon2';
import { deleteAllDatabases, dumpIndexedDb, OLD_PASSWORD, randomHash, SMALL } from '../vault/vault-test-kit';
import { announcements, byName, findByName, queryByName, renderInto, type, type Rendered } from './dom';

// The UI creates vaults at today's cost; a tiny Argon2id keeps these tests quick.
vi.mock('@/utils/vault/kdf-params', async (original) => ({ ...(await original<object>()), CURRENT_KDF_COST: { memoryKiB: 256, iterations: 1, parallelism: 1 } }));

let view: Rendered;
let clock: number;
const now = () => clock;

beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
  clock = Date.UTC(2025, 0, 1, 12);
});
afterEach(() => view?.unmount());

function renderGate(hash: string) {
  view = renderInto(
    <VaultGate subscriptionHash={hash} now={now}>
      {(h) => <p data-testid="content">Chat for {h.slice(0, 8)}</p>}
    </VaultGate>,
  );
  return view.root;
}
const content = (root: HTMLElement) => root.querySelector('[data-testid="content"]');

async function lockedVault(): Promise<string> {
  const hash = randomHash();
  await createVault(hash, OLD_PASSWORD, { cost: SMALL });
  await lock(hash);
  return hash;
}

async function submitUnlock(root: HTMLElement, password: string) {
  type(byName<HTMLInputElement>(root, 'textbox', 'Master password'), password);
  byName(root, 'button', 'Unlock').click();
}

describe('no vault yet: the create screen', () => {
  it('asks for the password twice, warns plainly, and leaves the vault unlocked', async () => {
    const hash = randomHash();
    const root = renderGate(hash);
    await findByName(root, 'heading', 'Create your master password');
    expect(root.textContent).toContain('If you forget it, your chat history cannot be recovered. You can reset it, which erases your history.');
    expect(document.activeElement).toBe(byName(root, 'textbox', 'Master password'));

    type(byName<HTMLInputElement>(root, 'textbox', 'Master password'), OLD_PASSWORD);
    type(byName<HTMLInputElement>(root, 'textbox', 'Confirm master password'), OLD_PASSWORD);
    byName(root, 'button', 'Create master password').click();

    await vi.waitFor(() => expect(content(root)?.textContent).toBe(`Chat for ${hash.slice(0, 8)}`));
    expect(await vaultStatus(hash)).toBe('unlocked');
    expect(await masterPasswordCreatedFor(hash).getValue()).toBe(true);
    expect(await masterPasswordCreated.getValue()).toBe(true);
  });

  it('refuses a short password and a mismatched confirmation with a clear error, and writes nothing', async () => {
    const hash = randomHash();
    const root = renderGate(hash);
    const password = await findByName<HTMLInputElement>(root, 'textbox', 'Master password');
    const confirm = byName<HTMLInputElement>(root, 'textbox', 'Confirm master password');

    type(password, 'short');
    type(confirm, 'short');
    byName(root, 'button', 'Create master password').click();
    await vi.waitFor(() => expect(announcements(root)).toContain('Use at least 8 characters.'));
    expect(password.getAttribute('aria-invalid')).toBe('true');

    type(password, OLD_PASSWORD);
    type(confirm, `${OLD_PASSWORD}!`);
    byName(root, 'button', 'Create master password').click();
    await vi.waitFor(() => expect(announcements(root)).toContain('The two passwords do not match.'));
    expect(confirm.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(confirm);

    expect(await vaultStatus(hash)).toBe('none');
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(historyDbName(hash));
  });

  it('shows the strength as a meter and in words', async () => {
    const root = renderGate(randomHash());
    const password = await findByName<HTMLInputElement>(root, 'textbox', 'Master password');
    const meter = byName(root, 'meter', 'Password strength');
    expect(meter.getAttribute('aria-valuetext')).toBe('empty');
    type(password, 'password1');
    await vi.waitFor(() => expect(meter.getAttribute('aria-valuetext')).toBe('weak'));
    expect(root.textContent).toContain('Strength: weak');
    type(password, 'zebra lamp quilt');
    await vi.waitFor(() => expect(meter.getAttribute('aria-valuetext')).toBe('strong'));
    expect(meter.getAttribute('aria-valuenow')).toBe('3');
  });
});

describe('a locked vault: the unlock screen', () => {
  it('says "Wrong master password." and writes nothing but the failure count; the right one opens it', async () => {
    const hash = await lockedVault();
    const root = renderGate(hash);
    await findByName(root, 'button', 'Unlock');
    expect(queryByName(root, 'button', 'Create master password')).toBeUndefined();
    const recordBefore = await readVaultRecord(hash);
    const localBefore = await fakeBrowser.storage.local.get(null);
    const dbBefore = await dumpIndexedDb();

    await submitUnlock(root, 'not the password');
    await vi.waitFor(() => expect(announcements(root)).toContain('Wrong master password.'));
    expect(content(root)).toBeNull();
    expect(await readVaultRecord(hash)).toEqual(recordBefore);
    expect(await fakeBrowser.storage.local.get(null)).toEqual(localBefore);
    expect(await dumpIndexedDb()).toBe(dbBefore);
    expect(await vaultSessionKeyFor(hash).getValue()).toBeNull();

    await submitUnlock(root, OLD_PASSWORD);
    await vi.waitFor(() => expect(content(root)).not.toBeNull());
    expect(await vaultStatus(hash)).toBe('unlocked');
  });

  it('after five wrong passwords says how long to wait and keeps "Unlock" disabled until then', async () => {
    const hash = await lockedVault();
    const root = renderGate(hash);
    const button = await findByName<HTMLButtonElement>(root, 'button', 'Unlock');
    for (let i = 0; i < 5; i++) {
      await submitUnlock(root, `wrong ${i}`);
      await vi.waitFor(() => expect(root.querySelector('[aria-busy], .vault-actions [role="status"]')?.textContent).toBe(''));
      await vi.waitFor(() => expect(announcements(root)).toContain('Wrong master password.'));
    }
    await vi.waitFor(() => expect(announcements(root)).toContain('Try again in 30 seconds.'));
    expect(button.disabled).toBe(true);

    clock += 12_000;
    await vi.waitFor(() => expect(announcements(root)).toContain('Try again in 18 seconds.'), { timeout: 3000 });
    expect(button.disabled).toBe(true);

    clock += 18_000;
    await vi.waitFor(() => expect(button.disabled).toBe(false), { timeout: 3000 });
    expect(announcements(root).join(' ')).not.toContain('Try again');
    await submitUnlock(root, OLD_PASSWORD);
    await vi.waitFor(() => expect(content(root)).not.toBeNull());
  });

  it('shows the wait on a fresh page too (the count is shared through storage.session)', async () => {
    const hash = await lockedVault();
    for (let i = 0; i < 5; i++) await expect(unlock(hash, `wrong ${i}`, { now })).rejects.toMatchObject({ code: 'wrong_password' });
    await expect(unlock(hash, OLD_PASSWORD, { now })).rejects.toMatchObject({ code: 'unlock_throttled' });
    clock += 30_000;
    // The sixth wrong one doubles the wait.
    await expect(unlock(hash, 'wrong 5', { now })).rejects.toMatchObject({ code: 'wrong_password' });
    const root = renderGate(hash);
    await vi.waitFor(() => expect(announcements(root)).toContain('Try again in 60 seconds.'));
    expect(byName<HTMLButtonElement>(root, 'button', 'Unlock').disabled).toBe(true);
  });

  it('"Forgot it?" resets only after the confirmation, which can be cancelled, then shows the create screen', async () => {
    const hash = await lockedVault();
    const other = await lockedVault();
    const root = renderGate(hash);
    const forgot = await findByName(root, 'button', 'Forgot it?');
    expect(forgot.getAttribute('aria-expanded')).toBe('false');
    forgot.click();
    await vi.waitFor(() => expect(forgot.getAttribute('aria-expanded')).toBe('true'));
    const dialog = byName<HTMLDialogElement>(document, 'dialog', 'Reset master password?');
    expect(dialog.open).toBe(false);

    byName(root, 'button', 'Reset master password').click();
    await vi.waitFor(() => expect(dialog.open).toBe(true));
    expect(dialog.textContent).toContain('Your chat history for this account will be erased from this device.');
    byName(dialog, 'button', 'Cancel').click();
    await vi.waitFor(() => expect(dialog.open).toBe(false));
    expect(await vaultStatus(hash)).toBe('locked');

    byName(root, 'button', 'Reset master password').click();
    await vi.waitFor(() => expect(dialog.open).toBe(true));
    byName(dialog, 'button', 'Erase history and reset').click();
    await findByName(root, 'button', 'Create master password');
    expect(await vaultStatus(hash)).toBe('none');
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(historyDbName(hash));
    expect(await vaultStatus(other)).toBe('locked');
  });
});

describe('the password screens start the key derivation early', () => {
  /** Stands in for the KDF worker: runs its real handler in-thread and records what the page did with it. */
  class FakeKdfWorker {
    static started: FakeKdfWorker[] = [];
    onmessage: ((event: MessageEvent<KdfResponse>) => void) | null = null;
    onerror: ((event: ErrorEvent) => void) | null = null;
    requests = 0;
    terminated = false;
    constructor() {
      FakeKdfWorker.started.push(this);
    }
    postMessage(message: KdfMessage, transfer: Transferable[]) {
      if ('warmUp' in message) return;
      this.requests += 1;
      const cloned = structuredClone(message, { transfer });
      void runKdfRequest(cloned).then((data) => this.onmessage?.({ data } as MessageEvent<KdfResponse>));
    }
    terminate() {
      this.terminated = true;
    }
  }
  /** From here on pages get fake workers (the vault a test starts with is made without one). */
  const useFakeWorkers = () => {
    FakeKdfWorker.started = [];
    vi.stubGlobal('Worker', FakeKdfWorker);
  };
  afterEach(() => vi.unstubAllGlobals());
  const started = () => FakeKdfWorker.started;

  it('the unlock screen starts a worker as it appears, sends the attempt to it, and starts another after a wrong password', async () => {
    const hash = await lockedVault();
    useFakeWorkers();
    const root = renderGate(hash);
    await findByName(root, 'button', 'Unlock');
    await vi.waitFor(() => expect(started()).toHaveLength(1));
    expect(started()[0]!.requests).toBe(0);

    await submitUnlock(root, 'not the password');
    await vi.waitFor(() => expect(announcements(root)).toContain('Wrong master password.'));
    expect(started()[0]).toMatchObject({ requests: 1, terminated: true });
    await vi.waitFor(() => expect(started()).toHaveLength(2));

    await submitUnlock(root, OLD_PASSWORD);
    await vi.waitFor(() => expect(content(root)).not.toBeNull());
    expect(started()).toHaveLength(2);
    expect(started()[1]).toMatchObject({ requests: 1, terminated: true });
  });

  it('a worker no password was sent to is stopped when the screen goes', async () => {
    const hash = await lockedVault();
    useFakeWorkers();
    const root = renderGate(hash);
    await findByName(root, 'button', 'Unlock');
    await vi.waitFor(() => expect(started()).toHaveLength(1));
    view.unmount();
    expect(started()[0]).toMatchObject({ requests: 0, terminated: true });
  });

  it('the create screen starts one too and uses it', async () => {
    useFakeWorkers();
    const root = renderGate(randomHash());
    await findByName(root, 'heading', 'Create your master password');
    await vi.waitFor(() => expect(started()).toHaveLength(1));
    type(byName<HTMLInputElement>(root, 'textbox', 'Master password'), OLD_PASSWORD);
    type(byName<HTMLInputElement>(root, 'textbox', 'Confirm master password'), OLD_PASSWORD);
    byName(root, 'button', 'Create master password').click();
    await vi.waitFor(() => expect(content(root)).not.toBeNull());
    expect(started()[0]).toMatchObject({ requests: 1, terminated: true });
  });
});

describe('following the vault from other contexts', () => {
  it('switches to the unlock screen the moment the vault is locked elsewhere, unmounting the content', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    const history = openChatHistory(hash);
    await history.saveConversation({ id: 'c1', title: 'secret', createdAt: clock, updatedAt: clock });
    const root = renderGate(hash);
    await vi.waitFor(() => expect(content(root)).not.toBeNull());

    await lock(hash); // as the background's auto-lock or another page would
    await findByName(root, 'button', 'Unlock');
    expect(content(root)).toBeNull();
    await expect(history.getConversation('c1')).rejects.toMatchObject({ code: 'vault_locked' });
  });

  it('shows the content when another page unlocks, and the create screen when another page resets a locked vault', async () => {
    const hash = await lockedVault();
    const root = renderGate(hash);
    await findByName(root, 'button', 'Unlock');
    await unlock(hash, OLD_PASSWORD);
    await vi.waitFor(() => expect(content(root)).not.toBeNull());

    await lock(hash);
    await findByName(root, 'button', 'Unlock');
    const { resetVault } = await import('@/utils/vault');
    await resetVault(hash);
    await findByName(root, 'button', 'Create master password');
  });
});

describe('opening fast', () => {
  it('shows the content from the key in storage.session while the database has not answered yet', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    vi.spyOn(indexedDB, 'databases').mockImplementation(() => new Promise(() => {}));
    const root = renderGate(hash);
    await vi.waitFor(() => expect(content(root)?.textContent).toBe(`Chat for ${hash.slice(0, 8)}`));
  });

  it('shows the content as soon as the right password is in, without asking the database again', async () => {
    const hash = await lockedVault();
    const root = renderGate(hash);
    await findByName(root, 'button', 'Unlock');
    const databases = indexedDB.databases.bind(indexedDB);
    // Every status question after the key is stored never answers; the unlock's own read comes before it.
    vi.spyOn(indexedDB, 'databases').mockImplementation(async () => ((await vaultSessionKeyFor(hash).getValue()) ? new Promise(() => {}) : databases()));
    await submitUnlock(root, OLD_PASSWORD);
    await vi.waitFor(() => expect(content(root)).not.toBeNull());
  });

  it('lets the database decide when the key in storage.session has no vault behind it', async () => {
    const hash = randomHash();
    await vaultSessionKeyFor(hash).setValue('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    const root = renderGate(hash);
    await findByName(root, 'button', 'Create master password');
    expect(content(root)).toBeNull();
  });

  it('shows the chat of a signed-in, unlocked page without waiting for the background', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation((() => new Promise(() => {})) as never);
    await fakeBrowser.storage.session.set({ auth_status: { state: 'signed-in', email: 'alice@example.com', subscriptionHash: hash, epoch: 0 } });
    const { ChatHome } = await import('@/components/chat-home');
    view = renderInto(<ChatHome variant="popup" />);
    await findByName(view.root, 'textbox', 'Message');
    expect(view.root.textContent).toContain('alice@example.com');
  });
});
