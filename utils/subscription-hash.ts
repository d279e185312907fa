import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * The subscription key used in storage names: lowercase hex SHA-256 of the KRN.
 * The KRN itself is never stored; only this one-way hash is.
 */
export function hashSubscription(krn: string): string {
  if (!krn) throw new TypeError('empty KRN');
  return bytesToHex(sha256(utf8ToBytes(krn)));
}
