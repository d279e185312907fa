import { ExtensionError } from '@/utils/errors';

/** The words the vault screens use for an error; the library's own message for anything not reworded here. */
export function vaultErrorText(error: unknown): string {
  if (!(error instanceof ExtensionError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'wrong_password':
      return 'Wrong master password.';
    default:
      return error.message;
  }
}

/** "30 seconds", "1 second", "3 minutes": how long until the next attempt. */
export function waitText(seconds: number): string {
  if (seconds < 120) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
