import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import {
  browserSurfaceApi,
  CHAT_READY_PAGES,
  registerChatSurfaces,
  STATE_PAGES,
  syncChatSurfaces,
  type SurfaceApi,
  type SurfacePages,
} from '@/utils/chat-surfaces';
import { authFlow, authStatus, vaultSessionKeyFor } from '@/utils/storage-items';
import { randomHash } from './vault/vault-test-kit';

/** A browser's popup and side panel settings, recording every write. */
function fakeSurfaces(options: { panel?: boolean; start?: SurfacePages } = {}) {
  const now = { ...(options.start ?? STATE_PAGES) };
  const sets: string[] = [];
  let gets = 0;
  /** While set, the next `getPopup` waits for it: a sync held up in the middle. */
  let hold: Promise<void> | undefined;
  const api: SurfaceApi = {
    getPopup: async () => {
      gets++;
      const held = hold;
      hold = undefined;
      await held;
      return now.popup;
    },
    setPopup: async (path) => {
      sets.push(`popup:${path}`);
      now.popup = path;
    },
  };
  if (options.panel !== false) {
    api.getPanel = async () => now.panel;
    api.setPanel = async (path) => {
      sets.push(`panel:${path}`);
      now.panel = path;
    };
  }
  return {
    api,
    now,
    sets,
    gets: () => gets,
    holdNextSync(): () => void {
      let release!: () => void;
      hold = new Promise((resolve) => (release = resolve));
      return release;
    },
  };
}

const signInAs = (hash: string) => authStatus.setValue({ state: 'signed-in', email: 'alice@example.com', subscriptionHash: hash, epoch: 0 });
const unlockKey = (hash: string) => vaultSessionKeyFor(hash).setValue('a2V5');

let stop: (() => void) | undefined;
beforeEach(() => {
  fakeBrowser.reset();
});
afterEach(() => {
  stop?.();
  stop = undefined;
});

describe('syncChatSurfaces', () => {
  it('opens the manifest pages while signed out', async () => {
    const surfaces = fakeSurfaces({ start: CHAT_READY_PAGES });
    expect(await syncChatSurfaces(surfaces.api)).toEqual(STATE_PAGES);
    expect(surfaces.now).toEqual(STATE_PAGES);
  });

  it('opens the manifest pages while signed in with the vault locked', async () => {
    await signInAs(randomHash());
    const surfaces = fakeSurfaces({ start: CHAT_READY_PAGES });
    await syncChatSurfaces(surfaces.api);
    expect(surfaces.now).toEqual(STATE_PAGES);
  });

  it('opens the chat pages while signed in with this subscription\'s key in storage.session', async () => {
    const alice = randomHash();
    await signInAs(alice);
    await unlockKey(alice);
    const surfaces = fakeSurfaces();
    expect(await syncChatSurfaces(surfaces.api)).toEqual(CHAT_READY_PAGES);
    expect(surfaces.now).toEqual(CHAT_READY_PAGES);
    expect(surfaces.sets).toEqual(['popup:popup-chat.html', 'panel:sidepanel-chat.html']);
  });

  it('does not count the key of another subscription', async () => {
    await signInAs(randomHash());
    await unlockKey(randomHash());
    const surfaces = fakeSurfaces();
    await syncChatSurfaces(surfaces.api);
    expect(surfaces.now).toEqual(STATE_PAGES);
  });

  it('opens the manifest pages once the session has ended, key or not', async () => {
    const alice = randomHash();
    await unlockKey(alice);
    await authStatus.setValue({ state: 'ended', epoch: 0, subscriptionHash: alice, message: 'Your session has ended — sign in again.' });
    const surfaces = fakeSurfaces({ start: CHAT_READY_PAGES });
    await syncChatSurfaces(surfaces.api);
    expect(surfaces.now).toEqual(STATE_PAGES);
  });

  it('leaves a page that is already set alone (setting a side panel again reloads it)', async () => {
    const surfaces = fakeSurfaces();
    await syncChatSurfaces(surfaces.api);
    expect(surfaces.sets).toEqual([]);

    const alice = randomHash();
    await signInAs(alice);
    await unlockKey(alice);
    const half = fakeSurfaces({ start: { popup: 'popup.html', panel: 'sidepanel-chat.html' } });
    await syncChatSurfaces(half.api);
    expect(half.sets).toEqual(['popup:popup-chat.html']);
  });

  it('sets only the popup in a browser without a side panel API', async () => {
    const alice = randomHash();
    await signInAs(alice);
    await unlockKey(alice);
    const surfaces = fakeSurfaces({ panel: false });
    await syncChatSurfaces(surfaces.api);
    expect(surfaces.sets).toEqual(['popup:popup-chat.html']);
  });
});

