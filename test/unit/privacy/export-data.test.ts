/**
 * "Export my data": the document holds every saved conversation and the
 * settings, needs the history unlocked, and never holds a secret, whatever
 * secrets the device keeps (tokens, the API key, the history key, the PKCE
 * verifier, the KRN and its hash).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { saveProvider } from '@/utils/chat-engine/provider';
import { exportMyData } from '@/utils/privacy/export-data';
import { buildExportDocument, EXPORT_FORMAT, EXPORT_FORMAT_VERSION, exportFileName, type ExportedSettings } from '@/utils/privacy/export-document';
import { authFlow, authSession, authStatus, authTokens, chatModel, diagnosticsEnabled, historyRetention } from '@/utils/storage-items';
import { createVault, lock, openHistory } from '@/utils/vault';
import { deleteAllDatabases, SMALL } from '../vault/vault-test-kit';

const DAY = 86_400_000;
const T0 = Date.parse('2025-05-01T10:00:00Z');

const SETTINGS: ExportedSettings = {
  provider: { kind: 'expressai' },
  model: null,
  history: { retention: 'forever', temporaryChatsByDefault: false },
  autoLockMinutes: 15,
  diagnosticsEnabled: false,
  blockWebRtcIpLeaks: null,
};

beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
});

describe('the export document', () => {
  it('holds an answer as the text people read, not its stored envelope, with its state when it did not complete', () => {
    const answer = (id: string, seq: number, text: string, status: string) => ({
      id, conversationId: 'c', seq, role: 'assistant' as const, createdAt: T0 + seq, content: JSON.stringify({ expressai: 1, text, status }),
    });
    const doc = buildExportDocument({
      now: T0,
      email: null,
      settings: SETTINGS,
      conversations: [{ id: 'c', title: 'Chat', createdAt: T0, updatedAt: T0 }],
      messages: [answer('a1', 1, 'Whole answer', 'complete'), answer('a2', 2, 'Half an', 'interrupted')],
      unreadableRecords: 0,
    });
    expect(doc.conversations[0]!.messages).toEqual([
      { role: 'assistant', content: 'Whole answer', createdAt: new Date(T0 + 1).toISOString() },
      { role: 'assistant', content: 'Half an', createdAt: new Date(T0 + 2).toISOString(), status: 'interrupted' },
    ]);
  });

  it('holds conversations newest first, messages in order, ISO dates, and a format version', () => {
    const doc = buildExportDocument({
      now: T0,
      email: 'alice@example.com',
      settings: SETTINGS,
      conversations: [
        { id: 'old', title: 'Old chat', createdAt: T0 - 2 * DAY, updatedAt: T0 - DAY },
        { id: 'new', title: 'New chat', createdAt: T0 - DAY, updatedAt: T0 },
      ],
      messages: [
        { id: 'm2', conversationId: 'new', seq: 1, role: 'assistant', content: 'Hi there', createdAt: T0 },
        { id: 'm1', conversationId: 'new', seq: 0, role: 'user', content: 'Hello', createdAt: T0 - 1000 },
        { id: 'm3', conversationId: 'lost', seq: 0, role: 'user', content: 'Orphan', createdAt: T0 - 3 * DAY },
      ],
      unreadableRecords: 1,
    });
    expect(doc).toEqual({
      format: EXPORT_FORMAT,
      version: EXPORT_FORMAT_VERSION,
      exportedAt: '2025-05-01T10:00:00.000Z',
      account: { email: 'alice@example.com' },
      settings: SETTINGS,
      conversations: [
        {
          id: 'new',
          title: 'New chat',
          createdAt: '2025-04-30T10:00:00.000Z',
          updatedAt: '2025-05-01T10:00:00.000Z',
          messages: [
            { role: 'user', content: 'Hello', createdAt: '2025-05-01T09:59:59.000Z' },
            { role: 'assistant', content: 'Hi there', createdAt: '2025-05-01T10:00:00.000Z' },
          ],
        },
        { id: 'old', title: 'Old chat', createdAt: '2025-04-29T10:00:00.000Z', updatedAt: '2025-04-30T10:00:00.000Z', messages: [] },
        // A message whose conversation record is unreadable is still the user's: kept, without a title.
        {
          id: 'lost',
          title: '',
          createdAt: '2025-04-28T10:00:00.000Z',
          updatedAt: '2025-04-28T10:00:00.000Z',
          messages: [{ role: 'user', content: 'Orphan', createdAt: '2025-04-28T10:00:00.000Z' }],
        },
      ],
      unreadableRecords: 1,
    });
  });

  it('copies settings field by field, so an extra field (a key) never rides along', () => {
    const leaky = { ...SETTINGS, provider: { kind: 'custom', baseUrl: 'https://api.example.com/v1', hasApiKey: true, apiKey: 'sk-secret' } } as ExportedSettings;
    const doc = buildExportDocument({ now: T0, email: null, settings: leaky, conversations: [], messages: [], unreadableRecords: 0 });
    expect(JSON.stringify(doc)).not.toContain('sk-secret');
    expect(doc.settings.provider).toEqual({ kind: 'custom', baseUrl: 'https://api.example.com/v1', hasApiKey: true });
  });

  it('is named expressai-export-YYYY-MM-DD.json after the local date', () => {
    expect(exportFileName(new Date(2025, 0, 9, 23, 59))).toBe('expressai-export-2025-01-09.json');
  });
});

describe('exporting from the device', () => {
  async function signIn(hash: string, email = 'alice@example.com') {
    await authStatus.setValue({ state: 'signed-in', email, subscriptionHash: hash, epoch: 1 });
  }

  it('refuses while signed out or locked, with codes the page acts on', async () => {
    await expect(exportMyData()).rejects.toMatchObject({ code: 'not_signed_in' });
    const hash = bytesToHex(sha256(new TextEncoder().encode('krn:expressai:subscription:locked')));
    await signIn(hash);
    await createVault(hash, 'correct horse battery', { cost: SMALL });
    await lock(hash);
    await expect(exportMyData()).rejects.toMatchObject({ code: 'vault_locked' });
  });

  it('holds the saved conversations and settings', async () => {
    const hash = bytesToHex(sha256(new TextEncoder().encode('krn:expressai:subscription:settings')));
    await signIn(hash);
    await createVault(hash, 'correct horse battery', { cost: SMALL });
    const history = openHistory(hash);
    await history.saveConversation({ id: 'c1', title: 'Trip plans', createdAt: T0, updatedAt: T0 });
    await history.addMessage({ conversationId: 'c1', role: 'user', content: 'Where to go in May?', createdAt: T0 + 1 });
    await history.addMessage({ conversationId: 'c1', role: 'assistant', content: 'Lisbon.', createdAt: T0 + 2 });
    await chatModel.setValue('expressai-dev');
    await historyRetention.setValue(30);
    await diagnosticsEnabled.setValue(true);
    await saveProvider(hash, { kind: 'custom', baseUrl: 'http://localhost:11434/v1', apiKey: 'sk-local-key' });

    const doc = await exportMyData(T0 + 10);
    expect(doc.conversations).toEqual([
      {
        id: 'c1',
        title: 'Trip plans',
        createdAt: new Date(T0).toISOString(),
        updatedAt: new Date(T0 + 2).toISOString(),
        messages: [
          { role: 'user', content: 'Where to go in May?', createdAt: new Date(T0 + 1).toISOString() },
          { role: 'assistant', content: 'Lisbon.', createdAt: new Date(T0 + 2).toISOString() },
        ],
      },
    ]);
    expect(doc.settings).toEqual({
      provider: { kind: 'custom', baseUrl: 'http://localhost:11434/v1', hasApiKey: true },
      model: 'expressai-dev',
      history: { retention: 30, temporaryChatsByDefault: false },
      autoLockMinutes: 15,
      diagnosticsEnabled: true,
      blockWebRtcIpLeaks: null,
    });
    expect(JSON.stringify(doc)).not.toContain('sk-local-key');
  });

  const token = fc.stringMatching(/^[A-Za-z0-9_-]{24,48}$/);
  // Letters no secret uses, so a random title can never contain a secret by chance (which would fail the check for no reason).
  const text = fc.string({ unit: fc.constantFrom('é', 'ß', 'ж', '字', '😀', ' ', '.', '!', '?', '"', '\n', '\\'), minLength: 1, maxLength: 40 });
  const sessionArb = fc.record({
    krnId: fc.stringMatching(/^[a-z0-9]{12,24}$/),
    password: fc.stringMatching(/^[a-z]{12,20}$/),
    accessToken: token,
    refreshToken: token,
    codeVerifier: token,
    apiKey: token.map((t) => `sk-${t}`),
    conversations: fc.uniqueArray(
      fc.record({ id: fc.uuid(), title: text, messages: fc.array(fc.record({ role: fc.constantFrom('user' as const, 'assistant' as const), content: text }), { maxLength: 4 }) }),
      { maxLength: 4, selector: (c) => c.id },
    ),
  });

  it('never holds a token, key, verifier, password, KRN or hash, and always holds every saved message (property)', async () => {
    await fc.assert(
      fc.asyncProperty(sessionArb, async (s) => {
        fakeBrowser.reset();
        await deleteAllDatabases();
        const krn = `krn:expressai:subscription:${s.krnId}`;
        const hash = bytesToHex(sha256(new TextEncoder().encode(krn)));
        await signIn(hash, 'someone@example.com');
        await authTokens.setValue({ accessToken: s.accessToken, expiresAt: T0 + DAY, generation: 1 });
        await authSession.setValue({ sealed: { iv: s.codeVerifier.slice(0, 16), ciphertext: s.refreshToken }, subscriptionHash: hash, startedAt: T0, expiresAt: T0 + DAY, generation: 1 });
        await authFlow.setValue({ state: s.accessToken.slice(0, 20), codeVerifier: s.codeVerifier, nonce: 'n', redirectUri: 'https://x.invalid/', startedAt: T0 });
        await createVault(hash, s.password, { cost: SMALL });
        await saveProvider(hash, { kind: 'custom', baseUrl: 'https://api.example.com/v1', apiKey: s.apiKey });
        const history = openHistory(hash);
        for (const [i, c] of s.conversations.entries()) {
          await history.saveConversation({ id: c.id, title: c.title, createdAt: T0 + i, updatedAt: T0 + i });
          for (const m of c.messages) await history.addMessage({ conversationId: c.id, role: m.role, content: m.content, createdAt: T0 + i });
        }

        const doc = await exportMyData(T0);
        const json = JSON.stringify(doc);
        const dataKey = (await fakeBrowser.storage.session.get(`vault_key_${hash}`))[`vault_key_${hash}`] as string;
        const secrets = [s.accessToken, s.refreshToken, s.codeVerifier, s.apiKey, s.password, krn, s.krnId, hash, dataKey, Buffer.from(dataKey, 'base64').toString('hex')];
        for (const secret of secrets) expect(json).not.toContain(secret);

        const exported = Object.fromEntries(doc.conversations.map((c) => [c.id, { title: c.title, messages: c.messages.map(({ role, content }) => ({ role, content })) }]));
        expect(exported).toEqual(Object.fromEntries(s.conversations.map((c) => [c.id, { title: c.title, messages: c.messages }])));
        expect(doc.settings.provider).toEqual({ kind: 'custom', baseUrl: 'https://api.example.com/v1', hasApiKey: true });
      }),
      { numRuns: 25 },
    );
  });
});
