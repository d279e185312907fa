/**
 * The storage audit: everything the extension stored must be declared in
 * `utils/storage-inventory.ts`. Every e2e scenario ends with
 * {@link expectStorageAuditPasses}.
 */
import { findDeclaration } from '../../../utils/storage-inventory';
import type { ExtensionSession } from './session';
import type { StorageDump } from './storage-dump';

/** Areas as the audit names them; only `local`, `session` and `indexedDB` can hold declared items today. */
export type AuditArea = 'storage.local' | 'storage.session' | 'storage.sync' | 'localStorage' | 'sessionStorage' | 'indexedDB' | 'cacheStorage' | 'opfs';

export interface AuditFinding {
  area: AuditArea | 'unreadable';
  /** The stored key (IndexedDB: the database name; Cache Storage: the cache name; OPFS: the path). */
  key: string;
  /** For sessionStorage: the page whose tab holds it. For unreadable areas: why. */
  detail?: string;
}

/** Every undeclared item in the dump, plus every area that could not be read (an unread area proves nothing). */
export function findUndeclared(dump: StorageDump): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const key of Object.keys(dump.local)) if (!findDeclaration('local', key)) findings.push({ area: 'storage.local', key });
  for (const key of Object.keys(dump.session)) if (!findDeclaration('session', key)) findings.push({ area: 'storage.session', key });
  for (const db of dump.indexedDB) if (!findDeclaration('indexeddb', db.name)) findings.push({ area: 'indexedDB', key: db.name });
  // Nothing is declared for these areas yet, so anything in them is undeclared.
  for (const key of Object.keys(dump.sync)) findings.push({ area: 'storage.sync', key });
  for (const key of Object.keys(dump.localStorage)) findings.push({ area: 'localStorage', key });
  for (const [page, items] of Object.entries(dump.sessionStorage)) {
    for (const key of Object.keys(items)) findings.push({ area: 'sessionStorage', key, detail: page });
  }
  for (const name of Object.keys(dump.cacheStorage)) findings.push({ area: 'cacheStorage', key: name });
  for (const path of dump.opfs) findings.push({ area: 'opfs', key: path });
  for (const { area, message } of dump.unreadable) findings.push({ area: 'unreadable', key: area, detail: message });
  return findings;
}

/** One line per finding. Values are never printed: they may be tokens. */
export function describeFindings(findings: readonly AuditFinding[]): string {
  return findings
    .map((f) =>
      f.area === 'unreadable'
        ? `  - could not read ${f.key}: ${f.detail ?? ''}`
        : `  - ${f.area} ${JSON.stringify(f.key)}${f.detail ? ` (tab ${f.detail})` : ''}`,
    )
    .join('\n');
}

/** Dumps the session's storage and throws a readable list when anything in it is undeclared. */
export async function expectStorageAuditPasses(session: ExtensionSession): Promise<void> {
  const findings = findUndeclared(await session.dumpStorage());
  if (findings.length === 0) return;
  throw new Error(
    `Storage audit failed in ${session.name}: ${findings.length} item(s) not declared in utils/storage-inventory.ts\n${describeFindings(findings)}`,
  );
}
