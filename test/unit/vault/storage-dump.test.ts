import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { vaultSessionKeyFor } from '@/utils/storage-items';
import { fromBase64 } from '@/utils/vault/bytes';
import { buildSearchIndex } from '@/utils/vault/build-search-index';
import { openHistory } from '@/utils/vault/history-store';
import { changeMasterPassword } from '@/utils/vault/password-change';
import { createVault, lock, unlock } from '@/utils/vault/vault-session';
import { dumpIndexedDb, dumpStorage, randomHash, SMALL } from './vault-test-kit';

beforeEach(() => {
  fakeBrowser.reset();
});

const CANARY_TITLE = 'Zebracanary title 7f3a';
const CANARY_TEXT = 'the canary sings quetzalcoatl-91b2 at dawn';
const PASSWORD = 'Pässwörd canary-pw 0x5e';
const NEW_PASSWORD = 'another canary-pw2 0x6f';

/** Every form a secret could take on disk: text, UTF-8 hex, NFKC/NFD variants, base64. */
function forms(secret: string): string[] {
  const variants = [secret, secret.normalize('NFKC'), secret.normalize('NFD')];
  return [...variants, ...variants.map((s) => bytesToHex(utf8ToBytes(s))), Buffer.from(secret).toString('base64')];
}

describe('what lands on disk', () => {
  it('holds no plaintext, no data key and no password anywhere in IndexedDB or extension storage', async () => {
    const hash = randomHash();
    await createVault(hash, PASSWORD, { cost: SMALL });
    const history = openHistory(hash);
    await history.saveConversation({ id: 'c1', title: CANARY_TITLE, createdAt: 1, updatedAt: 2 });
    await history.addMessage({ conversationId: 'c1', role: 'user', content: CANARY_TEXT, createdAt: 3 });
    await history.addMessage({ conversationId: 'c1', role: 'assistant', content: `Echo: ${CANARY_TEXT}`, createdAt: 4 });
    const { index } = await buildSearchIndex(history);
    expect(index.search('quetzal')).toEqual(['c1']);
    await changeMasterPassword(hash, PASSWORD, NEW_PASSWORD, { cost: SMALL });

    const encodedKey = (await vaultSessionKeyFor(hash).getValue())!;
    const dataKey = fromBase64(encodedKey);
    const forbidden = [
      ...forms(CANARY_TITLE),
      ...forms(CANARY_TEXT),
      'quetzalcoatl',
      'zebracanary',
      ...forms(PASSWORD),
      ...forms(NEW_PASSWORD),
      bytesToHex(dataKey),
      bytesToHex(dataKey.subarray(0, 8)),
      encodedKey,
    ];

    // Unlocked: the key may be in storage.session (memory-backed), nowhere else.
    const unlockedDisk = (await dumpIndexedDb()) + (await dumpStorage(['local']));
    // Locked: nothing anywhere, session included.
    await lock(hash);
    await unlock(hash, 'a wrong guess').catch(() => undefined);
    const lockedAll = (await dumpIndexedDb()) + (await dumpStorage(['local', 'session']));

    for (const dump of [unlockedDisk, lockedAll]) {
      for (const secret of forbidden) expect(dump.toLowerCase()).not.toContain(secret.toLowerCase());
    }
    // The dump is not vacuous: the records are there.
    expect(unlockedDisk).toContain('"c1"');
    expect(lockedAll).toContain(`expressai-history-${hash}/messages`);
  });
});
