/**
 * Unsent drafts, per conversation, in storage.session: they survive the popup
 * closing but not the browser. A draft is something the user wrote, so it is
 * sealed with the history key (AES-GCM, the conversation id as additional
 * data) like the history itself, never kept readable.
 */
import { chatDraftsFor } from '../storage-items';
import { getDataKey } from '../vault';
import { fromBase64, toBase64 } from '../vault/bytes';
import { openRecord, recordAad, sealRecord } from '../vault/record-cipher';
import * as v from 'valibot';

/** At most this many drafts are kept; the oldest go first. */
const MAX_DRAFTS = 50;
const aad = (conversationId: string) => recordAad('chat-draft', conversationId);

/** One writer at a time per subscription, so a late write never undoes a newer one. */
const queues = new Map<string, Promise<unknown>>();
function serialized<T>(hash: string, task: () => Promise<T>): Promise<T> {
  const run = (queues.get(hash) ?? Promise.resolve()).catch(() => undefined).then(task);
  queues.set(hash, run.catch(() => undefined));
  return run;
}

/** Keeps `text` as the conversation's draft; an empty or blank text removes it. Throws `vault_locked` while locked. */
export function saveDraft(hash: string, conversationId: string, text: string): Promise<void> {
  return serialized(hash, async () => {
    const item = chatDraftsFor(hash);
    const drafts = { ...(await item.getValue()) };
    delete drafts[conversationId];
    if (text.trim() !== '') {
      const sealed = await sealRecord(await getDataKey(hash), aad(conversationId), text);
      drafts[conversationId] = { iv: toBase64(sealed.iv), ct: toBase64(sealed.ct) };
    }
    const ids = Object.keys(drafts);
    for (const id of ids.slice(0, Math.max(0, ids.length - MAX_DRAFTS))) delete drafts[id];
    if (Object.keys(drafts).length === 0) await item.removeValue();
    else await item.setValue(drafts);
  });
}

/** The conversation's draft, or '' when there is none or it cannot be opened. */
export async function loadDraft(hash: string, conversationId: string): Promise<string> {
  const sealed = (await chatDraftsFor(hash).getValue())[conversationId];
  if (!sealed) return '';
  try {
    const text = await openRecord(await getDataKey(hash), aad(conversationId), { iv: fromBase64(sealed.iv), ct: fromBase64(sealed.ct) }, v.string());
    return text ?? '';
  } catch {
    return '';
  }
}
