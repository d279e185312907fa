import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ChatHome } from '@/components/chat-home';
import { pageBoot, startPageBoot } from '@/utils/page-boot';
import { authStatus } from '@/utils/storage-items';
import { createVault, lock } from '@/utils/vault';
import { connectBackground } from '../diagnostics/render-settings';
import { deleteAllDatabases, OLD_PASSWORD, randomHash, SMALL } from '../vault/vault-test-kit';
import { findByName, queryByName, renderInto, type Rendered } from './dom';

let view: Rendered | undefined;
beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
});
afterEach(() => {
  view?.unmount();
  view = undefined;
  vi.restoreAllMocks();
});

const signInAs = (hash: string) => authStatus.setValue({ state: 'signed-in', email: 'alice@example.com', subscriptionHash: hash, epoch: 0 });
/** The popup's and side panel's entrypoint: the opening read, then the first render at once. */
const openPage = () => {
  startPageBoot();
  view = renderInto(<ChatHome variant="sidepanel" />);
};
/** Storage reads of the vault key itself never answer: only the opening read (key names) can say "unlocked". */
function stallKeyReads() {
  const get = fakeBrowser.storage.session.get.bind(fakeBrowser.storage.session);
  vi.spyOn(fakeBrowser.storage.session, 'get').mockImplementation(((keys: unknown) =>
    JSON.stringify(keys ?? null).includes('vault_key_') ? new Promise(() => {}) : get(keys as never)) as never);
}

describe('the page opening (startPageBoot)', () => {
  it('shows the chat from the opening read alone, before the background answers', async () => {
    const alice = randomHash();
    await createVault(alice, OLD_PASSWORD, { cost: SMALL });
    await signInAs(alice);
    stallKeyReads();
    // A background that never answers: only storage can tell the page it is signed in and unlocked.
    fakeBrowser.runtime.onMessage.addListener(() => new Promise(() => {}));
    openPage();
    await findByName(view!.root, 'textbox', 'Message');
    expect(view!.root.textContent).toContain('alice@example.com');
  });

  it('never shows the chat of a locked vault', async () => {
    const alice = randomHash();
    await createVault(alice, OLD_PASSWORD, { cost: SMALL });
    await lock(alice);
    await signInAs(alice);
    connectBackground();
    openPage();
    await findByName(view!.root, 'button', 'Unlock');
    expect(queryByName(view!.root, 'textbox', 'Message')).toBeUndefined();
  });

  it('shows the signed-out page as before', async () => {
    connectBackground();
    openPage();
    await findByName(view!.root, 'button', 'Sign in');
    expect(queryByName(view!.root, 'textbox', 'Message')).toBeUndefined();
  });

  it('is offered only while the page opens: a gate mounted later asks storage itself', async () => {
    const alice = randomHash();
    await createVault(alice, OLD_PASSWORD, { cost: SMALL });
    await signInAs(alice);
    startPageBoot();
    const found = await pageBoot();
    expect(found?.unlocked(alice)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(pageBoot()).toBeUndefined();
  });

  it('gives up on storage that does not answer, and the page still gets there', async () => {
    const alice = randomHash();
    await createVault(alice, OLD_PASSWORD, { cost: SMALL });
    await signInAs(alice);
    connectBackground();
    const get = fakeBrowser.storage.session.get.bind(fakeBrowser.storage.session);
    const held: (() => void)[] = [];
    vi.spyOn(fakeBrowser.storage.session, 'get').mockImplementation(((keys: never) => new Promise((resolve) => held.push(() => resolve(get(keys))))) as never);
    startPageBoot(20);
    view = renderInto(<ChatHome variant="sidepanel" />);
    expect(await pageBoot()).toBeUndefined();
    vi.restoreAllMocks();
    for (const answer of held) answer();
    await findByName(view.root, 'textbox', 'Message');
  });
});
