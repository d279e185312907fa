/**
 * What differs between the two browsers before a session exists: where the
 * built extension is, which binary runs it, and how it is launched.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type BrowserName = 'chrome' | 'firefox';

/** Both browsers, in the order the suites run them. */
export const BROWSERS: readonly BrowserName[] = ['chrome', 'firefox'];

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The port the e2e build of the extension is pointed at (`WXT_EXPRESSAI_ISSUER`). */
export const E2E_SERVICE_PORT = 8790;
export const E2E_SERVICE_ORIGIN = `http://127.0.0.1:${E2E_SERVICE_PORT}`;

/**
 * Diagnostics reports wait a random 1–6 hours in a real build; the e2e build
 * waits 3–6 seconds, so a test can watch a report go out (and wait past the
 * longest delay to see that none does).
 */
export const E2E_DIAGNOSTICS_DELAY_MS = { min: 3_000, max: 6_000 };
export const E2E_DIAGNOSTICS_DELAY_ENV = {
  WXT_EXPRESSAI_DIAGNOSTICS_DELAY_MIN_MS: String(E2E_DIAGNOSTICS_DELAY_MS.min),
  WXT_EXPRESSAI_DIAGNOSTICS_DELAY_MAX_MS: String(E2E_DIAGNOSTICS_DELAY_MS.max),
};

/** Where `wxt build -b <browser> --mv3` writes the unpacked extension. */
export function extensionDir(name: BrowserName): string {
  return path.join(REPO_ROOT, '.output', `${name}-mv3-e2e`);
}

export const CHROMIUM_PATH = process.env.E2E_CHROMIUM_PATH || '/usr/bin/chromium';
export const FIREFOX_PATH = process.env.E2E_FIREFOX_PATH || '/usr/bin/firefox-esr';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Firefox gives each install a random moz-extension UUID; pinning it makes
 * `baseUrl` predictable across runs.
 */
export const FIREFOX_EXTENSION_UUID = 'e2e0e2e0-0000-4000-8000-00000000e2e0';

/** Generous: two browsers, a build and the service share two cores. */
export const E2E_TIMEOUT_MS = 30_000;
