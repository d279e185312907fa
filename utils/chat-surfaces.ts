/**
 * Which page the toolbar popup and the side panel (Firefox: sidebar) open. While the chat is ready (signed in,
 * this subscription's history unlocked) they open `popup-chat.html` / `sidepanel-chat.html`, whose HTML already
 * holds the chat's frame and a live message box, so the page is ready to type into on its first frame, before
 * any script has run. Otherwise they open the manifest's pages, which render what the state calls for (sign in,
 * unlock, create a master password).
 *
 * The background keeps the choice in step with storage.session, where both facts live: every change to the
 * account state or to a vault key, and every start of the background (a browser restart empties storage.session,
 * so the first start after it picks the manifest's pages). A page opened on a choice that was already stale still
 * shows the right thing: it renders the state it finds (components/chat-page.tsx).
 */
import { browser } from 'wxt/browser';
import { authStatus, sessionKeyNames, watchSessionKeyNames } from './storage-items';
import { isSessionKeyName, isUnlockedIn } from './vault/session-key';

export interface SurfacePages {
  popup: string;
  panel: string;
}

/** The manifest's pages, for any state. */
export const STATE_PAGES: SurfacePages = { popup: 'popup.html', panel: 'sidepanel.html' };
/** The pages that open already showing the chat. */
export const CHAT_READY_PAGES: SurfacePages = { popup: 'popup-chat.html', panel: 'sidepanel-chat.html' };

/** The browser's side of it; tests pass fakes. Paths are relative to the extension's root. */
export interface SurfaceApi {
  getPopup(): Promise<string>;
  setPopup(path: string): Promise<void>;
  /** Undefined when the browser has no side panel API. */
  getPanel?(): Promise<string | undefined>;
  setPanel?(path: string): Promise<void>;
}

interface SidePanelApi {
  getOptions(options: object): Promise<{ path?: string }>;
  setOptions(options: { path: string }): Promise<void>;
}
interface SidebarActionApi {
  getPanel(details: object): Promise<string>;
  setPanel(details: { panel: string }): Promise<void>;
}

/** Either form a browser reports ("popup.html", "/popup.html", or the full URL) as a path from the root. */
function relative(pathOrUrl: string | undefined): string {
  if (!pathOrUrl) return '';
  const root = browser.runtime.getURL('/');
  return (pathOrUrl.startsWith(root) ? pathOrUrl.slice(root.length) : pathOrUrl).replace(/^\//, '');
}

/** Chrome: `action` + `sidePanel`; Firefox: `action` + `sidebarAction` (which wants full URLs). */
export function browserSurfaceApi(): SurfaceApi {
  const api = browser as unknown as { sidePanel?: SidePanelApi; sidebarAction?: SidebarActionApi };
  const popup = {
    getPopup: async () => relative(await browser.action.getPopup({})),
    setPopup: (path: string) => browser.action.setPopup({ popup: path }),
  };
  const { sidebarAction, sidePanel } = api;
  if (sidebarAction) {
    return {
      ...popup,
      getPanel: async () => relative(await sidebarAction.getPanel({})),
      setPanel: (path) => sidebarAction.setPanel({ panel: browser.runtime.getURL(`/${path}` as '/popup.html') }),
    };
  }
  if (sidePanel) {
    return {
      ...popup,
      getPanel: async () => relative((await sidePanel.getOptions({})).path),
      setPanel: (path) => sidePanel.setOptions({ path }),
    };
  }
  return popup;
}

/** Whether the chat is what a popup or side panel opened now would show. */
export async function chatIsReady(): Promise<boolean> {
  const [status, names] = await Promise.all([authStatus.getValue(), sessionKeyNames()]);
  return status.state === 'signed-in' && status.subscriptionHash !== undefined && isUnlockedIn(names, status.subscriptionHash);
}

/**
 * Points the popup and the side panel at the pages for the current state. A page already set is left alone:
 * setting a side panel's page again reloads it where it is open.
 */
export async function syncChatSurfaces(api: SurfaceApi = browserSurfaceApi()): Promise<SurfacePages> {
  const pages = (await chatIsReady()) ? CHAT_READY_PAGES : STATE_PAGES;
  const [popup, panel] = await Promise.all([api.getPopup(), api.getPanel?.()]);
  await Promise.all([
    popup !== pages.popup && api.setPopup(pages.popup),
    api.setPanel && panel !== pages.panel && api.setPanel(pages.panel),
  ]);
  return pages;
}

/** The account state's name in storage.session (its metadata, `…$`, changes with it). */
const AUTH_STATUS_NAME = authStatus.key.replace(/^session:/, '');

let queue: Promise<unknown> = Promise.resolve();

/** Syncs after whatever sync is under way, so the last state always wins. Errors are left out: the next change retries. */
function resync(api?: SurfaceApi): Promise<void> {
  const next = queue.then(() => syncChatSurfaces(api)).then(
    () => undefined,
    () => undefined,
  );
  queue = next;
  return next;
}

/**
 * Call synchronously at the top of the background: syncs now (each start of the background, which after a
 * browser restart finds storage.session empty) and on every change to the account state or a vault key.
 */
export function registerChatSurfaces(api?: SurfaceApi): () => void {
  const unwatch = watchSessionKeyNames((changed) => {
    if (changed.some((name) => name.startsWith(AUTH_STATUS_NAME) || isSessionKeyName(name))) void resync(api);
  });
  // A listener for the browser's start wakes the background then, before anyone opens the popup.
  const onStartup = () => void resync(api);
  browser.runtime.onStartup.addListener(onStartup);
  void resync(api);
  return () => {
    unwatch();
    browser.runtime.onStartup.removeListener(onStartup);
  };
}
