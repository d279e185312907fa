/**
 * The vault record: the wrapped data key plus everything needed to unwrap it
 * (KDF algorithm, parameters, salt), under a format version. It is the truth
 * about whether a subscription has a master password.
 *
 * A record holds a `current` key slot and, only while a password change is
 * under way, a `pending` one: both wrap the same data key, so whichever
 * password the user remembers after a crash opens the vault.
 */
import * as v from 'valibot';
import { openHistoryDb, historyDbExists, VAULT_RECORD_KEY as RECORD_KEY } from './history-db';
import { toBase64, utf8 } from './bytes';
import { MIN_PASSWORD_BYTES } from './argon2';
import { deriveKey, normalizePassword } from './kdf';
import type { KdfParams } from './kdf-params';
import { unwrapDataKey, wrapDataKey, type WrappedKey } from './key-wrap';
import { vaultDamaged, vaultExists, vaultNotFound, vaultUnsupported, wrongPassword } from './vault-errors';
import { ExtensionError } from '../errors';

export const VAULT_FORMAT = 1;

export interface KeySlot extends WrappedKey {
  kdf: KdfParams;
}

export interface VaultRecord {
  format: typeof VAULT_FORMAT;
  createdAt: number;
  current: KeySlot;
  pending?: KeySlot;
}

const Bytes = v.instance(Uint8Array);
const SlotSchema = v.object({
  kdf: v.object({
    algorithm: v.string(),
    argon2Version: v.number(),
    memoryKiB: v.number(),
    iterations: v.number(),
    parallelism: v.number(),
    salt: Bytes,
  }),
  iv: Bytes,
  wrappedKey: Bytes,
});
const RecordSchema = v.object({
  format: v.literal(VAULT_FORMAT),
  createdAt: v.number(),
  current: SlotSchema,
  pending: v.optional(SlotSchema),
});

/** Validates a stored record; the KDF parameters themselves are checked when used. */
export function parseVaultRecord(raw: unknown): VaultRecord {
  const format = (raw as { format?: unknown } | null)?.format;
  if (typeof format === 'number' && format > VAULT_FORMAT) throw vaultUnsupported(`vault format ${format}`);
  const parsed = v.safeParse(RecordSchema, raw);
  if (!parsed.success) throw vaultDamaged();
  // Unknown algorithm names pass here and fail in assertKdfParams with `vault_unsupported`.
  return parsed.output as VaultRecord;
}

/** Binds a wrapped key to its subscription and KDF parameters: editing either makes it fail to open. */
function slotAad(subscriptionHash: string, kdf: KdfParams): Uint8Array {
  const { algorithm, argon2Version, memoryKiB, iterations, parallelism, salt } = kdf;
  return utf8(['expressai-vault', VAULT_FORMAT, subscriptionHash, algorithm, argon2Version, memoryKiB, iterations, parallelism, toBase64(salt)].join('\u0000'));
}

export async function sealSlot(subscriptionHash: string, dataKey: Uint8Array, kek: Uint8Array, kdf: KdfParams): Promise<KeySlot> {
  return { kdf, ...(await wrapDataKey(dataKey, kek, slotAad(subscriptionHash, kdf))) };
}

export function openSlotWithKek(subscriptionHash: string, slot: KeySlot, kek: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return unwrapDataKey(slot, kek, slotAad(subscriptionHash, slot.kdf));
}

export interface OpenedVault {
  dataKey: Uint8Array<ArrayBuffer>;
  via: 'current' | 'pending';
}

/** Tries the current slot, then a pending one; throws `wrong_password` when neither opens. */
export async function openVault(subscriptionHash: string, record: VaultRecord, password: string): Promise<OpenedVault> {
  const bytes = normalizePassword(password);
  const tooShort = bytes.length < MIN_PASSWORD_BYTES;
  bytes.fill(0);
  if (tooShort) throw wrongPassword();
  const slots = [['current', record.current], ['pending', record.pending]] as const;
  for (const [via, slot] of slots) {
    if (!slot) continue;
    const kek = await deriveKey(password, slot.kdf);
    try {
      return { dataKey: await openSlotWithKek(subscriptionHash, slot, kek), via };
    } catch (error) {
      if (!(error instanceof ExtensionError && error.code === 'wrong_password')) throw error;
    } finally {
      kek.fill(0);
    }
  }
  throw wrongPassword();
}

/** The stored record, or undefined when this subscription has none. Never creates the database. */
export async function readVaultRecord(subscriptionHash: string): Promise<VaultRecord | undefined> {
  if (!(await historyDbExists(subscriptionHash))) return undefined;
  const raw = await (await openHistoryDb(subscriptionHash)).get('meta', RECORD_KEY);
  return raw === undefined ? undefined : parseVaultRecord(raw);
}

/**
 * Stores a new vault in one transaction that also empties any history left
 * behind without a vault (it could never be decrypted). Throws `vault_exists`.
 */
export async function insertVaultRecord(subscriptionHash: string, record: VaultRecord): Promise<void> {
  const db = await openHistoryDb(subscriptionHash);
  const tx = db.transaction(['meta', 'conversations', 'messages'], 'readwrite');
  if ((await tx.objectStore('meta').count(RECORD_KEY)) > 0) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw vaultExists();
  }
  await Promise.all([tx.objectStore('conversations').clear(), tx.objectStore('messages').clear()]);
  await tx.objectStore('meta').put(record, RECORD_KEY);
  await tx.done;
}

/**
 * Atomically replaces the record with what `mutate` returns for the stored
 * one (it must be synchronous: the transaction cannot outlive an await).
 * A throw from `mutate` aborts, leaving the stored record untouched.
 */
export async function updateVaultRecord(subscriptionHash: string, mutate: (stored: VaultRecord) => VaultRecord): Promise<VaultRecord> {
  const db = await openHistoryDb(subscriptionHash);
  const tx = db.transaction('meta', 'readwrite');
  try {
    const raw = await tx.store.get(RECORD_KEY);
    if (raw === undefined) throw vaultNotFound();
    const next = mutate(parseVaultRecord(raw));
    await tx.store.put(next, RECORD_KEY);
    await tx.done;
    return next;
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // Already finished or aborted.
    }
    await tx.done.catch(() => undefined);
    throw error;
  }
}

/** True when two slots are the same stored value (compared by their unique random IV and ciphertext). */
export function sameSlot(a: KeySlot | undefined, b: KeySlot | undefined): boolean {
  if (!a || !b) return a === b;
  return toBase64(a.iv) === toBase64(b.iv) && toBase64(a.wrappedKey) === toBase64(b.wrappedKey);
}
