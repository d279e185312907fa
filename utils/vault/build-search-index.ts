/**
 * Builds the in-memory search index from an unlocked history, a batch of
 * records at a time so the page stays responsive on large histories. Keep it
 * current afterwards by calling `addConversation` / `addMessage` /
 * `removeConversation` alongside the store, and drop it on lock.
 */
import type { DamagedRecord, HistoryStore } from './history-types';
import { SearchIndex } from './search-index';

export interface BuiltSearchIndex {
  index: SearchIndex;
  /** Records that could not be decrypted, hence are not searchable. */
  damaged: DamagedRecord[];
}

export async function buildSearchIndex(store: Pick<HistoryStore, 'scanAll'>, options: { batchSize?: number } = {}): Promise<BuiltSearchIndex> {
  const index = new SearchIndex();
  const damaged = await store.scanAll(({ conversations, messages }) => {
    for (const conversation of conversations) index.addConversation(conversation);
    for (const message of messages) index.addMessage(message);
  }, options);
  return { index, damaged };
}
