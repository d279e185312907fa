/**
 * Auto-delete: conversations idle longer than the chosen number of days are
 * removed, with their messages. Works while the vault is locked (it reads only
 * the clear, minute-rounded sort time), so an alarm can run it at any time.
 */
import { historyRetention, type HistoryRetention } from '../storage-items';
import { historyDbExists, listHistoryHashes, openHistoryDb } from './history-db';
import { messagesOf } from './history-store';

export const DAY_MS = 86_400_000;
export const RETENTION_CHOICES: readonly HistoryRetention[] = ['forever', 1, 7, 30, 90, 'none'];

/** Conversations last active before this time are expired; null keeps everything. */
export function retentionCutoff(retention: HistoryRetention, now: number): number | null {
  if (retention === 'forever') return null;
  // "Keep no history": whatever was stored before the switch goes too.
  if (retention === 'none') return Number.POSITIVE_INFINITY;
  return now - retention * DAY_MS;
}

async function purgeOne(subscriptionHash: string, cutoff: number): Promise<number> {
  const db = await openHistoryDb(subscriptionHash);
  const tx = db.transaction(['conversations', 'messages'], 'readwrite');
  const conversations = tx.objectStore('conversations');
  const messages = tx.objectStore('messages');
  // [cutoff] sorts before every [cutoff, id]: the bound keeps exactly sortTime < cutoff.
  const expired = await conversations.index('bySortTime').getAllKeys(IDBKeyRange.upperBound([cutoff], true));
  await Promise.all(
    expired.map(async (id) => {
      const messageIds = await messages.index('byConversation').getAllKeys(messagesOf(id));
      await Promise.all([conversations.delete(id), ...messageIds.map((messageId) => messages.delete(messageId))]);
    }),
  );
  await tx.done;
  return expired.length;
}

/**
 * Applies the retention setting to the given subscriptions' histories (by
 * default every one on this device) and returns how many conversations were
 * deleted. Never creates a database.
 */
export async function purgeExpired(now: number, subscriptionHashes?: readonly string[]): Promise<number> {
  const cutoff = retentionCutoff(await historyRetention.getValue(), now);
  if (cutoff === null) return 0;
  const hashes = subscriptionHashes ?? (await listHistoryHashes());
  let deleted = 0;
  for (const hash of hashes) {
    if (await historyDbExists(hash)) deleted += await purgeOne(hash, cutoff);
  }
  return deleted;
}