describe('registerChatSurfaces', () => {
  it('syncs at once, then on every change of the account state or of a vault key', async () => {
    const alice = randomHash();
    await signInAs(alice);
    await unlockKey(alice);
    const surfaces = fakeSurfaces();
    stop = registerChatSurfaces(surfaces.api);
    await vi.waitFor(() => expect(surfaces.now).toEqual(CHAT_READY_PAGES));

    await vaultSessionKeyFor(alice).removeValue();
    await vi.waitFor(() => expect(surfaces.now).toEqual(STATE_PAGES));
    await unlockKey(alice);
    await vi.waitFor(() => expect(surfaces.now).toEqual(CHAT_READY_PAGES));
    await authStatus.setValue({ state: 'signed-out', epoch: 1 });
    await vi.waitFor(() => expect(surfaces.now).toEqual(STATE_PAGES));
    await signInAs(alice);
    await vi.waitFor(() => expect(surfaces.now).toEqual(CHAT_READY_PAGES));
  });

  it('ignores changes to other keys', async () => {
    const surfaces = fakeSurfaces();
    stop = registerChatSurfaces(surfaces.api);
    await vi.waitFor(() => expect(surfaces.gets()).toBe(1));

    await authFlow.setValue({ state: 's', codeVerifier: 'v', nonce: 'n', redirectUri: 'https://example.com/cb', startedAt: 0 });
    await fakeBrowser.storage.local.set({ auth_status: 'in the local area' });
    // A change that counts, after those: had they been taken for one, a sync would have run before this one.
    await authStatus.setValue({ state: 'signed-out', epoch: 1 });
    await vi.waitFor(() => expect(surfaces.gets()).toBe(2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(surfaces.gets()).toBe(2);
  });

  it('ends on the last state when two changes come in quick succession', async () => {
    const alice = randomHash();
    await signInAs(alice);
    const surfaces = fakeSurfaces();
    stop = registerChatSurfaces(surfaces.api);
    await vi.waitFor(() => expect(surfaces.gets()).toBe(1));

    // The sync for the unlock has read "ready" and is held before it sets anything; the sign-out comes meanwhile.
    const release = surfaces.holdNextSync();
    await unlockKey(alice);
    await vi.waitFor(() => expect(surfaces.gets()).toBe(2));
    await authStatus.setValue({ state: 'signed-out', epoch: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await vi.waitFor(() => expect(surfaces.gets()).toBe(3));
    await vi.waitFor(() => expect(surfaces.sets).toEqual(['popup:popup-chat.html', 'panel:sidepanel-chat.html', 'popup:popup.html', 'panel:sidepanel.html']));
    expect(surfaces.now).toEqual(STATE_PAGES);
  });

  it('stops when unwatched', async () => {
    const alice = randomHash();
    await signInAs(alice);
    const surfaces = fakeSurfaces();
    const unwatch = registerChatSurfaces(surfaces.api);
    await vi.waitFor(() => expect(surfaces.gets()).toBe(1));
    unwatch();
    await unlockKey(alice);
    await fakeBrowser.runtime.onStartup.trigger();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(surfaces.gets()).toBe(1);
    expect(surfaces.now).toEqual(STATE_PAGES);
  });

  it('syncs again when the browser starts', async () => {
    const surfaces = fakeSurfaces();
    stop = registerChatSurfaces(surfaces.api);
    await vi.waitFor(() => expect(surfaces.gets()).toBe(1));
    await fakeBrowser.runtime.onStartup.trigger();
    await vi.waitFor(() => expect(surfaces.gets()).toBe(2));
  });
});

describe('browserSurfaceApi', () => {
  const root = fakeBrowser.runtime.getURL('/');
  const api = fakeBrowser as unknown as Record<string, unknown>;
  let saved: Record<string, unknown>;
  beforeEach(() => {
    saved = { sidePanel: api.sidePanel, sidebarAction: api.sidebarAction };
  });
  // fakeBrowser.reset() walks every API it has: leave none missing or added.
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete api[name];
      else api[name] = value;
    }
  });

  function stubAction(reported: string) {
    const setPopup = vi.spyOn(fakeBrowser.action, 'setPopup').mockResolvedValue(undefined);
    vi.spyOn(fakeBrowser.action, 'getPopup').mockResolvedValue(reported);
    return setPopup;
  }

  it('Chrome (action + sidePanel): reads either form of a path as a path from the root, and writes paths', async () => {
    const setPopup = stubAction(`${root}popup-chat.html`);
    const setOptions = vi.fn(async (_options: { path: string }) => {});
    delete api.sidebarAction;
    api.sidePanel = { getOptions: async () => ({ path: '/sidepanel.html' }), setOptions };
    const surfaces = browserSurfaceApi();
    expect(await surfaces.getPopup()).toBe('popup-chat.html');
    expect(await surfaces.getPanel!()).toBe('sidepanel.html');
    await surfaces.setPopup('popup.html');
    await surfaces.setPanel!('sidepanel-chat.html');
    expect(setPopup).toHaveBeenCalledWith({ popup: 'popup.html' });
    expect(setOptions).toHaveBeenCalledWith({ path: 'sidepanel-chat.html' });
  });

  it('Chrome: a side panel with no page reads as none', async () => {
    stubAction('popup.html');
    delete api.sidebarAction;
    api.sidePanel = { getOptions: async () => ({}), setOptions: async () => {} };
    const surfaces = browserSurfaceApi();
    expect(await surfaces.getPopup()).toBe('popup.html');
    expect(await surfaces.getPanel!()).toBe('');
  });

  it('Firefox (action + sidebarAction): reads full URLs as paths, and gives the sidebar a full URL', async () => {
    stubAction('/popup.html');
    const setPanel = vi.fn(async (_details: { panel: string }) => {});
    delete api.sidePanel;
    api.sidebarAction = { getPanel: async () => `${root}sidepanel-chat.html`, setPanel };
    const surfaces = browserSurfaceApi();
    expect(await surfaces.getPopup()).toBe('popup.html');
    expect(await surfaces.getPanel!()).toBe('sidepanel-chat.html');
    await surfaces.setPanel!('sidepanel.html');
    expect(setPanel).toHaveBeenCalledWith({ panel: `${root}sidepanel.html` });
  });

  it('a browser with neither gets the popup only', async () => {
    stubAction('popup.html');
    delete api.sidePanel;
    delete api.sidebarAction;
    const surfaces = browserSurfaceApi();
    expect(surfaces.getPanel).toBeUndefined();
    expect(surfaces.setPanel).toBeUndefined();
  });

  it('syncs through it end to end', async () => {
    const alice = randomHash();
    await signInAs(alice);
    await unlockKey(alice);
    const setPopup = stubAction(`${root}popup.html`);
    const setOptions = vi.fn(async (_options: { path: string }) => {});
    delete api.sidebarAction;
    api.sidePanel = { getOptions: async () => ({ path: `${root}sidepanel-chat.html` }), setOptions };
    await syncChatSurfaces();
    expect(setPopup).toHaveBeenCalledWith({ popup: 'popup-chat.html' });
    expect(setOptions).not.toHaveBeenCalled();
  });
});
