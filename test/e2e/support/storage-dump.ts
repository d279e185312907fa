/**
 * Reads every storage area an extension page can see, values included, in a
 * form that survives the trip out of the browser (JSON only). Later tests
 * search the dump for tokens, KRNs and canary strings, so binary values also
 * carry a lossy UTF-8 reading and Blobs are read in full.
 */

/** One IndexedDB database with every record of every object store. */
export interface IndexedDbDump {
  name: string;
  version: number;
  stores: { name: string; records: { key: unknown; value: unknown }[] }[];
}

/** What one extension page sees. `sessionStorage` is per tab, so the session collects it from every open extension page. */
export interface PageStorage {
  local: Record<string, unknown>;
  session: Record<string, unknown>;
  sync: Record<string, unknown>;
  localStorage: Record<string, string>;
  sessionStorage: Record<string, string>;
  indexedDB: IndexedDbDump[];
  /** Cache Storage: cache name → request URLs. */
  cacheStorage: Record<string, string[]>;
  /** Paths of every entry in the origin-private file system. */
  opfs: string[];
  /** Areas that could not be read; the audit treats them as failures. */
  unreadable: { area: string; message: string }[];
}

/** The whole extension's storage. */
export interface StorageDump extends Omit<PageStorage, 'sessionStorage'> {
  /** Page URL → that tab's sessionStorage. */
  sessionStorage: Record<string, Record<string, string>>;
}

/**
 * Runs inside an extension page (`page.evaluate(collectPageStorage)`), so it
 * must not reference anything outside its own body.
 */
export async function collectPageStorage(): Promise<PageStorage> {
  const g = globalThis as any;
  const ext = g.browser ?? g.chrome;
  const unreadable: { area: string; message: string }[] = [];
  const attempt = async <T>(area: string, read: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      unreadable.push({ area, message: error instanceof Error ? error.message : String(error) });
      return fallback;
    }
  };

  const bytesToPlain = (bytes: Uint8Array) => {
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return { $bytes: btoa(binary), $utf8: new TextDecoder('utf-8', { fatal: false }).decode(bytes) };
  };
  const seen = new WeakSet<object>();
  const toPlain = async (value: unknown): Promise<unknown> => {
    if (value === undefined) return { $undefined: true };
    if (typeof value === 'bigint') return { $bigint: value.toString() };
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return { $cycle: true };
    seen.add(value);
    if (value instanceof ArrayBuffer) return bytesToPlain(new Uint8Array(value));
    if (ArrayBuffer.isView(value)) return bytesToPlain(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    if (value instanceof Blob) {
      return { $blob: { type: value.type, size: value.size, ...bytesToPlain(new Uint8Array(await value.arrayBuffer())) } };
    }
    if (value instanceof Date) return { $date: value.toISOString() };
    if (value instanceof RegExp) return { $regexp: String(value) };
    if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) {
      // Only the description: a CryptoKey's material never leaves the browser.
      return { $cryptoKey: { type: value.type, extractable: value.extractable, algorithm: { ...value.algorithm }, usages: value.usages } };
    }
    if (value instanceof Map) return { $map: await Promise.all([...value].map(async ([k, v]) => [await toPlain(k), await toPlain(v)])) };
    if (value instanceof Set) return { $set: await Promise.all([...value].map(toPlain)) };
    if (value instanceof Error) return { $error: { name: value.name, message: value.message } };
    if (Array.isArray(value)) return Promise.all(value.map(toPlain));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await toPlain(v);
    return out;
  };
  const plainRecord = async (record: Record<string, unknown>) => (await toPlain(record)) as Record<string, unknown>;

  const request = <T>(req: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
    });
  const openExisting = (name: string) =>
    new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name);
      // Listed a moment ago but gone now: do not create it by looking.
      req.onupgradeneeded = () => req.transaction?.abort();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error(`could not open ${name}`));
      req.onblocked = () => reject(new Error(`opening ${name} was blocked`));
    });
  const dumpDatabase = async (name: string, version: number): Promise<IndexedDbDump> => {
    const db = await openExisting(name);
    try {
      const stores: IndexedDbDump['stores'] = [];
      for (const storeName of Array.from(db.objectStoreNames)) {
        const store = db.transaction(storeName, 'readonly').objectStore(storeName);
        const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
        const records = await Promise.all(keys.map(async (key, i) => ({ key: await toPlain(key), value: await toPlain(values[i]) })));
        stores.push({ name: storeName, records });
      }
      return { name, version, stores };
    } finally {
      db.close();
    }
  };
  type DirectoryHandle = { entries(): AsyncIterable<[string, { kind: string }]> };
  const listOpfs = async (dir: DirectoryHandle, prefix: string, into: string[]): Promise<void> => {
    for await (const [name, handle] of dir.entries()) {
      into.push(`${prefix}${name}${handle.kind === 'directory' ? '/' : ''}`);
      if (handle.kind === 'directory') await listOpfs(handle as unknown as DirectoryHandle, `${prefix}${name}/`, into);
    }
  };

  const webStorage = (s: Storage) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => s.key(i)!).map((k) => [k, s.getItem(k)!]));
  const [local, session, sync, databases, cacheStorage, opfs] = await Promise.all([
    attempt('storage.local', async () => plainRecord(await ext.storage.local.get(null)), {}),
    attempt('storage.session', async () => plainRecord(await ext.storage.session.get(null)), {}),
    attempt('storage.sync', async () => plainRecord(await ext.storage.sync.get(null)), {}),
    attempt('indexedDB', () => indexedDB.databases(), [] as IDBDatabaseInfo[]),
    attempt(
      'cacheStorage',
      async () => {
        const out: Record<string, string[]> = {};
        for (const name of await caches.keys()) out[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
        return out;
      },
      {} as Record<string, string[]>,
    ),
    attempt(
      'opfs',
      async () => {
        const paths: string[] = [];
        await listOpfs(await navigator.storage.getDirectory(), '', paths);
        return paths;
      },
      [] as string[],
    ),
  ]);
  const indexedDBDump: IndexedDbDump[] = [];
  for (const info of databases) {
    if (info.name === undefined) continue;
    const dumped = await attempt(`indexedDB "${info.name}"`, () => dumpDatabase(info.name!, info.version ?? 0), undefined);
    if (dumped) indexedDBDump.push(dumped);
  }
  return {
    local,
    session,
    sync,
    localStorage: await attempt('localStorage', async () => webStorage(localStorage), {}),
    sessionStorage: await attempt('sessionStorage', async () => webStorage(sessionStorage), {}),
    indexedDB: indexedDBDump,
    cacheStorage,
    opfs,
    unreadable,
  };
}
