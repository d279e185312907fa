/**
 * Erase everything: the session is revoked at the server, then every storage
 * area and every IndexedDB database of the extension is emptied, and what we
 * changed in the browser (WebRTC policy, optional permissions, alarms) is
 * given back, leaving the extension as freshly installed. Runs in the
 * background; open pages notice through storage change events and re-read.
 */
import { browser } from 'wxt/browser';
import { signOut } from '../auth/sign-out';
import { dropSealKey } from '../auth/session-seal';
import { withDiagnosticsLock } from '../diagnostics/diagnostics-lock';
import { removeDiagnosticsPermission } from '../diagnostics/diagnostics-permission';
import { ExtensionError } from '../errors';
import { authStatus, clearAllExtensionStorage } from '../storage-items';
import { deleteAllDatabases, DELETE_TIMEOUT_MS } from './delete-databases';
import { releaseWebRtcProtection } from './webrtc-protection';

export interface EraseResult {
  erased: true;
}

export async function eraseEverything(deleteTimeoutMs = DELETE_TIMEOUT_MS): Promise<EraseResult> {
  // First, while the stored session still exists to revoke. Offline, it only signs out here.
  await signOut().catch(() => undefined);
  const { epoch } = await authStatus.getValue();
  await releaseWebRtcProtection().catch(() => undefined);
  await removeDiagnosticsPermission();
  await browser.alarms.clearAll();
  // Forget the in-memory copy of the device key too, or a later sign-in would seal with a key that is gone.
  await dropSealKey().catch(() => undefined);
  // Under the diagnostics lock, so a page recording right now cannot write its counts back afterwards.
  await withDiagnosticsLock(clearAllExtensionStorage);
  const stuck = await deleteAllDatabases(deleteTimeoutMs);
  // A token refresh still in flight compares this epoch with its own; with the fallback (0) it could write a session back.
  await authStatus.setValue({ state: 'signed-out', epoch });
  if (stuck > 0) {
    throw new ExtensionError(
      'erase_incomplete',
      'Everything else was erased, but another open ExpressAI page is still using some data. Close the other ExpressAI pages and erase again.',
    );
  }
  return { erased: true };
}
