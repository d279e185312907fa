import { act } from 'preact/test-utils';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ProviderSection } from '@/components/chat-app/provider-section';
import { ChatStreamError } from '@/utils/chat/chat-errors';
import { backgroundHandlers } from '@/utils/background-handlers';
import { defaultEngineDeps } from '@/utils/chat-engine/chat-background';
import { endpointPermission, normalizeEndpoint } from '@/utils/chat-engine/endpoint';
import { providerTarget, readProvider, saveProvider } from '@/utils/chat-engine/provider';
import { onOpenSidePanelCommand, openSidePanel } from '@/utils/chat-engine/side-panel-command';
import { createMessageRouter } from '@/utils/message-router';
import { SERVICE } from '@/utils/service';
import { authStatus, authTokens } from '@/utils/storage-items';
import { createVault, lock } from '@/utils/vault';
import { byName, findByName, renderInto } from '../vault-ui/dom';
import { deleteAllDatabases, dumpStorage, OLD_PASSWORD, randomHash, SMALL } from '../vault/vault-test-kit';

const ENDPOINT = 'http://localhost:11434/v1';
const KEY = 'sk-local-secret-key-pineapple';

function sse(...chunks: string[]): Response {
  const body = [...chunks.map((c) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: c }, finish_reason: null }] })}\n\n`), 'data: [DONE]\n\n'].join('');
  return new Response(body, { headers: { 'Content-Type': 'text/event-stream' } });
}

let hash: string;
beforeEach(async () => {
  fakeBrowser.reset();
  await deleteAllDatabases();
  hash = randomHash();
  await createVault(hash, OLD_PASSWORD, { cost: SMALL });
  await authStatus.setValue({ state: 'signed-in', email: 'a@example.com', subscriptionHash: hash, epoch: 0 });
});

describe('a custom endpoint address', () => {
  it.each([
    ['http://localhost:11434/v1/', 'http://localhost:11434/v1'],
    ['  https://api.example.com/v1 ', 'https://api.example.com/v1'],
    ['http://127.0.0.1:1234/v1', 'http://127.0.0.1:1234/v1'],
  ])('accepts %s', (input, expected) => {
    expect(normalizeEndpoint(input)).toBe(expected);
  });

  it.each([
    ['plain http to another computer', 'http://example.com/v1'],
    ['a key in the address', 'https://user:sk@example.com/v1'],
    ['a query', 'https://example.com/v1?key=1'],
    ['not a URL', 'localhost:11434'],
    ['another scheme', 'file:///etc/passwd'],
  ])('refuses %s with a reason', (_label, input) => {
    expect(() => normalizeEndpoint(input)).toThrow(expect.objectContaining({ code: 'endpoint_invalid' }));
  });

  it('asks for that host only, any port', () => {
    expect(endpointPermission('http://localhost:11434/v1')).toBe('http://localhost/*');
    expect(endpointPermission('https://api.example.com/v1')).toBe('https://api.example.com/*');
  });
});

describe('the chosen provider', () => {
  it('keeps the API key sealed with the history key, never readable, and never tells pages the key', async () => {
    expect(await saveProvider(hash, { kind: 'custom', baseUrl: ENDPOINT, apiKey: KEY })).toEqual({ kind: 'custom', baseUrl: ENDPOINT, hasKey: true });
    expect(await dumpStorage()).not.toContain('pineapple');
    // Same address, no new key: the saved one stays. A new address drops it; null removes it.
    expect(await saveProvider(hash, { kind: 'custom', baseUrl: `${ENDPOINT}/` })).toMatchObject({ hasKey: true });
    expect(await saveProvider(hash, { kind: 'custom', baseUrl: 'http://127.0.0.1:1234/v1' })).toMatchObject({ hasKey: false });
    await saveProvider(hash, { kind: 'custom', baseUrl: ENDPOINT, apiKey: KEY });
    expect(await saveProvider(hash, { kind: 'custom', baseUrl: ENDPOINT, apiKey: null })).toMatchObject({ hasKey: false });
    expect(await saveProvider(hash, { kind: 'expressai' })).toEqual({ kind: 'expressai' });
    expect(await readProvider(hash)).toEqual({ kind: 'expressai' });
  });

  it('a key cannot be saved while the history is locked', async () => {
    await lock(hash);
    await expect(saveProvider(hash, { kind: 'custom', baseUrl: ENDPOINT, apiKey: KEY })).rejects.toMatchObject({ code: 'vault_locked' });
  });

  it('sends questions to the endpoint with its key and never the ExpressAI token', async () => {
    await authTokens.setValue({ accessToken: 'expressai-access-token', expiresAt: Date.now() + 60_000, generation: 1 });
    await saveProvider(hash, { kind: 'custom', baseUrl: ENDPOINT, apiKey: KEY });
    vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(true);
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(sse('Hello ', 'from Ollama'));
    const events = [];
    for await (const event of defaultEngineDeps().stream({ model: 'llama3', messages: [{ role: 'user', content: 'hi' }] }, new AbortController().signal, hash)) events.push(event);
    // One body, one read: its deltas come as one.
    expect(events).toEqual([{ type: 'delta', text: 'Hello from Ollama' }, { type: 'done', finishReason: null }]);
    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(url).toBe(`${ENDPOINT}/chat/completions`);
    const headers = new Headers(init!.headers);
    expect(headers.get('Authorization')).toBe(`Bearer ${KEY}`);
    expect(JSON.stringify([...headers])).not.toContain('expressai-access-token');
    expect(JSON.parse(String(init!.body))).toMatchObject({ model: 'llama3', stream: true });
    expect(init!.credentials).toBe('omit');
  });

  it('without the host permission, says so instead of trying', async () => {
    await saveProvider(hash, { kind: 'custom', baseUrl: ENDPOINT });
    vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(false);
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const error = await providerTarget(hash).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatStreamError);
    expect(error).toMatchObject({ code: 'request_rejected', detail: expect.stringContaining('localhost:11434') });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('lists the endpoint\'s models through api.models; the account\'s models otherwise', async () => {
    await saveProvider(hash, { kind: 'custom', baseUrl: ENDPOINT });
    vi.spyOn(fakeBrowser.permissions, 'contains').mockResolvedValue(true);
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(Response.json({ data: [{ id: 'llama3' }, { id: 'qwen' }] }));
    const route = createMessageRouter(backgroundHandlers, { id: fakeBrowser.runtime.id, baseUrl: fakeBrowser.runtime.getURL('/') });
    const sender = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/popup.html') };
    expect(await route({ type: 'api.models', payload: {} }, sender)).toEqual({ ok: true, data: { models: [{ id: 'llama3' }, { id: 'qwen' }] } });
    expect(fetchSpy.mock.calls[0]![0]).toBe(`${ENDPOINT}/models`);
    expect(await route({ type: 'chat.provider', payload: {} }, sender)).toEqual({ ok: true, data: { kind: 'custom', baseUrl: ENDPOINT, hasKey: false } });
    expect(await route({ type: 'chat.setProvider', payload: { kind: 'custom', baseUrl: 'http://evil.example/v1' } }, sender)).toMatchObject({
      ok: false,
      error: { code: 'endpoint_invalid' },
    });
    await saveProvider(hash, { kind: 'expressai' });
    expect((await providerTarget(hash)).url('chat/completions')).toBe(`${SERVICE.api}/chat/completions`);
  });
});

describe('Settings → Chat provider', () => {
  function connect() {
    const route = createMessageRouter(backgroundHandlers, { id: fakeBrowser.runtime.id, baseUrl: fakeBrowser.runtime.getURL('/') });
    const sender = { id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/options.html') };
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation((async (m: unknown) => route(m, sender)) as never);
  }
  async function chooseCustom(root: HTMLElement, url: string, key: string) {
    const radio = [...root.querySelectorAll<HTMLInputElement>('input[type="radio"]')].find((r) => r.parentElement!.textContent!.includes('Custom'))!;
    act(() => radio.click());
    const urlBox = await findByName<HTMLInputElement>(root, 'textbox', 'Endpoint URL');
    act(() => {
      urlBox.value = url;
      urlBox.dispatchEvent(new Event('input', { bubbles: true }));
      const keyBox = byName<HTMLInputElement>(root, 'textbox', 'API key (optional)');
      keyBox.value = key;
      keyBox.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }

  it('asks the browser for that host inside the click, and saves only once allowed', async () => {
    connect();
    let resolvePermission!: (granted: boolean) => void;
    const requestSpy = vi.spyOn(fakeBrowser.permissions, 'request').mockImplementation(() => new Promise((r) => (resolvePermission = r)));
    const view = renderInto(<ProviderSection />);
    await vi.waitFor(() => expect(byName<HTMLButtonElement>(view.root, 'button', 'Save provider').disabled).toBe(false));
    await chooseCustom(view.root, ENDPOINT, KEY);
    byName(view.root, 'button', 'Save provider').click();
    // Synchronously, from the click: the browser only prompts during a user action.
    expect(requestSpy).toHaveBeenCalledWith({ origins: ['http://localhost/*'] });
    resolvePermission(false);
    await vi.waitFor(() => expect(view.root.textContent).toContain('ExpressAI needs your permission to connect to localhost:11434. Nothing was changed.'));
    expect(await readProvider(hash)).toEqual({ kind: 'expressai' });

    byName(view.root, 'button', 'Save provider').click();
    resolvePermission(true);
    await vi.waitFor(() => expect(view.root.textContent).toContain('Answers now come from localhost:11434.'));
    expect(await readProvider(hash)).toEqual({ kind: 'custom', baseUrl: ENDPOINT, hasKey: true });
    view.unmount();
  });

  it('refuses an address it cannot use before asking for anything', async () => {
    connect();
    const requestSpy = vi.spyOn(fakeBrowser.permissions, 'request');
    const view = renderInto(<ProviderSection />);
    await vi.waitFor(() => expect(byName<HTMLButtonElement>(view.root, 'button', 'Save provider').disabled).toBe(false));
    await chooseCustom(view.root, 'http://example.com/v1', '');
    byName(view.root, 'button', 'Save provider').click();
    await vi.waitFor(() => expect(view.root.textContent).toContain('Use an https:// address'));
    expect(requestSpy).not.toHaveBeenCalled();
    view.unmount();
  });
});

describe('opening the side panel', () => {
  it('Chrome: the keyboard command opens the side panel of the window it came from, synchronously', () => {
    const open = vi.fn(() => Promise.resolve());
    const api = fakeBrowser as unknown as { sidePanel?: unknown; sidebarAction?: unknown };
    const { sidebarAction } = api;
    // Chrome has no sidebarAction.
    api.sidebarAction = undefined;
    api.sidePanel = { open };
    try {
      onOpenSidePanelCommand('something-else', { windowId: 7 } as never);
      expect(open).not.toHaveBeenCalled();
      onOpenSidePanelCommand('open-side-panel', { windowId: 7 } as never);
      expect(open).toHaveBeenCalledWith({ windowId: 7 });
    } finally {
      api.sidebarAction = sidebarAction;
      delete api.sidePanel;
    }
  });

  it('Firefox: opens the sidebar', async () => {
    const open = vi.fn(() => Promise.resolve());
    vi.spyOn(fakeBrowser.sidebarAction, 'open').mockImplementation(open);
    await expect(openSidePanel(undefined)).resolves.toBe(true);
    expect(open).toHaveBeenCalled();
  });
});
