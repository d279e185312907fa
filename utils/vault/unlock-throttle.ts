/**
 * Growing delays after repeated wrong master passwords. The count lives in
 * storage.session, so restarting the background does not reset it (closing
 * the browser does; an attacker with the files is not slowed by this anyway,
 * Argon2id's cost is what stops offline guessing).
 */
import { unlockThrottleFor, type UnlockThrottleRecord } from '../storage-items';
import { unlockThrottled } from './vault-errors';

/** Wrong passwords in a row that cost nothing but the KDF's own time. */
export const FREE_ATTEMPTS = 5;
const BASE_DELAY_MS = 30_000;
const MAX_DELAY_MS = 15 * 60_000;

/** Wait imposed after `failures` wrong passwords in a row: 0, then 30 s doubling up to 15 min. */
export function throttleDelay(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(BASE_DELAY_MS * 2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_MS);
}

/** The current count and the time the next attempt is allowed (for the UI). */
export function unlockThrottleState(subscriptionHash: string): Promise<UnlockThrottleRecord> {
  return unlockThrottleFor(subscriptionHash).getValue();
}

/** Throws `unlock_throttled` while a delay is running. */
export async function assertUnlockAllowed(subscriptionHash: string, now: number): Promise<void> {
  assertAllowedBy(await unlockThrottleState(subscriptionHash), now);
}

/** {@link assertUnlockAllowed} for a state already read. */
export function assertAllowedBy({ nextAllowedAt }: UnlockThrottleRecord, now: number): void {
  if (now < nextAllowedAt) throw unlockThrottled(nextAllowedAt, now);
}

export async function recordUnlockFailure(subscriptionHash: string, now: number): Promise<UnlockThrottleRecord> {
  const item = unlockThrottleFor(subscriptionHash);
  const failures = (await item.getValue()).failures + 1;
  const record = { failures, nextAllowedAt: now + throttleDelay(failures) };
  await item.setValue(record);
  return record;
}

export function clearUnlockFailures(subscriptionHash: string): Promise<void> {
  return unlockThrottleFor(subscriptionHash).removeValue();
}
