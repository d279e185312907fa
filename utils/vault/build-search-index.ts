/**
 * Builds the search index from an unlocked history by decrypting all of it, a
 * batch of records at a time so its context stays responsive. Slow on a large
 * history (seconds): search-persistence.ts does it once per vault and from
 * then on keeps the index sealed on disk, current with every write.
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
