import { useCallback, useLayoutEffect, useState } from 'preact/hooks';
import type { AuthStatusView } from '@/utils/auth/auth-status';
import { ExtensionError } from '@/utils/errors';
import { request } from '@/utils/messaging-client';
import { pageBoot } from '@/utils/page-boot';
import { authStatus } from '@/utils/storage-items';

export interface AuthController {
  /** Undefined until the background answered. */
  status: AuthStatusView | undefined;
  busy: boolean;
  signIn: () => Promise<void>;
  signOut: () => Promise<void>;
}

const REASK = new Set(['already_signed_in', 'auth_in_progress', 'no_receiver']);

function errorView(error: unknown): AuthStatusView {
  const e = error instanceof ExtensionError ? error : new ExtensionError('internal_error', 'Something went wrong. Please try again.');
  return { state: 'error', code: e.code, message: e.message };
}

/** The account state, live: every page shows the same state as soon as it changes. */
export function useAuthStatus(): AuthController {
  const [status, setStatus] = useState<AuthStatusView | undefined>();
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(() => request('auth.status', {}).then(setStatus, (e: unknown) => setStatus(errorView(e))), []);

  // A layout effect asks before the first paint rather than after it: the page opens a frame sooner.
  useLayoutEffect(() => {
    // The background's answer costs a round trip to its worker (which may have to start). The record it keeps
    // in storage.session is one read away: a signed-in one shows at once, and the answer confirms or corrects it.
    // The page's opening read (utils/page-boot.ts) already asked, together with the vault state.
    const stored = pageBoot()?.then((boot) => boot?.signedIn) ?? authStatus.getValue().then(({ epoch: _epoch, ...record }) => record);
    void stored.then(
      (record) => record?.state === 'signed-in' && setStatus((answered) => answered ?? record),
      () => undefined,
    );
    void refresh();
    // The background writes every change to auth_status; re-ask it rather than trusting the raw record.
    return authStatus.watch(() => void refresh());
  }, [refresh]);

  const run = useCallback(
    async (action: 'auth.signIn' | 'auth.signOut') => {
      setBusy(true);
      try {
        setStatus(await request(action, {}));
      } catch (error) {
        // "Already signed in" and "in progress" are not failures, and a background that was stopped
        // mid-request tells what became of it when asked again: show the real state.
        if (error instanceof ExtensionError && REASK.has(error.code)) await refresh();
        else setStatus(errorView(error));
      } finally {
        setBusy(false);
      }
    },
    [refresh],
  );

  return { status, busy, signIn: () => run('auth.signIn'), signOut: () => run('auth.signOut') };
}
