import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { HistorySection } from '@/components/vault/history-section';
import { SecuritySection } from '@/components/vault/security-section';
import { authStatus, historyRetention } from '@/utils/storage-items';
import { createVault, lock, unlock, vaultStatus } from '@/utils/vault';
import { connectBackground } from '../diagnostics/render-settings';
import { deleteAllDatabases, NEW_PASSWORD, OLD_PASSWORD, randomHash, SMALL } from '../vault/vault-test-kit';
import { announcements, byName, choose, findByName, queryByName, renderInto, type, type Rendered } from './dom';

vi.mock('@/utils/vault/kdf-params', async (original) => ({ ...(await original<object>()), CURRENT_KDF_COST: { memoryKiB: 256, iterations: 1, parallelism: 1 } }));

let view: Rendered;
beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
  connectBackground();
});
afterEach(() => view?.unmount());

async function signIn(hash: string) {
  await authStatus.setValue({ state: 'signed-in', email: 'alice@example.com', subscriptionHash: hash, epoch: 0 });
}

describe('Settings → Security', () => {
  it('asks to sign in first, and still offers the auto-lock time', async () => {
    view = renderInto(<SecuritySection />);
    await vi.waitFor(() => expect(view.root.textContent).toContain('Sign in to lock, change or reset your master password.'));
    expect(queryByName(view.root, 'button', 'Lock now')).toBeUndefined();
    await vi.waitFor(() => expect(byName<HTMLSelectElement>(view.root, 'combobox', 'Auto-lock after').value).toBe('15'));
  });

  it('locks now, everywhere', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    await signIn(hash);
    view = renderInto(<SecuritySection />);
    await vi.waitFor(() => expect(announcements(view.root)).toContain('Your history is unlocked.'));
    byName(view.root, 'button', 'Lock now').click();
    await vi.waitFor(() => expect(announcements(view.root)).toContain('Your history is locked.'));
    expect(await vaultStatus(hash)).toBe('locked');
    expect(byName<HTMLButtonElement>(view.root, 'button', 'Lock now').disabled).toBe(true);
  });

  it('changes the master password, with clear errors and nothing changed on a wrong current one', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    await lock(hash);
    await signIn(hash);
    view = renderInto(<SecuritySection />);
    const field = (name: string) => byName<HTMLInputElement>(view.root, 'textbox', name);
    await findByName(view.root, 'textbox', 'Current master password');
    const submit = () => byName(view.root, 'button', 'Change master password').click();

    type(field('Current master password'), 'not it at all');
    type(field('New master password'), NEW_PASSWORD);
    type(field('Confirm new master password'), NEW_PASSWORD);
    submit();
    await vi.waitFor(() => expect(announcements(view.root)).toContain('Wrong master password. Nothing was changed.'));
    expect(field('Current master password').getAttribute('aria-invalid')).toBe('true');
    await unlock(hash, OLD_PASSWORD);
    await lock(hash);

    type(field('Current master password'), OLD_PASSWORD);
    type(field('Confirm new master password'), `${NEW_PASSWORD}?`);
    submit();
    await vi.waitFor(() => expect(announcements(view.root)).toContain('The new passwords do not match.'));

    type(field('Confirm new master password'), NEW_PASSWORD);
    submit();
    await vi.waitFor(() => expect(announcements(view.root)).toContain('Your master password was changed. Use the new one from now on.'));
    expect(field('Current master password').value).toBe('');
    await lock(hash);
    await expect(unlock(hash, OLD_PASSWORD)).rejects.toMatchObject({ code: 'wrong_password' });
    await unlock(hash, NEW_PASSWORD);
  });

  it('resets after the confirmation and then offers to create a new master password', async () => {
    const hash = randomHash();
    await createVault(hash, OLD_PASSWORD, { cost: SMALL });
    await signIn(hash);
    view = renderInto(<SecuritySection />);
    (await findByName(view.root, 'button', 'Reset master password')).click();
    const dialog = byName<HTMLDialogElement>(view.root, 'dialog', 'Reset master password?');
    await vi.waitFor(() => expect(dialog.open).toBe(true));
    byName(dialog, 'button', 'Erase history and reset').click();
    await findByName(view.root, 'button', 'Create master password');
    expect(view.root.textContent).toContain('Your history was erased.');
    expect(await vaultStatus(hash)).toBe('none');
  });

  it('saves the auto-lock time, storing nothing for the default', async () => {
    view = renderInto(<SecuritySection />);
    const select = await findByName<HTMLSelectElement>(view.root, 'combobox', 'Auto-lock after');
    await vi.waitFor(() => expect(select.value).toBe('15'));
    expect([...select.options].map((o) => o.text)).toEqual(['1 minute', '5 minutes', '15 minutes', '30 minutes', '1 hour', '4 hours']);
    choose(select, '240');
    await vi.waitFor(async () => expect(await fakeBrowser.storage.local.get(null)).toEqual({ auto_lock_minutes: 240 }));
    choose(select, '15');
    await vi.waitFor(async () => expect(await fakeBrowser.storage.local.get(null)).toEqual({}));
  });
});

