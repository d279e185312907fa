/**
 * "Block WebRTC IP leaks": sets the browser's WebRTC IP handling policy to
 * `disable_non_proxied_udp`, so WebRTC uses the proxy or TCP and a website
 * cannot learn local or real IP addresses from ICE candidates. Chrome and
 * Firefox both support this value. It needs the optional `privacy`
 * permission, asked for when the switch is turned on and given back when it
 * is turned off.
 * @see https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/privacy/network
 */
import { browser, type Browser } from 'wxt/browser';

export const WEBRTC_BLOCKING_POLICY = 'disable_non_proxied_udp';
const PRIVACY_PERMISSION: Browser.permissions.Permissions = { permissions: ['privacy'] };

export type LevelOfControl = Browser.types.LevelOfControl;

export interface WebRtcProtectionState {
  /** The optional `privacy` permission is granted, so the setting can be read. */
  permitted: boolean;
  /** The policy in force blocks non-proxied UDP (whoever set it). */
  blocking: boolean;
  /** Who decides the setting; null without the permission. */
  levelOfControl: LevelOfControl | null;
}

const UNKNOWN: WebRtcProtectionState = { permitted: false, blocking: false, levelOfControl: null };

/** True when another extension or the browser's policy decides the setting, so we cannot change it. */
export function controlledElsewhere(level: LevelOfControl | null): boolean {
  return level === 'controlled_by_other_extensions' || level === 'not_controllable';
}

function setting() {
  return browser.privacy?.network?.webRTCIPHandlingPolicy;
}

export async function readWebRtcProtection(): Promise<WebRtcProtectionState> {
  const permitted = await browser.permissions.contains(PRIVACY_PERMISSION).catch(() => false);
  const policy = setting();
  if (!permitted || !policy) return UNKNOWN;
  const { value, levelOfControl } = await policy.get({});
  return { permitted, blocking: value === WEBRTC_BLOCKING_POLICY, levelOfControl };
}

/**
 * Asks for the `privacy` permission. Call it straight from the click handler,
 * before any `await`: browsers only prompt during a user action.
 */
export function requestPrivacyPermission(): Promise<boolean> {
  return browser.permissions.request(PRIVACY_PERMISSION).catch(() => false);
}

/**
 * Turns the protection on or off and returns what is in force afterwards.
 * When another extension controls the setting nothing is changed, and the
 * returned `levelOfControl` says so.
 */
export async function setWebRtcProtection(on: boolean): Promise<WebRtcProtectionState> {
  const before = await readWebRtcProtection();
  const policy = setting();
  if (!before.permitted || !policy || controlledElsewhere(before.levelOfControl)) return before;
  if (on) {
    await policy.set({ value: WEBRTC_BLOCKING_POLICY });
    return readWebRtcProtection();
  }
  // Clearing (rather than setting "default") hands the setting back to the browser.
  await policy.clear({});
  await browser.permissions.remove(PRIVACY_PERMISSION).catch(() => false);
  return readWebRtcProtection();
}

/** Erase everything: give the setting and the permission back, as on a fresh install. */
export async function releaseWebRtcProtection(): Promise<void> {
  const state = await readWebRtcProtection().catch(() => UNKNOWN);
  if (state.levelOfControl === 'controlled_by_this_extension') await setting()?.clear({});
  await browser.permissions.remove(PRIVACY_PERMISSION).catch(() => false);
}
