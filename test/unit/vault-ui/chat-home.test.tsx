import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ChatHome } from '@/components/chat-home';
import { authStatus } from '@/utils/storage-items';
import { createVault, vaultStatus } from '@/utils/vault';
import { connectBackground } from '../diagnostics/render-settings';
import { deleteAllDatabases, OLD_PASSWORD, randomHash, SMALL } from '../vault/vault-test-kit';
import { byName, findByName, queryByName, renderInto, type Rendered } from './dom';

let view: Rendered;
beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
  connectBackground();
});
afterEach(() => view?.unmount());

const signInAs = (email: string, hash: string) => authStatus.setValue({ state: 'signed-in', email, subscriptionHash: hash, epoch: 0 });
const header = () => view.root.querySelector('header')!;

describe('the popup and side panel page', () => {
  it('shows no vault screen while signed out or after the session ended', async () => {
    view = renderInto(<ChatHome variant="popup" />);
    await findByName(view.root, 'button', 'Sign in');
    expect(queryByName(view.root, 'textbox', 'Master password')).toBeUndefined();
    await authStatus.setValue({ state: 'ended', epoch: 0, message: 'Your session has ended — sign in again.' });
    await vi.waitFor(() => expect(view.root.textContent).toContain('Your session has ended'));
    expect(queryByName(view.root, 'textbox', 'Master password')).toBeUndefined();
  });

  it('puts "Lock now" in the header while unlocked, and locking shows the unlock screen', async () => {
    const alice = randomHash();
    await createVault(alice, OLD_PASSWORD, { cost: SMALL });
    await signInAs('alice@example.com', alice);
    view = renderInto(<ChatHome variant="sidepanel" />);
    const lockNow = await findByName(header(), 'button', 'Lock now');
    expect(view.root.textContent).toContain('Ask ExpressAI anything.');
    lockNow.click();
    await findByName(view.root, 'button', 'Unlock');
    expect(queryByName(header(), 'button', 'Lock now')).toBeUndefined();
    expect(view.root.textContent).not.toContain('Ask ExpressAI anything.');
    expect(await vaultStatus(alice)).toBe('locked');
  });

  it('gives a second subscription its own create prompt, and leaves the first one\'s vault alone', async () => {
    const alice = randomHash();
    const bob = randomHash();
    await createVault(alice, OLD_PASSWORD, { cost: SMALL });
    await signInAs('alice@example.com', alice);
    view = renderInto(<ChatHome variant="popup" />);
    await findByName(header(), 'button', 'Lock now');

    await authStatus.setValue({ state: 'signed-out', epoch: 1 });
    await findByName(view.root, 'button', 'Sign in');
    await signInAs('bob@example.com', bob);
    await findByName(view.root, 'button', 'Create master password');
    expect(byName(view.root, 'textbox', 'Confirm master password')).toBeTruthy();
    expect(await vaultStatus(bob)).toBe('none');
    expect(await vaultStatus(alice)).not.toBe('none');
  });
});
