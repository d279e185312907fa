import { ExtensionError } from '@/utils/errors';

/** The plain-language message of an error from the background; anything else gets a generic one. */
export function errorText(error: unknown): string {
  return error instanceof ExtensionError ? error.message : 'Something went wrong. Please try again.';
}
