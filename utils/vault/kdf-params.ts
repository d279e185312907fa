/**
 * Argon2id parameters, stored with every key slot so the cost can be raised
 * later while vaults made with older parameters still open with their own.
 */
import { randomBytes } from './bytes';
import { vaultUnsupported } from './vault-errors';

/** Argon2 version 1.3 (0x13), the only one RFC 9106 specifies. */
export const ARGON2_VERSION = 0x13;

export interface KdfParams {
  algorithm: 'argon2id';
  argon2Version: typeof ARGON2_VERSION;
  /** Memory cost in KiB. */
  memoryKiB: number;
  iterations: number;
  parallelism: number;
  salt: Uint8Array;
}

export type KdfCost = Pick<KdfParams, 'memoryKiB' | 'iterations' | 'parallelism'>;

/**
 * Today's cost: Bitwarden's Argon2id default (64 MiB, t = 3, p = 4), the
 * floor the performance budget set. Raise it here; old vaults keep theirs.
 * @see https://www.rfc-editor.org/rfc/rfc9106#section-4
 */
export const CURRENT_KDF_COST: Readonly<KdfCost> = { memoryKiB: 65_536, iterations: 3, parallelism: 4 };

export const SALT_BYTES = 16;

// Bounds a stored record must respect: a tampered record must not be able to
// make us allocate gigabytes or spin for minutes before failing.
const LIMITS = {
  memoryKiB: [8, 1_048_576],
  iterations: [1, 64],
  parallelism: [1, 16],
  salt: [8, 64],
} as const;

/** Fresh parameters (with a new random salt) at the given cost. */
export function newKdfParams(cost: KdfCost = CURRENT_KDF_COST): KdfParams {
  const params: KdfParams = { algorithm: 'argon2id', argon2Version: ARGON2_VERSION, ...cost, salt: randomBytes(SALT_BYTES) };
  assertKdfParams(params);
  return params;
}

const inRange = (n: unknown, [lo, hi]: readonly [number, number]) => Number.isInteger(n) && (n as number) >= lo && (n as number) <= hi;

/** Throws `vault_unsupported` unless these are parameters this build can run. */
export function assertKdfParams(params: KdfParams): void {
  if (params.algorithm !== 'argon2id') throw vaultUnsupported('unknown key derivation');
  if (params.argon2Version !== ARGON2_VERSION) throw vaultUnsupported('unknown Argon2 version');
  const sane =
    inRange(params.memoryKiB, LIMITS.memoryKiB) &&
    inRange(params.iterations, LIMITS.iterations) &&
    inRange(params.parallelism, LIMITS.parallelism) &&
    params.memoryKiB >= 8 * params.parallelism &&
    params.salt instanceof Uint8Array &&
    inRange(params.salt.length, LIMITS.salt);
  if (!sane) throw vaultUnsupported('key derivation parameters out of range');
}
