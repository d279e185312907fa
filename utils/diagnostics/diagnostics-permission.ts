/**
 * Firefox's data-collection consent: diagnostics need the optional
 * `technicalAndInteraction` permission, which the user can also take back in
 * the Add-ons Manager. Chrome has no such permission: the setting is enough.
 * @see https://extensionworkshop.com/documentation/develop/firefox-builtin-data-consent/
 */
import { browser, type Browser } from 'wxt/browser';
import { browserFamily } from './report-environment';

export const DIAGNOSTICS_DATA_COLLECTION = 'technicalAndInteraction';

/** `permissions.Permissions` as Firefox 140+ has it. */
export type PermissionsWithDataCollection = Browser.permissions.Permissions & { data_collection?: string[] };

const REQUEST: PermissionsWithDataCollection = { data_collection: [DIAGNOSTICS_DATA_COLLECTION] };

export function needsDataCollectionPermission(): boolean {
  return browserFamily() === 'firefox';
}

/**
 * Opens Firefox's consent prompt. Call it straight from the click handler,
 * before any `await`: Firefox only shows it during a user action.
 */
export function requestDiagnosticsPermission(): Promise<boolean> {
  if (!needsDataCollectionPermission()) return Promise.resolve(true);
  return browser.permissions.request(REQUEST).catch(() => false);
}

export async function hasDiagnosticsPermission(): Promise<boolean> {
  if (!needsDataCollectionPermission()) return true;
  return browser.permissions.contains(REQUEST).catch(() => false);
}

/** Gives the consent back when diagnostics are switched off in Settings. */
export async function removeDiagnosticsPermission(): Promise<void> {
  if (!needsDataCollectionPermission()) return;
  await browser.permissions.remove(REQUEST).catch(() => false);
}

/** True when `removed` (from `permissions.onRemoved`) takes away the diagnostics consent. */
export function removesDiagnosticsPermission(removed: PermissionsWithDataCollection): boolean {
  return removed.data_collection?.includes(DIAGNOSTICS_DATA_COLLECTION) ?? false;
}
