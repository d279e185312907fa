/**
 * Every permission the manifest asks for, with the reason it is needed.
 * `wxt.config.ts` builds the manifest from this list and the README's
 * permission table is generated from it, so the two cannot drift apart.
 */
export type TargetBrowser = 'chrome' | 'firefox';

export interface PermissionDeclaration {
  name: string;
  kind: 'install' | 'optional' | 'optional-host';
  browsers: readonly TargetBrowser[];
  why: string;
}

export const PERMISSIONS: readonly PermissionDeclaration[] = [
  {
    name: 'storage',
    kind: 'install',
    browsers: ['chrome', 'firefox'],
    why: 'Keeps the declared items in the storage table below (settings, master-password flags, the sign-in flow state in session storage).',
  },
  {
    name: 'identity',
    kind: 'install',
    browsers: ['chrome', 'firefox'],
    why: 'Opens the ExpressAI sign-in page in a browser window (`identity.launchWebAuthFlow`) and receives the result at the extension\'s own redirect URL.',
  },
  {
    name: 'alarms',
    kind: 'install',
    browsers: ['chrome', 'firefox'],
    why: 'Renews the session and ends it after 24 hours even when the background was stopped in between (timers would not survive that).',
  },
  {
    name: 'idle',
    kind: 'install',
    browsers: ['chrome', 'firefox'],
    why: 'Locks your chat history after the time without input you chose in Settings (15 minutes unless you change it), and when the screen locks (Chrome). Only the state "active / idle / locked" is read, never what you do.',
  },
  {
    name: 'sidePanel',
    kind: 'install',
    browsers: ['chrome'],
    why: 'Shows the chat in Chrome\'s side panel. Firefox uses `sidebar_action`, which needs no permission.',
  },
  {
    name: 'privacy',
    kind: 'optional',
    browsers: ['chrome', 'firefox'],
    why: 'Asked for only when you switch on "Block WebRTC IP leaks" in Settings: sets the browser\'s WebRTC IP handling policy (`privacy.network.webRTCIPHandlingPolicy`) so websites cannot learn your local or real IP address through WebRTC. Given back when you switch it off.',
  },
  {
    name: 'https://*/*',
    kind: 'optional-host',
    browsers: ['chrome', 'firefox'],
    why: 'Asked for only when you choose a custom OpenAI-compatible endpoint in Settings, and then only for that endpoint\'s host (e.g. `https://api.example.com/*`), so the chat can reach it. Nothing is asked at install.',
  },
  {
    name: 'http://localhost/*',
    kind: 'optional-host',
    browsers: ['chrome', 'firefox'],
    why: 'The same, for a model server on this computer (e.g. Ollama at `http://localhost:11434/v1`). Plain http is accepted only for this computer.',
  },
  {
    name: 'http://127.0.0.1/*',
    kind: 'optional-host',
    browsers: ['chrome', 'firefox'],
    why: 'The same as `http://localhost/*`, for a local model server addressed by IP.',
  },
];

/** The manifest `permissions` / `optional_permissions` lists for one browser. */
export function manifestPermissions(browser: TargetBrowser, kind: PermissionDeclaration['kind']): string[] {
  return PERMISSIONS.filter((p) => p.kind === kind && p.browsers.includes(browser)).map((p) => p.name);
}