describe('Settings → History', () => {
  const saveSwitch = () => byName<HTMLInputElement>(view.root, 'switch', 'Save history');
  const autoDelete = () => byName<HTMLSelectElement>(view.root, 'combobox', 'Auto-delete after');

  it('starts at: saved, never auto-deleted, chats not temporary', async () => {
    view = renderInto(<HistorySection />);
    await vi.waitFor(() => expect(saveSwitch().disabled).toBe(false));
    expect(saveSwitch().checked).toBe(true);
    expect(autoDelete().value).toBe('forever');
    expect(byName<HTMLInputElement>(view.root, 'switch', 'Temporary chats by default').checked).toBe(false);
    expect([...autoDelete().options].map((o) => o.text)).toEqual(['Never', '1 day', '7 days', '30 days', '90 days']);
  });

  it('stops saving only after a confirmation, and goes back to the last auto-delete choice', async () => {
    view = renderInto(<HistorySection />);
    await vi.waitFor(() => expect(saveSwitch().disabled).toBe(false));
    choose(autoDelete(), '7');
    await vi.waitFor(async () => expect(await historyRetention.getValue()).toBe(7));

    const dialog = byName<HTMLDialogElement>(view.root, 'dialog', 'Stop saving history?');
    saveSwitch().click();
    await vi.waitFor(() => expect(dialog.open).toBe(true));
    byName(dialog, 'button', 'Cancel').click();
    await vi.waitFor(() => expect(dialog.open).toBe(false));
    expect(saveSwitch().checked).toBe(true);
    expect(await historyRetention.getValue()).toBe(7);

    saveSwitch().click();
    await vi.waitFor(() => expect(dialog.open).toBe(true));
    byName(dialog, 'button', 'Delete saved history').click();
    await vi.waitFor(async () => expect(await historyRetention.getValue()).toBe('none'));
    await vi.waitFor(() => expect(saveSwitch().checked).toBe(false));
    expect(autoDelete().disabled).toBe(true);

    saveSwitch().click();
    await vi.waitFor(async () => expect(await historyRetention.getValue()).toBe(7));
    expect(autoDelete().disabled).toBe(false);
  });

  it('stores "temporary chats by default" only while it is on', async () => {
    view = renderInto(<HistorySection />);
    const temporary = () => byName<HTMLInputElement>(view.root, 'switch', 'Temporary chats by default');
    await vi.waitFor(() => expect(temporary().disabled).toBe(false));
    temporary().click();
    await vi.waitFor(async () => expect(await fakeBrowser.storage.local.get(null)).toEqual({ temporary_chats_default: true }));
    temporary().click();
    await vi.waitFor(async () => expect(await fakeBrowser.storage.local.get(null)).toEqual({}));
  });
});
