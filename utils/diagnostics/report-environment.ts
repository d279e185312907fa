/** What a report says about where it came from: our version, the browser family and its major version. Nothing finer. */
import { browser } from 'wxt/browser';
import type { DiagnosticsReport } from '../diagnostics-schema';
import { ExtensionError } from '../errors';

export type BrowserFamily = DiagnosticsReport['browser']['family'];

export interface ReportEnvironment {
  extensionVersion: string;
  browser: DiagnosticsReport['browser'];
}

/** The browser this build is for, fixed at build time. */
export function browserFamily(): BrowserFamily {
  return import.meta.env.FIREFOX ? 'firefox' : 'chrome';
}

/** The major version in a user-agent string, e.g. 131 from `Chrome/131.0.6778.85` (or headless Chrome's `HeadlessChrome/131.0…`). */
export function majorVersion(family: BrowserFamily, userAgent: string): number | undefined {
  const match = (family === 'firefox' ? /\bFirefox\/(\d{1,3})\./ : /(?:\b|Headless)Chrom(?:e|ium)\/(\d{1,3})\./).exec(userAgent);
  const major = match ? Number(match[1]) : NaN;
  return major >= 1 ? major : undefined;
}

export function reportEnvironment(): ReportEnvironment {
  const family = browserFamily();
  const major = majorVersion(family, globalThis.navigator?.userAgent ?? '');
  if (major === undefined) throw new ExtensionError('internal_error', 'The browser version could not be read, so no diagnostics report can be built.');
  return { extensionVersion: browser.runtime.getManifest().version, browser: { family, major } };
}
