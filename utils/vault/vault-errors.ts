/**
 * The vault's user-facing errors, worded once. Messages are plain language and
 * never carry the password, a key, or anything from the history.
 */
import { ExtensionError } from '../errors';

export const wrongPassword = () =>
  new ExtensionError('wrong_password', 'That master password is not correct. Nothing was changed.');

export function unlockThrottled(retryAt: number, now: number): ExtensionError {
  const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
  return new ExtensionError('unlock_throttled', `Too many wrong attempts. Try again in ${seconds} seconds.`);
}

export const weakPassword = (minLength: number) =>
  new ExtensionError('weak_password', `The master password needs at least ${minLength} characters.`);

export const vaultLocked = () => new ExtensionError('vault_locked', 'Your history is locked. Enter your master password.');

export const vaultNotFound = () =>
  new ExtensionError('vault_not_found', 'No master password has been set up for this account yet.');

export const vaultExists = () =>
  new ExtensionError('vault_exists', 'A master password already exists for this account.');

export const vaultUnsupported = (what: string) =>
  new ExtensionError('vault_unsupported', `Your history was saved in a format this version cannot open (${what}).`);

export const vaultDamaged = () =>
  new ExtensionError('vault_damaged', 'The stored master password record is damaged and cannot be opened.');

export const vaultBusy = () =>
  new ExtensionError('vault_busy', 'The master password was changed somewhere else at the same time. Please try again.');

export const passwordNotSaved = () =>
  new ExtensionError('vault_damaged', 'The new master password could not be saved. Your old master password still works.');
