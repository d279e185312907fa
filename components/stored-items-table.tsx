import { useEffect, useState } from 'preact/hooks';
import { findDeclaration, STORAGE_INVENTORY, type StorageDeclaration } from '@/utils/storage-inventory';
import { listStoredKeys, watchAllStorage } from '@/utils/storage-items';

type Presence = Map<StorageDeclaration, number>;

async function readPresence(): Promise<Presence> {
  const [stored, databases] = await Promise.all([listStoredKeys(), indexedDB.databases()]);
  const presence: Presence = new Map();
  const count = (area: 'local' | 'session' | 'indexeddb', key: string) => {
    const declaration = findDeclaration(area, key);
    if (declaration && !key.endsWith('$')) presence.set(declaration, (presence.get(declaration) ?? 0) + 1);
  };
  for (const area of ['local', 'session'] as const) for (const key of stored[area]) count(area, key);
  for (const { name } of databases) if (name) count('indexeddb', name);
  return presence;
}

/** "What's stored on this device": every declared item, why it exists, how long it stays, and whether it is there now. */
export function StoredItemsTable() {
  const [presence, setPresence] = useState<Presence | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    // Databases come and go with the storage items beside them (sign-in, a new vault, erase), so storage changes re-read both.
    const refresh = () => void readPresence().then(setPresence, () => setFailed(true));
    refresh();
    return watchAllStorage(refresh);
  }, []);
  const status = (d: StorageDeclaration) => {
    if (failed) return 'Unknown';
    if (!presence) return '…';
    const n = presence.get(d) ?? 0;
    return n === 0 ? 'Not stored' : n === 1 ? 'Stored' : `Stored (${n})`;
  };
  return (
    <section class="card" aria-labelledby="stored-heading">
      <h2 id="stored-heading">What's stored on this device</h2>
      {failed && <p class="error">The list of stored items could not be read.</p>}
      <table class="inventory" aria-labelledby="stored-heading">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Purpose</th>
            <th scope="col">Kept</th>
            <th scope="col">Now</th>
          </tr>
        </thead>
        <tbody>
          {STORAGE_INVENTORY.map((d) => (
            <tr key={d.key}>
              <td>
                <code>{d.key}</code>
              </td>
              <td>{d.purpose}</td>
              <td>{d.retention}</td>
              <td>{status(d)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
