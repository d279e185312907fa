/**
 * The keyboard shortcut that opens the chat beside the page. Kept free of
 * imports: wxt.config.ts reads it to build the manifest's `commands`.
 */

/** Chrome's command, handled in the background with `sidePanel.open`. */
export const OPEN_SIDE_PANEL_COMMAND = 'open-side-panel';

/** Free in both browsers by default (Ctrl+Shift+Y would be Firefox's Downloads). Users can change it. */
export const OPEN_SIDE_PANEL_KEY = 'Alt+Shift+E';

/** The manifest `commands` for one browser. Firefox's sidebar opens itself through `_execute_sidebar_action`. */
export function manifestCommands(browser: 'chrome' | 'firefox'): Record<string, { suggested_key: { default: string }; description: string }> {
  const suggested_key = { default: OPEN_SIDE_PANEL_KEY };
  return browser === 'chrome'
    ? { [OPEN_SIDE_PANEL_COMMAND]: { suggested_key, description: 'Open ExpressAI in the side panel' } }
    : { _execute_sidebar_action: { suggested_key, description: 'Open ExpressAI in the sidebar' } };
}
