/**
 * The master-password vault and encrypted history, for pages and the
 * background. Everything here works per subscription, named by
 * `hashSubscription(krn)` from utils/subscription-hash.ts.
 */
export { createVault, unlock, lock, isUnlocked, vaultStatus, watchVaultStatus, getDataKey, MIN_PASSWORD_LENGTH } from './vault-session';
export type { VaultStatus, VaultClock } from './vault-session';
export { changeMasterPassword, PASSWORD_CHANGE_STEPS } from './password-change';
export type { PasswordChangeStep, PasswordChangeOptions } from './password-change';
export { resetVault } from './vault-reset';
export { unlockThrottleState, throttleDelay, FREE_ATTEMPTS } from './unlock-throttle';
export { deriveKey, normalizePassword, prepareKeyDerivation } from './kdf';
export { CURRENT_KDF_COST } from './kdf-params';
export type { KdfParams, KdfCost } from './kdf-params';
export { openHistory } from './history-store';
export { openChatHistory } from './chat-history';
export type { ChatHistory } from './chat-history';
export { createMemoryHistory } from './memory-history';
export type * from './history-types';
export { purgeExpired, retentionCutoff, RETENTION_CHOICES, DAY_MS } from './retention';
export { SearchIndex } from './search-index';
export type { SearchOptions } from './search-index';
export { buildSearchIndex } from './build-search-index';
export { openPersistentSearch, applyChange } from './search-persistence';
export type { PersistentSearch, SearchChange, SearchSources } from './search-persistence';
export type { BuiltSearchIndex } from './build-search-index';
