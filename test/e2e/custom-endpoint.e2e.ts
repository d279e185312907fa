/**
 * A custom OpenAI-compatible endpoint in real Chromium and Firefox: a second
 * local server (support/openai-server.ts) is chosen in Settings with its URL
 * and API key, the host permission is granted, and the chat streams its
 * answer. The key travels only to that endpoint and is never stored
 * readably; going back to the ExpressAI account gives the permission back.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSERS } from './support/browsers';
import { ask, click, createMasterPassword, lastAnswer, typeInto } from './support/chat-page';
import { allowHostAhead } from './support/host-permission';
import { CUSTOM_MODEL_ID, startOpenAiServer, type OpenAiServer } from './support/openai-server';
import { service } from './support/service-controls';
import { launchExtension, type ExtensionSession } from './support/session';
import { button, signInAs, waitForText } from './support/sign-in';
import { expectStorageAuditPasses } from './support/storage-audit';
import { pollFor } from './support/wait';

const PASSWORD = `endpoint e2e ${randomUUID().slice(0, 8)} meadow`;
const API_KEY = `sk-e2e-${randomBytes(12).toString('hex')}`;
const CANARY = `wombat${randomBytes(6).toString('hex')}`;
const HOST_PATTERN = 'http://127.0.0.1/*';
const radio = (name: string) => `::-p-aria([name="${name}"][role="radio"])`;

function hasHostPermission(page: Page): Promise<boolean> {
  return page.evaluate((origin) => {
    type Api = { permissions: { contains(p: object): Promise<boolean> } };
    return ((globalThis as { browser?: Api }).browser ?? (globalThis as { chrome?: Api }).chrome)!.permissions.contains({ origins: [origin] });
  }, HOST_PATTERN);
}

describe.each(BROWSERS)('%s: a custom OpenAI-compatible endpoint', (name) => {
  let session: ExtensionSession;
  let endpoint: OpenAiServer;
  let popup: Page;
  let settings: Page;

  beforeAll(async () => {
    await service.reset();
    endpoint = await startOpenAiServer(API_KEY);
    session = await launchExtension(name);
    popup = await signInAs(session, 'alice');
    await createMasterPassword(popup, PASSWORD);
  });
  afterAll(async () => {
    await session?.close();
    await endpoint?.close();
  });

  it('is chosen in Settings with its URL and key, and the chat streams its answer', async () => {
    expect(await hasHostPermission(session.harness)).toBe(false);
    await allowHostAhead(session, HOST_PATTERN);
    settings = await session.openPage('options.html');
    await (await settings.waitForSelector(radio('Custom OpenAI-compatible endpoint')))!.click();
    await typeInto(settings, 'Endpoint URL', endpoint.baseUrl);
    await typeInto(settings, 'API key (optional)', API_KEY);
    await click(settings, 'Save provider');
    await waitForText(settings, `Answers now come from ${new URL(endpoint.baseUrl).host}.`);
    expect(await hasHostPermission(session.harness)).toBe(true);

    const before = (await service.counters()).chatRequests;
    await popup.close();
    popup = await session.openPage('popup.html');
    await popup.waitForSelector(button('Lock now'));
    const picker = (await popup.waitForSelector('::-p-aria([name="Model"][role="combobox"])'))!;
    await pollFor(async () => ((await picker.evaluate((s) => (s as HTMLSelectElement).value)) === CUSTOM_MODEL_ID ? true : undefined), {
      what: 'the endpoint’s model in the picker',
    });
    await ask(popup, `Hello endpoint ${CANARY}`);
    const answer = await lastAnswer(popup);
    expect(answer.status).toBe('complete');
    expect(answer.markdown).toContain('Answered by the custom endpoint.');
    expect(answer.markdown).toContain(CANARY);

    const chat = endpoint.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(chat).toHaveLength(1);
    expect(chat[0]).toMatchObject({ method: 'POST', authorized: true, body: { model: CUSTOM_MODEL_ID, stream: true } });
    expect(endpoint.requests.every((r) => r.authorized)).toBe(true);
    // Nothing went to the ExpressAI service.
    expect((await service.counters()).chatRequests).toBe(before);
  });

  it('keeps the key encrypted: no storage area holds it, or the question, readably', async () => {
    await expectStorageAuditPasses(session);
    const dump = JSON.stringify(await session.dumpStorage());
    expect(dump).toContain(new URL(endpoint.baseUrl).host);
    expect(dump).not.toContain(API_KEY);
    expect(dump).not.toContain(API_KEY.slice(7));
    expect(dump).not.toContain(CANARY);
  });

  it('going back to the ExpressAI account gives the host permission back, and answers come from the service again', async () => {
    await settings.bringToFront();
    await (await settings.waitForSelector(radio('ExpressAI account')))!.click();
    await click(settings, 'Save provider');
    await waitForText(settings, 'Answers now come from your ExpressAI account.');
    await pollFor(async () => ((await hasHostPermission(session.harness)) ? undefined : true), { what: 'the host permission to be given back' });

    const asked = endpoint.requests.length;
    await popup.close();
    popup = await session.openPage('popup.html');
    await ask(popup, `Back home ${CANARY}`);
    const answer = await lastAnswer(popup);
    expect(answer.status).toBe('complete');
    expect(answer.markdown).toContain('About your message');
    expect(endpoint.requests.slice(asked).filter((r) => r.path === '/v1/chat/completions')).toEqual([]);
    await expectStorageAuditPasses(session);
  });

  it('logged no errors', () => {
    expect(session.consoleErrors()).toEqual([]);
  });
});
