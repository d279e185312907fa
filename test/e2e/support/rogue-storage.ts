/**
 * Undeclared items in every storage area, planted from the harness tab, to
 * prove the storage audit notices each of them.
 */
import type { AuditFinding } from './storage-audit';
import type { ExtensionSession } from './session';

/** A value the dump must contain once the rogue items are planted. */
export const ROGUE_CANARY = 'rogue-canary-7f3a';

export const ROGUE_NAMES = {
  local: 'rogue_key',
  /** Looks like the declared per-subscription flag, but with a raw id where the hash belongs. */
  rawKrnFlag: 'master_password_created_krn:expressai:subscription:1234',
  session: 'rogue_session_key',
  sync: 'rogue_sync_key',
  localStorage: 'rogue_local_item',
  sessionStorage: 'rogue_session_item',
  indexedDB: 'rogue-db',
  cacheStorage: 'rogue-cache',
  opfs: 'rogue.txt',
} as const;

/** What the audit must report once {@link plantRogueItems} ran; `harnessHref` is where the sessionStorage item lives. */
export function expectedRogueFindings(harnessHref: string): AuditFinding[] {
  const n = ROGUE_NAMES;
  return [
    { area: 'storage.local', key: n.local },
    { area: 'storage.local', key: n.rawKrnFlag },
    { area: 'storage.session', key: n.session },
    { area: 'storage.sync', key: n.sync },
    { area: 'localStorage', key: n.localStorage },
    { area: 'sessionStorage', key: n.sessionStorage, detail: harnessHref },
    { area: 'indexedDB', key: n.indexedDB },
    { area: 'cacheStorage', key: n.cacheStorage },
    { area: 'opfs', key: n.opfs },
  ];
}

/** Declared keys, planted alongside the rogue ones: the audit must not report them. */
export const DECLARED_SAMPLES = ['master_password_created', `master_password_created_${'ab'.repeat(32)}`];

type Api = { storage: Record<'local' | 'session' | 'sync', { set(items: object): Promise<void>; remove(keys: string[]): Promise<void> }> };

export async function plantRogueItems(session: ExtensionSession): Promise<void> {
  await session.harness.evaluate(
    async (n, canary, declared) => {
      const g = globalThis as unknown as { browser?: Api; chrome?: Api };
      const ext = (g.browser ?? g.chrome)!;
      await ext.storage.local.set({ [n.local]: canary, [n.rawKrnFlag]: true, ...Object.fromEntries(declared.map((k) => [k, true])) });
      await ext.storage.session.set({ [n.session]: canary });
      await ext.storage.sync.set({ [n.sync]: canary });
      localStorage.setItem(n.localStorage, canary);
      sessionStorage.setItem(n.sessionStorage, canary);
      await new Promise<void>((resolve, reject) => {
        const req = indexedDB.open(n.indexedDB, 1);
        req.onupgradeneeded = () => req.result.createObjectStore('things');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const tx = db.transaction('things', 'readwrite');
          tx.objectStore('things').put({ note: canary, bytes: new TextEncoder().encode(`${canary}-bytes`) }, 'first');
          tx.oncomplete = () => (db.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      });
      await (await caches.open(n.cacheStorage)).put('https://rogue.invalid/thing', new Response(canary));
      const file = await (await navigator.storage.getDirectory()).getFileHandle(n.opfs, { create: true });
      const writable = await file.createWritable();
      await writable.write(canary);
      await writable.close();
    },
    ROGUE_NAMES,
    ROGUE_CANARY,
    DECLARED_SAMPLES,
  );
}

/** Removes everything {@link plantRogueItems} wrote. */
export async function removeRogueItems(session: ExtensionSession): Promise<void> {
  await session.harness.evaluate(
    async (n, declared) => {
      const g = globalThis as unknown as { browser?: Api; chrome?: Api };
      const ext = (g.browser ?? g.chrome)!;
      await ext.storage.local.remove([n.local, n.rawKrnFlag, ...declared]);
      await ext.storage.session.remove([n.session]);
      await ext.storage.sync.remove([n.sync]);
      localStorage.removeItem(n.localStorage);
      sessionStorage.removeItem(n.sessionStorage);
      await new Promise<void>((resolve, reject) => {
        const req = indexedDB.deleteDatabase(n.indexedDB);
        req.onsuccess = () => resolve();
        req.onerror = () => reject(req.error);
        req.onblocked = () => reject(new Error(`deleting ${n.indexedDB} is blocked by an open connection`));
      });
      await caches.delete(n.cacheStorage);
      await (await navigator.storage.getDirectory()).removeEntry(n.opfs).catch(() => undefined);
    },
    ROGUE_NAMES,
    DECLARED_SAMPLES,
  );
}
