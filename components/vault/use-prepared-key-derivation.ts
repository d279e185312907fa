import { useEffect } from 'preact/hooks';
import { prepareKeyDerivation } from '@/utils/vault';

/**
 * Starts the key-derivation worker while a password form is shown, so the
 * derivation starts at once on submit. Pass a number that changes after each
 * attempt that used the worker up, to start another for the next one.
 */
export function usePreparedKeyDerivation(attempt = 0): void {
  useEffect(() => prepareKeyDerivation(), [attempt]);
}
