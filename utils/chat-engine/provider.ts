/**
 * Where answers come from: the ExpressAI account (default), or a custom
 * OpenAI-compatible endpoint. The choice is kept per subscription; a custom
 * endpoint's API key is sealed with that subscription's history key, so it
 * is usable only while the history is unlocked and never stored readably.
 * ExpressAI's token never goes to a custom endpoint, nor a custom key to ExpressAI.
 */
import * as v from 'valibot';
import { browser } from 'wxt/browser';
import { authorizedFetch } from '../auth/access-token';
import { ChatStreamError } from '../chat/chat-errors';
import { ExtensionError } from '../errors';
import { SERVICE } from '../service';
import { listModels, type ModelInfo } from '../service-api';
import { chatProviderFor } from '../storage-items';
import { getDataKey } from '../vault';
import { fromBase64, toBase64 } from '../vault/bytes';
import { openRecord, recordAad, sealRecord } from '../vault/record-cipher';
import { endpointPermission, normalizeEndpoint } from './endpoint';

/** What pages are told: never the key, only whether there is one. */
export type ProviderView = { kind: 'expressai' } | { kind: 'custom'; baseUrl: string; hasKey: boolean };

export type ProviderChoice = { kind: 'expressai' } | { kind: 'custom'; baseUrl: string; apiKey?: string | null };

export interface ProviderTarget {
  /** `${base}/chat/completions`, `${base}/models`. */
  url(path: 'chat/completions' | 'models'): string;
  fetch(url: string, init: RequestInit): Promise<Response>;
}

const keyAad = (hash: string, baseUrl: string) => recordAad('chat-provider-key', hash, baseUrl);

export async function readProvider(hash: string): Promise<ProviderView> {
  const stored = await chatProviderFor(hash).getValue();
  if (!stored) return { kind: 'expressai' };
  return { kind: 'custom', baseUrl: stored.baseUrl, hasKey: stored.apiKey !== undefined };
}

/**
 * Saves the choice. For a custom endpoint `apiKey` replaces the key (a string),
 * removes it (null) or keeps the one saved for the same address (left out).
 * Throws `endpoint_invalid`, or `vault_locked` when a key must be sealed.
 */
export async function saveProvider(hash: string, choice: ProviderChoice): Promise<ProviderView> {
  const item = chatProviderFor(hash);
  if (choice.kind === 'expressai') {
    await item.removeValue();
    return readProvider(hash);
  }
  const baseUrl = normalizeEndpoint(choice.baseUrl);
  const previous = await item.getValue();
  let apiKey = previous?.baseUrl === baseUrl ? previous.apiKey : undefined;
  if (choice.apiKey === null || choice.apiKey?.trim() === '') apiKey = undefined;
  else if (choice.apiKey !== undefined) {
    const sealed = await sealRecord(await getDataKey(hash), keyAad(hash, baseUrl), choice.apiKey.trim());
    apiKey = { iv: toBase64(sealed.iv), ct: toBase64(sealed.ct) };
  }
  await item.setValue(apiKey ? { baseUrl, apiKey } : { baseUrl });
  return readProvider(hash);
}

/** The endpoint answers go to for this subscription, with the right credentials. */
export async function providerTarget(hash: string): Promise<ProviderTarget> {
  const stored = await chatProviderFor(hash).getValue();
  if (!stored) return { url: (path) => `${SERVICE.api}/${path}`, fetch: authorizedFetch };
  const { baseUrl } = stored;
  const allowed = await browser.permissions.contains({ origins: [endpointPermission(baseUrl)] }).catch(() => false);
  if (!allowed) {
    throw new ChatStreamError('request_rejected', { detail: `ExpressAI may not connect to ${new URL(baseUrl).host}. Choose the endpoint again in Settings and allow it.` });
  }
  let key: string | undefined;
  if (stored.apiKey) {
    const sealed = { iv: fromBase64(stored.apiKey.iv), ct: fromBase64(stored.apiKey.ct) };
    key = await openRecord(await getDataKey(hash), keyAad(hash, baseUrl), sealed, v.string());
    if (key === undefined) throw new ExtensionError('vault_damaged', 'The saved API key could not be opened. Enter it again in Settings.');
  }
  return {
    url: (path) => `${baseUrl}/${path}`,
    fetch: (url, init) => {
      const headers = new Headers(init.headers);
      if (key) headers.set('Authorization', `Bearer ${key}`);
      return fetch(url, { ...init, headers, credentials: 'omit' });
    },
  };
}

const MODELS_SCHEMA = v.object({ data: v.array(v.object({ id: v.pipe(v.string(), v.maxLength(200)) })) });

/** The models of the chosen provider (`GET …/models`). */
export async function listProviderModels(hash: string | undefined): Promise<ModelInfo[]> {
  if (!hash || !(await chatProviderFor(hash).getValue())) return listModels();
  const target = await providerTarget(hash);
  let response: Response;
  try {
    response = await target.fetch(target.url('models'), { cache: 'no-store' });
  } catch {
    throw new ExtensionError('offline', 'The custom endpoint cannot be reached. Is it running?');
  }
  if (!response.ok) throw new ExtensionError('request_rejected', `The custom endpoint could not list its models (HTTP ${response.status}).`);
  const parsed = v.safeParse(MODELS_SCHEMA, await response.json().catch(() => null));
  if (!parsed.success) throw new ExtensionError('request_rejected', 'The custom endpoint sent a model list ExpressAI cannot read.');
  return parsed.output.data.map(({ id }) => ({ id }));
}
