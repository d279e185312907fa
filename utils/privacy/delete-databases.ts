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

/**
 * Deletes every database `indexedDB.databases()` lists, in parallel.
 * Returns how many could not be deleted in time (their names are never
 * logged: they carry subscription hashes).
 */
export async function deleteAllDatabases(timeoutMs = DELETE_TIMEOUT_MS): Promise<number> {
  const databases = await indexedDB.databases();
  const names = databases.map((d) => d.name).filter((name): name is string => typeof name === 'string');
  const results = await Promise.all(names.map((name) => deleteDatabase(name, timeoutMs)));
  return results.filter((ok) => !ok).length;
}
