import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ChatHome } from '@/components/chat-home';
import { pageBoot, renderAfterBoot } from '@/utils/page-boot';
import { authStatus } from '@/utils/storage-items';
import { createVault, lock } from '@/utils/vault';
import { connectBackground } from '../diagnostics/render-settings';
import { deleteAllDatabases, OLD_PASSWORD, randomHash, SMALL } from '../vault/vault-test-kit';
import { findByName, queryByName, renderInto, type Rendered } from './dom';

let view: Rendered | undefined;
beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
  connectBackground();
});
afterEach(() => {
  view?.unmount();
  view = undefined;
  vi.restoreAllMocks();
});

const signInAs = (hash: string) => authStatus.setValue({ state: 'signed-in', email: 'alice@example.com', subscriptionHash: hash, epoch: 0 });
/** The page's first render, exactly as the popup's entrypoint does it; nothing else has run when it returns. */
const openPage = () => renderAfterBoot(() => (view = renderInto(<ChatHome variant="sidepanel" />)));

describe('the page opening (renderAfterBoot)', () => {
  it('renders the chat in its first render when signed in and unlocked', async () => {
    const alice = randomHash();
    await createVault(alice, OLD_PASSWORD, { cost: SMALL });
    await signInAs(alice);
    await openPage();
    // Synchronously after the first render: no storage answer or background reply has been handled yet.
    expect(queryByName(view!.root, 'textbox', 'Message')).toBeTruthy();
    expect(view!.root.textContent).toContain('alice@example.com');
  });

  it('never shows the chat of a locked vault, not even for a frame', async () => {
    const alice = randomHash();
    await createVault(alice, OLD_PASSWORD, { cost: SMALL });
    await lock(alice);
    await signInAs(alice);
    await openPage();
    expect(queryByName(view!.root, 'textbox', 'Message')).toBeUndefined();
    await findByName(view!.root, 'button', 'Unlock');
  });

  it('shows the signed-out page from the background as before', async () => {
    await openPage();
    expect(queryByName(view!.root, 'textbox', 'Message')).toBeUndefined();
    await findByName(view!.root, 'button', 'Sign in');
  });

  it('is forgotten after the first render: a later gate asks again', async () => {
    const alice = randomHash();
    await createVault(alice, OLD_PASSWORD, { cost: SMALL });
    await signInAs(alice);
    let during: ReturnType<typeof pageBoot>;
    await renderAfterBoot(() => (during = pageBoot()));
    expect(during?.unlocked(alice)).toBe(true);
    expect(pageBoot()).toBeUndefined();
  });

  it('renders without it when storage does not answer in time, and the page still gets there', async () => {
    const alice = randomHash();
    await createVault(alice, OLD_PASSWORD, { cost: SMALL });
    await signInAs(alice);
    // Storage answers only when the test says so: the first render must not wait for it.
    const get = fakeBrowser.storage.session.get.bind(fakeBrowser.storage.session);
    const held: (() => void)[] = [];
    vi.spyOn(fakeBrowser.storage.session, 'get').mockImplementation(((keys: never) => new Promise((resolve) => held.push(() => resolve(get(keys))))) as never);
    await renderAfterBoot(() => (view = renderInto(<ChatHome variant="sidepanel" />)), 20);
    expect(queryByName(view!.root, 'textbox', 'Message')).toBeUndefined();
    vi.restoreAllMocks();
    for (const answer of held) answer();
    await findByName(view!.root, 'textbox', 'Message');
  });
});
