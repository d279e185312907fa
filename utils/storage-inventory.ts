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
  {
    key: 'auth_flow',
    area: 'session',
    type: '{ state, codeVerifier, nonce, redirectUri, startedAt }',
    fallback: 'null',
    version: 1,
    purpose: 'The sign-in attempt in progress (PKCE verifier, state, nonce), so a restarted background can finish or cleanly fail it.',
    retention: 'Until sign-in completes or fails, at most 10 minutes; gone when the browser closes',
    secret: true,
    policy: false,
  },
  {
    key: 'auth_tokens',
    area: 'session',
    type: '{ accessToken, expiresAt, generation }',
    fallback: 'null',
    version: 1,
    purpose: 'The short-lived access token for the ExpressAI service. Kept in memory-backed session storage only.',
    retention: 'Until it is refreshed, you sign out, or the browser closes',
    secret: true,
    policy: false,
  },
  {
    key: 'auth_status',
    area: 'session',
    type: '{ state, email?, subscriptionHash?, code?, message?, epoch }',
    fallback: '{ state: "signed-out" }',
    version: 1,
    purpose: 'Whether you are signed in (and as which email), so every open page shows the same account state.',
    retention: 'Until the browser closes',
    secret: true,
    policy: false,
  },
  {
    key: 'auth_session',
    area: 'local',
    type: '{ sealed: AES-GCM(refresh token, email), subscriptionHash, startedAt, expiresAt, generation }',
    fallback: 'null',
    version: 1,
    purpose: 'Your 24-hour sign-in session, so a browser restart does not sign you out. The refresh token is encrypted with a key that cannot be exported.',
    retention: 'Until you sign out or 24 hours after sign-in, whichever comes first',
    secret: true,
    policy: false,
  },
  {
    key: 'expressai-keys',
    area: 'indexeddb',
    type: 'object store `keys`: one non-extractable AES-GCM CryptoKey',
    fallback: 'created on first sign-in',
    version: 1,
    purpose: 'The device key that encrypts the stored sign-in session. Non-extractable: its bytes cannot be read out, only used by the extension.',
    retention: 'Until you erase your data or remove the extension',
    secret: true,
    policy: false,
  },
  {
    key: 'expressai-history-{hash}',
    area: 'indexeddb',
    type: 'stores `meta` (vault record: Argon2id parameters, salt, wrapped data key), `conversations` and `messages` (AES-GCM records; only ids, a minute-rounded time and message order in clear), `search` and `searchLog` (the search index: one AES-GCM snapshot and AES-GCM change records; nothing in clear but their keys)',
    fallback: 'created with the master password',
    version: 2,
    purpose: 'Your chat history for one subscription, encrypted with a key only your master password unlocks. `{hash}` is the SHA-256 of the subscription id.',
    retention: 'Until you delete it, it expires under your history setting, you reset the master password, or you remove the extension',
    secret: true,
    policy: false,
  },
  {
    key: 'vault_key_{hash}',
    area: 'session',
    type: 'string (base64 of the 256-bit history data key)',
    fallback: 'null (locked)',
    version: 1,
    purpose: 'The unlocked history key, so the side panel and popup can read your history without asking again. Never written to disk.',
    retention: 'Until you lock, the vault locks itself, or the browser closes',
    secret: true,
    policy: false,
  },
  {
    key: 'vault_unlock_throttle_{hash}',
    area: 'session',
    type: '{ failures, nextAllowedAt }',
    fallback: '{ failures: 0, nextAllowedAt: 0 }',
    version: 1,
    purpose: 'Counts wrong master passwords in a row, so repeated guesses must wait longer and longer.',
    retention: 'Until the next correct password or the browser closes',
    secret: false,
    policy: false,
  },
  {
    key: 'history_retention',
    area: 'local',
    type: '"forever" | "none" | 1 | 7 | 30 | 90 (days)',
    fallback: '"forever"',
    version: 1,
    purpose: 'How long chat history is kept: forever, not at all (chats stay in memory only), or deleted after that many idle days.',
    retention: 'Until you erase your data or remove the extension',
    secret: false,
    policy: false,
  },
  {
    key: 'auto_lock_minutes',
    area: 'local',
    type: 'number of minutes: 1, 5, 30, 60 or 240 (absent: 15)',
    fallback: '15',
    version: 1,
    purpose: 'How long the computer may go without input before your history locks itself (Settings → Security).',
    retention: 'Until you set it back to 15 minutes, erase your data or remove the extension',
    secret: false,
    policy: false,
  },
  {
    key: 'temporary_chats_default',
    area: 'local',
    type: 'true (absent when off)',
    fallback: 'false',
    version: 1,
    purpose: 'Records that you want new chats to be temporary (kept in memory only, never saved) unless you choose otherwise.',
    retention: 'Until you switch it off, erase your data or remove the extension',
    secret: false,
    policy: false,
  },
  {
    key: 'chat_model',
    area: 'local',
    type: 'string (a model id, e.g. "expressai-dev")',
    fallback: 'null (the first model the service lists)',
    version: 1,
    purpose: 'The model you picked, so the next chat uses it again.',
    retention: 'Until you erase your data or remove the extension',
    secret: false,
    policy: false,
  },
  {
    key: 'chat_provider_{hash}',
    area: 'local',
    type: '{ baseUrl, apiKey?: { iv, ct } (AES-GCM under the history key) } (absent: the ExpressAI account)',
    fallback: 'null (the ExpressAI account)',
    version: 1,
    purpose: 'The custom OpenAI-compatible endpoint you chose instead of your ExpressAI account, and its API key, encrypted with your history key.',
    retention: 'Until you switch back to the ExpressAI account, erase your data or remove the extension',
    secret: true,
    policy: false,
  },
  {
    key: 'chat_current_{hash}',
    area: 'session',
    type: 'string (a random conversation id)',
    fallback: 'null (a new chat)',
    version: 1,
    purpose: 'Which conversation the popup shows when it opens again, so closing it mid-answer loses nothing.',
    retention: 'Until the browser closes',
    secret: false,
    policy: false,
  },
  {
    key: 'chat_drafts_{hash}',
    area: 'session',
    type: 'map of conversation id → { iv, ct } (AES-GCM under the history key)',
    fallback: '{}',
    version: 1,
    purpose: 'What you typed but did not send yet, per conversation, so it survives the popup closing. Encrypted with your history key.',
    retention: 'Until you send it or clear it, or the browser closes',
    secret: true,
    policy: false,
  },
  {
    key: 'diagnostics_enabled',
    area: 'local',
    type: 'true (absent when off)',
    fallback: 'false',
    version: 1,
    purpose: 'Records that you switched on anonymous diagnostics. They are off unless you do.',
    retention: 'Until you switch diagnostics off, erase your data or remove the extension',
    secret: false,
    policy: false,
  },
  {
    key: 'diagnostics_counters',
    area: 'local',
    type: '{ date (UTC day), failures by kind, first-answer time buckets, crash names and bundle frames, bytes transferred }',
    fallback: 'null',
    version: 1,
    purpose: 'The counts for the next anonymous diagnostics report. Only written while diagnostics are on; holds no prompt, answer, address, account or id.',
    retention: 'Until the day\'s report is built (at most a day), or you switch diagnostics off',
    secret: false,
    policy: false,
  },
  {
    key: 'diagnostics_queue',
    area: 'local',
    type: '{ reports: report JSON[] (at most 7), lastAttemptDay }',
    fallback: '{ reports: [], lastAttemptDay: null }',
    version: 1,
    purpose: 'Reports waiting to be sent (a failed send is tried again the next day), and the day of the last attempt, so reports go out at most once a day.',
    retention: 'Until sent; at most 7 reports; discarded when you switch diagnostics off',
    secret: false,
    policy: false,
  },
  {
    key: 'diagnostics_sent',
    area: 'local',
    type: '{ sentOn (UTC day), body (the report JSON as sent) }[]',
    fallback: '[]',
    version: 1,
    purpose: 'The diagnostics reports sent in the last 7 days, exactly as sent, so you can check them in Settings.',
    retention: '7 days, or until you clear them or erase your data',
    secret: false,
    policy: false,
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
