/**
 * Typed accessors for the inventory's extension-storage keys. This is the only
 * module that touches extension storage directly; everything else goes through it.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { DiagnosticsReport } from './diagnostics-schema';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export const masterPasswordCreated = storage.defineItem<boolean>('local:master_password_created', {
  fallback: false,
  version: 1,
});

/** The per-subscription flag; `subscriptionHash` is the lowercase hex SHA-256 of the KRN. */
export function masterPasswordCreatedFor(subscriptionHash: string) {
  if (!SHA256_HEX.test(subscriptionHash)) throw new TypeError('expected a lowercase hex SHA-256');
  return storage.defineItem<boolean>(`local:master_password_created_${subscriptionHash}`, { fallback: false, version: 1 });
}

export interface ProcessedCodeEntry {
  state: 'in-flight' | 'done';
  expiresAt: number;
}

/** Keyed by SHA-256 hex of an authorization code; the code itself is never stored. */
export const processedCode = storage.defineItem<Record<string, ProcessedCodeEntry>>('session:processed_code', {
  fallback: {},
  version: 1,
});

/** Calls back on any change in extension storage (e.g. to show what is stored, live). Returns an unwatch function. */
export function watchAllStorage(callback: () => void): () => void {
  return onStorageChanged(() => callback());
}

