/** The account state every page shows, kept in `auth_status` (session storage) and derived on a fresh start. */
import { authSession, authStatus, type AuthState, type AuthStatusRecord } from '../storage-items';
import { unseal } from './session-seal';
import type { SealedSession } from './session-record';

/** What pages are told: never a token, only state, email and a message to show. */
export interface AuthStatusView {
  state: AuthState;
  email?: string;
  subscriptionHash?: string;
  code?: string;
  message?: string;
}

export async function readStatus(now = Date.now()): Promise<AuthStatusRecord> {
  const status = await authStatus.getValue();
  // After a browser restart session storage is empty (epoch 0), but the 24-hour session may still be
  // on disk. Any explicit sign-out bumped the epoch, so it is never undone by this rule, even while
  // the sign-out is still clearing the session.
  if (status.state !== 'signed-out' || status.code || status.epoch !== 0) return status;
  const session = await authSession.getValue();
  if (!session || session.expiresAt <= now) return status;
  try {
    const { email } = await unseal<SealedSession>(session.sealed);
    const restored: AuthStatusRecord = { state: 'signed-in', email, subscriptionHash: session.subscriptionHash, epoch: status.epoch };
    await authStatus.setValue(restored);
    return restored;
  } catch {
    return status;
  }
}

export async function setStatus(state: AuthState, extra: Omit<AuthStatusRecord, 'state' | 'epoch'> = {}): Promise<AuthStatusRecord> {
  const { epoch } = await authStatus.getValue();
  const next: AuthStatusRecord = { state, epoch, ...extra };
  await authStatus.setValue(next);
  return next;
}

export function toView(status: AuthStatusRecord): AuthStatusView {
  const { epoch: _epoch, ...view } = status;
  return view;
}
