/**
 * Opening the side panel (Firefox: the sidebar). Both browsers allow it only
 * in direct response to a user action, so it must be called synchronously
 * from the click or the keyboard command, before any `await`.
 */
import { browser, type Browser } from 'wxt/browser';
import { OPEN_SIDE_PANEL_COMMAND } from './commands';

interface SidebarActionApi {
  open(): Promise<void>;
}

/**
 * Opens the chat beside the page: Chrome's side panel in `windowId`, or
 * Firefox's sidebar. Resolves false when the browser has neither.
 */
export function openSidePanel(windowId: number | undefined): Promise<boolean> {
  const sidebarAction = (browser as unknown as { sidebarAction?: SidebarActionApi }).sidebarAction;
  if (sidebarAction) return sidebarAction.open().then(() => true);
  const sidePanel = (browser as unknown as { sidePanel?: typeof Browser.sidePanel }).sidePanel;
  if (sidePanel && windowId !== undefined) return sidePanel.open({ windowId }).then(() => true);
  return Promise.resolve(false);
}

/** The keyboard command's listener (Chrome). */
export function onOpenSidePanelCommand(command: string, tab: Browser.tabs.Tab | undefined): void {
  if (command !== OPEN_SIDE_PANEL_COMMAND) return;
  void openSidePanel(tab?.windowId).catch(() => undefined);
}