function onStorageChanged(listener: (changes: Record<string, unknown>, area: string) => void): () => void {
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

/** Calls back with the names of the storage.session keys that just changed. Returns an unwatch function. */
export function watchSessionKeyNames(callback: (changed: string[]) => void): () => void {
  return onStorageChanged((changes, area) => {
    if (area === 'session') callback(Object.keys(changes));
  });
}

/**
 * Names of what storage.session holds now, without reading a value (a page opening asks which vaults are
 * unlocked without pulling their keys into its memory). `getKeys` is Chrome 130+ / Firefox 143+; older
 * browsers read the area and keep the names only.
 */
export async function sessionKeyNames(): Promise<string[]> {
  const area = browser.storage.session as typeof browser.storage.session & { getKeys?: () => Promise<string[]> };
  return area.getKeys ? area.getKeys() : Object.keys(await area.get(null));
}

/** Keys present now in extension storage, per area; values are not returned. */
export async function listStoredKeys(): Promise<{ local: string[]; session: string[] }> {
  const [local, session] = await Promise.all([storage.snapshot('local'), storage.snapshot('session')]);
  return { local: Object.keys(local), session: Object.keys(session) };
}

/** A sign-in attempt in flight: what a restarted background needs to finish or fail it. */
export interface PendingAuthFlow {
  state: string;
  codeVerifier: string;
  nonce: string;
  redirectUri: string;
  startedAt: number;
}
export const authFlow = storage.defineItem<PendingAuthFlow | null>('session:auth_flow', { fallback: null, version: 1 });

export interface AccessTokenRecord {
  accessToken: string;
  expiresAt: number;
  /** Increases with every refresh; a caller holding an older generation knows its token is stale. */
  generation: number;
}
export const authTokens = storage.defineItem<AccessTokenRecord | null>('session:auth_tokens', { fallback: null, version: 1 });

export type AuthState = 'signed-out' | 'signing-in' | 'signed-in' | 'ended' | 'error';
export interface AuthStatusRecord {
  state: AuthState;
  email?: string;
  /** SHA-256 hex of the signed-in subscription's KRN: which vault and history belong to this account. */
  subscriptionHash?: string;
  code?: string;
  message?: string;
  /** Bumped by every sign-out; a refresh that started in an older epoch is discarded. */
  epoch: number;
}
export const authStatus = storage.defineItem<AuthStatusRecord>('session:auth_status', {
  fallback: { state: 'signed-out', epoch: 0 },
  version: 1,
});

export interface SealedBox {
  iv: string;
  ciphertext: string;
}
export interface AuthSessionRecord {
  /** AES-GCM under the non-extractable device key: `{ refreshToken, email }`. */
  sealed: SealedBox;
  subscriptionHash: string;
  startedAt: number;
  expiresAt: number;
  generation: number;
}
export const authSession = storage.defineItem<AuthSessionRecord | null>('local:auth_session', { fallback: null, version: 1 });

// Master password vault (utils/vault). Per-subscription items are defined once per hash.
function perSubscription<T>(define: (subscriptionHash: string) => T): (subscriptionHash: string) => T {
  const items = new Map<string, T>();
  return (subscriptionHash) => {
    if (!SHA256_HEX.test(subscriptionHash)) throw new TypeError('expected a lowercase hex SHA-256');
    let item = items.get(subscriptionHash);
    if (!item) items.set(subscriptionHash, (item = define(subscriptionHash)));
    return item;
  };
}

/** The unwrapped history data key (base64), present only while that subscription's vault is unlocked. */
export const vaultSessionKeyFor = perSubscription((hash) =>
  storage.defineItem<string | null>(`session:vault_key_${hash}`, { fallback: null, version: 1 }),
);

export interface UnlockThrottleRecord {
  /** Wrong master passwords in a row. */
  failures: number;
  /** Epoch ms before which no new attempt is accepted. */
  nextAllowedAt: number;
}
export const unlockThrottleFor = perSubscription((hash) =>
  storage.defineItem<UnlockThrottleRecord>(`session:vault_unlock_throttle_${hash}`, {
    fallback: { failures: 0, nextAllowedAt: 0 },
    version: 1,
  }),
);

/** Keep history forever, keep none (chats live only in memory), or delete chats idle for this many days. */
export type HistoryRetention = 'forever' | 'none' | 1 | 7 | 30 | 90;
export const historyRetention = storage.defineItem<HistoryRetention>('local:history_retention', {
  fallback: 'forever',
  version: 1,
});

/** Minutes without any input before the vault locks itself; stored only when not the default. */
export const autoLockMinutes = storage.defineItem<number>('local:auto_lock_minutes', { fallback: 15, version: 1 });

/** New chats start as temporary (never written to disk); stored only while on. */
export const temporaryChatsDefault = storage.defineItem<boolean>('local:temporary_chats_default', { fallback: false, version: 1 });

// The chat (utils/chat-engine).
/** The model id the user picked; null until they pick one. */
export const chatModel = storage.defineItem<string | null>('local:chat_model', { fallback: null, version: 1 });

/** A custom OpenAI-compatible endpoint instead of the ExpressAI account; absent means the account. */
export interface ChatProviderRecord {
  baseUrl: string;
  /** The API key, AES-GCM under the history data key (base64). */
  apiKey?: SealedDraft;
}
export const chatProviderFor = perSubscription((hash) =>
  storage.defineItem<ChatProviderRecord | null>(`local:chat_provider_${hash}`, { fallback: null, version: 1 }),
);

/** The conversation last shown, per subscription: the popup reopens on it. */
export const chatCurrentFor = perSubscription((hash) =>
  storage.defineItem<string | null>(`session:chat_current_${hash}`, { fallback: null, version: 1 }),
);

/** One unsent draft, AES-GCM under the history data key (base64). */
export interface SealedDraft {
  iv: string;
  ct: string;
}
export const chatDraftsFor = perSubscription((hash) =>
  storage.defineItem<Record<string, SealedDraft>>(`session:chat_drafts_${hash}`, { fallback: {}, version: 1 }),
);

// Anonymous diagnostics (utils/diagnostics). Present only while they are switched on, except the 7-day sent log.
/** Written only while diagnostics are on; switching them off removes it. */
export const diagnosticsEnabled = storage.defineItem<boolean>('local:diagnostics_enabled', { fallback: false, version: 1 });

/** Counts for one UTC day, the raw material of the next report. */
export interface DiagnosticsCounters {
  /** The UTC day (`YYYY-MM-DD`) these counts belong to. */
  date: string;
  failures: DiagnosticsReport['failures'];
  firstTokenMs: DiagnosticsReport['firstTokenMs'];
  crashes: DiagnosticsReport['crashes'];
  transferredBytes: number;
}
export const diagnosticsCounters = storage.defineItem<DiagnosticsCounters | null>('local:diagnostics_counters', { fallback: null, version: 1 });

export interface DiagnosticsQueueRecord {
  /** Report bodies exactly as they will be posted, oldest first. */
  reports: string[];
  /** The UTC day of the last send attempt: at most one attempt a day. */
  lastAttemptDay: string | null;
}
export const diagnosticsQueue = storage.defineItem<DiagnosticsQueueRecord>('local:diagnostics_queue', {
  fallback: { reports: [], lastAttemptDay: null },
  version: 1,
});

export interface SentDiagnosticsReport {
  /** The UTC day it was sent. */
  sentOn: string;
  /** The body exactly as it was posted. */
  body: string;
}
export const diagnosticsSent = storage.defineItem<SentDiagnosticsReport[]>('local:diagnostics_sent', { fallback: [], version: 1 });

/** Empties every extension storage area (erase everything). IndexedDB is not extension storage: see utils/privacy. */
export async function clearAllExtensionStorage(): Promise<void> {
  await Promise.all([storage.clear('local'), storage.clear('session'), storage.clear('sync')]);
}
