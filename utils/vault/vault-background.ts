/** The vault's part of the background: auto-lock and the history retention schedule. */
import { registerAutoLock } from './auto-lock';
import { registerRetentionSchedule } from './retention-schedule';

/** Call synchronously at the top of the background, so the browser wakes it for these events. */
export function registerVaultBackground(): void {
  registerAutoLock();
  registerRetentionSchedule();
}
