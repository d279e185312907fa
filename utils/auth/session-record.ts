/** The 24-hour sign-in session on disk: written in one storage write per change. */
import { authSession, authTokens, type AccessTokenRecord, type AuthSessionRecord } from '../storage-items';
import { seal, unseal } from './session-seal';

/** The part of the session that is encrypted at rest. */
export interface SealedSession {
  refreshToken: string;
  email: string;
}

/** The longest a session may last, from sign-in; refresh never extends it. */
export const SESSION_MAX_MS = 24 * 60 * 60 * 1000;

export async function openSession(record: AuthSessionRecord): Promise<SealedSession> {
  return unseal<SealedSession>(record.sealed);
}

/** Writes the rotated refresh token and the new generation in one atomic write. */
export async function writeSession(base: Omit<AuthSessionRecord, 'sealed'>, secret: SealedSession): Promise<AuthSessionRecord> {
  const record: AuthSessionRecord = { ...base, sealed: await seal(secret) };
  await authSession.setValue(record);
  return record;
}

export function accessTokenRecord(accessToken: string, expiresInSeconds: number | undefined, generation: number, now: number): AccessTokenRecord {
  // Without expires_in, assume a short life: a 401 will trigger a refresh anyway.
  const lifetime = (expiresInSeconds ?? 60) * 1000;
  return { accessToken, expiresAt: now + lifetime, generation };
}

/** Forgets every token (memory-backed and on disk). */
export async function clearTokens(): Promise<void> {
  await Promise.all([authSession.removeValue(), authTokens.removeValue()]);
}
