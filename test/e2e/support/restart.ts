/**
 * Restarting the browser the way a person does: quit it, start it again on
 * the same profile. Everything on disk (storage.local, IndexedDB) stays;
 * memory-backed storage.session is gone. In Firefox the temporary add-on is
 * installed again onto its kept data (see the keep* prefs in firefox-session.ts),
 * which is also what opens the welcome tab the session needs.
 */
import { rename } from 'node:fs/promises';
import { launchExtension, type ExtensionSession } from './session';
import { withTimeout } from './wait';

/** The profile directory the browser was started with, from its command line. */
function profileDirOf(session: ExtensionSession): string {
  const args = session.browser.process()?.spawnargs ?? [];
  for (const [i, arg] of args.entries()) {
    if (arg.startsWith('--user-data-dir=')) return arg.slice('--user-data-dir='.length);
    if ((arg === '--profile' || arg === '-profile') && args[i + 1]) return args[i + 1]!;
  }
  throw new Error(`cannot tell ${session.name}'s profile directory from its command line`);
}

/**
 * Quits the browser, keeping its profile, and launches it again with the
 * built extension. The old session is closed and must not be used; use the
 * returned one (it removes the profile when closed).
 */
export async function restartBrowser(session: ExtensionSession): Promise<ExtensionSession> {
  const profile = profileDirOf(session);
  // A graceful quit, so the browser writes everything to disk before the profile moves.
  await withTimeout(session.browser.close(), 30_000, `quitting ${session.name}`);
  const kept = `${profile}-restarted`;
  await rename(profile, kept);
  // Closes what is left of the old session; its profile is no longer where it would remove it from.
  await session.close();
  return launchExtension(session.name, { profileDir: kept });
}
