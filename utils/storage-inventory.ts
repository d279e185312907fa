/**
 * The storage inventory: every key the extension ever writes, declared once.
 * The Settings "what is stored" view, the README's storage table and the
 * end-to-end storage audit all read this list; nothing may be stored that is
 * not declared here.
 */
export type StorageArea = 'local' | 'session' | 'indexeddb';

export interface StorageDeclaration {
  /** The key as written; `{hash}` stands for a lowercase hex SHA-256. For IndexedDB, the database name. */
  key: string;
  area: StorageArea;
  /** The value's type, as a reader of the README should understand it. */
  type: string;
  /** What reading the key returns when it is absent. */
  fallback: string;
  /** Schema version; a bump comes with a migration in the item's definition. */
  version: number;
  purpose: string;
  retention: string;
  /** True when the value is sensitive: the Settings view never shows its value. */
  secret: boolean;
  /** True for the keys the service's cookie and storage policy names. */
  policy: boolean;
}

export const STORAGE_INVENTORY: readonly StorageDeclaration[] = [
  {
    key: 'master_password_created',
    area: 'local',
    type: 'boolean',
    fallback: 'false',
    version: 1,
    purpose: 'Records that a master password was set up, so you are not asked to create one again.',
    retention: 'Until you erase your data or remove the extension',
    secret: false,
    policy: true,
  },
  {
    key: 'master_password_created_{hash}',
    area: 'local',
    type: 'boolean',
    fallback: 'false',
    version: 1,
    purpose: 'The same flag per subscription. `{hash}` is the SHA-256 of the subscription id (KRN); the KRN itself is never stored.',
    retention: 'Until you erase your data or remove the extension',
    secret: false,
    policy: true,
  },
  {
    key: 'processed_code',
    area: 'session',
    type: 'map of SHA-256(code) → { state: "in-flight" | "done", expiresAt }',
    fallback: '{}',
    version: 1,
    purpose: 'Makes sure each sign-in code is exchanged for tokens only once. Holds hashes, never a code.',
    retention: 'Until the browser closes; each entry expires after 10 minutes',
    secret: false,
    policy: true,
  },
];

const HASH_PLACEHOLDER = '{hash}';
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function keyPattern(key: string): RegExp {
  const [head, ...rest] = key.split(HASH_PLACEHOLDER).map(escapeRegExp);
  // `$` suffix: @wxt-dev/storage keeps an item's schema version under `<key>$`.
  return new RegExp(`^${[head, ...rest].join('[0-9a-f]{64}')}\\$?$`);
}

const PATTERNS = STORAGE_INVENTORY.map((d) => ({ declaration: d, pattern: keyPattern(d.key) }));

/** The declaration a stored key belongs to, or undefined when nothing declares it. */
export function findDeclaration(area: StorageArea, storedKey: string): StorageDeclaration | undefined {
  return PATTERNS.find((p) => p.declaration.area === area && p.pattern.test(storedKey))?.declaration;
}
