/**
 * Shared helpers for the vault tests: cheap KDF cost, fresh subscription
 * hashes, and a dump of everything the extension stored (fake IndexedDB and
 * extension storage) for "no plaintext on disk" checks.
 */
import { openDB } from 'idb';
import { bytesToHex } from '@noble/hashes/utils.js';
import { fakeBrowser } from 'wxt/testing';
import type { KdfCost } from '@/utils/vault/kdf-params';

/** Parameters are stored per vault, so tests can use a tiny Argon2id cost. */
export const SMALL: KdfCost = { memoryKiB: 256, iterations: 1, parallelism: 1 };

export const OLD_PASSWORD = 'correct horse battery';
export const NEW_PASSWORD = 'staple tumbling planets';

export function randomHash(): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(32)));
}

function serialize(value: unknown): unknown {
  if (value instanceof Uint8Array) {
    return { hex: bytesToHex(value), text: new TextDecoder('utf-8', { fatal: false }).decode(value) };
  }
  if (value instanceof ArrayBuffer) return serialize(new Uint8Array(value));
  if (Array.isArray(value)) return value.map(serialize);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serialize(v)]));
  }
  return value;
}

/** Every IndexedDB record (keys and values) on the device, as JSON; byte arrays appear as hex and as text. */
export async function dumpIndexedDb(): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue;
    const db = await openDB(name);
    try {
      for (const store of db.objectStoreNames) {
        const keys = await db.getAllKeys(store);
        const values = await db.getAll(store);
        out[`${name}/${store}`] = serialize({ keys, values });
      }
    } finally {
      db.close();
    }
  }
  return JSON.stringify(out);
}

export async function dumpStorage(areas: ('local' | 'session')[] = ['local', 'session']): Promise<string> {
  const out: Record<string, unknown> = {};
  for (const area of areas) out[area] = await fakeBrowser.storage[area].get(null);
  return JSON.stringify(out);
}

/** The stored rows of one history store, read past the library (for tampering and "unchanged" checks). */
export async function rawRows(hash: string, store: 'conversations' | 'messages'): Promise<Record<string, unknown>[]> {
  const db = await openDB(`expressai-history-${hash}`);
  try {
    return (await db.getAll(store)) as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

/** Replaces stored rows behind the library's back. */
export async function putRawRows(hash: string, store: 'conversations' | 'messages', rows: unknown[]): Promise<void> {
  const db = await openDB(`expressai-history-${hash}`);
  try {
    const tx = db.transaction(store, 'readwrite');
    await Promise.all(rows.map((row) => tx.store.put(row)));
    await tx.done;
  } finally {
    db.close();
  }
}

/** Starts a test from an empty fake IndexedDB (open connections of the library close themselves on delete). */
export async function deleteAllDatabases(): Promise<void> {
  const { deleteDB } = await import('idb');
  for (const { name } of await indexedDB.databases()) if (name) await deleteDB(name);
}
