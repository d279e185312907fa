/** Deletes every IndexedDB database of the extension's origin (erase everything). */

/** Long enough for other pages to let go of their connections (they close on `versionchange`). */
export const DELETE_TIMEOUT_MS = 10_000;

function deleteDatabase(name: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      resolve(ok);
    };
    let request: IDBOpenDBRequest;
    try {
      request = indexedDB.deleteDatabase(name);
    } catch {
      done(false);
      return;
    }
    request.onsuccess = () => done(true);
    request.onerror = () => done(false);
    // `blocked`: a page still holds the database open; the delete goes on once it closes, or times out here.
  });
}

/** Rounds of deleting: see {@link deleteAllDatabases}. */
const SWEEPS = 4;
const SWEEP_PAUSE_MS = 250;

async function databaseNames(): Promise<string[]> {
  const databases = await indexedDB.databases();
  return databases.map((d) => d.name).filter((name): name is string => typeof name === 'string');
}

/**
 * Deletes every database `indexedDB.databases()` lists, in parallel, and
 * looks again: a page that was reading one when the erase began can bring it
 * back empty (IndexedDB runs an open queued behind a delete after it, creating
 * the database anew), so deleting goes on until none is left, a few rounds at
 * most. Returns how many are left (their names are never logged: they carry
 * subscription hashes).
 */
export async function deleteAllDatabases(timeoutMs = DELETE_TIMEOUT_MS): Promise<number> {
  for (let sweep = 1; ; sweep++) {
    const names = await databaseNames();
    if (names.length === 0) return 0;
    const results = await Promise.all(names.map((name) => deleteDatabase(name, timeoutMs)));
    const stuck = results.filter((ok) => !ok).length;
    if (stuck > 0) return stuck;
    if (sweep === SWEEPS) return (await databaseNames()).length;
    await new Promise((resolve) => setTimeout(resolve, SWEEP_PAUSE_MS));
  }
}
