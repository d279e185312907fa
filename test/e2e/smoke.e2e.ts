/**
 * The built extension in real Chromium and Firefox: it installs, every page
 * renders, the background answers our pages and only our pages, and nothing
 * undeclared is stored.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BROWSERS, REPO_ROOT } from './support/browsers';
import { launchExtension, POPUP_SIZE, SIDE_PANEL_SIZE, TAB_SIZE, type ExtensionSession } from './support/session';
import { expectStorageAuditPasses, findUndeclared } from './support/storage-audit';
import { sendRequest } from './support/requests';
import { DECLARED_SAMPLES, expectedRogueFindings, plantRogueItems, removeRogueItems, ROGUE_CANARY } from './support/rogue-storage';
import { serveTestPage } from './support/web-server';

const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

const PAGES = [
  { path: 'popup.html', size: POPUP_SIZE, heading: 'ExpressAI' },
  { path: 'sidepanel.html', size: SIDE_PANEL_SIZE, heading: 'ExpressAI' },
  { path: 'options.html', size: TAB_SIZE, heading: 'ExpressAI Settings' },
  { path: 'welcome.html', size: TAB_SIZE, heading: 'Welcome to ExpressAI' },
];

const heading = (name: string) => `::-p-aria([name="${name}"][role="heading"])`;

/** Messages the router must refuse, and the code it must refuse them with. */
const REFUSED: { what: string; message: unknown; code: string }[] = [
  { what: 'a number', message: 5, code: 'invalid_message' },
  { what: 'null', message: null, code: 'invalid_message' },
  { what: 'a bare type string', message: 'ping', code: 'invalid_message' },
  { what: 'no payload', message: { type: 'ping' }, code: 'invalid_message' },
  { what: 'an extra envelope field', message: { type: 'ping', payload: {}, extra: 1 }, code: 'invalid_message' },
  { what: 'an extra payload field', message: { type: 'ping', payload: { extra: 1 } }, code: 'invalid_message' },
  { what: 'an inherited type name', message: { type: 'toString', payload: {} }, code: 'unknown_message' },
  { what: 'an unknown type', message: { type: 'deleteEverything', payload: {} }, code: 'unknown_message' },
];

describe.each(BROWSERS)('%s: the built extension', (name) => {
  let session: ExtensionSession;

  beforeAll(async () => {
    session = await launchExtension(name);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('opens the welcome page on install', async () => {
    const welcome = await session.welcomePage();
    await welcome.waitForSelector(heading('Welcome to ExpressAI'));
  });

  it.each(PAGES)('renders the $path shell without console errors', async ({ path: pagePath, size, heading: title }) => {
    const earlier = session.consoleErrors().length;
    const page = await session.openPage(pagePath, size);
    await page.waitForSelector(heading(title));
    expect(await page.evaluate(() => ({ width: innerWidth, height: innerHeight }))).toEqual(size);
    expect(session.consoleErrors().slice(earlier)).toEqual([]);
    await page.close();
  });

  it('moves a tab from one of its pages to another', async () => {
    const page = await session.openPage('popup.html');
    await session.navigate(page, 'options.html');
    await page.waitForSelector(heading('ExpressAI Settings'));
    expect(await page.evaluate(() => location.href)).toBe(session.url('options.html'));
    await page.close();
  });

  it('answers a typed ping with the package version', async () => {
    expect(await sendRequest(session, 'ping', {})).toEqual({ ok: true, data: { pong: true, version } });
  });

  it.skipIf(!inject('e2eServiceUrl'))('reaches the e2e service it was built for from its pages', async () => {
    const issuer = inject('e2eServiceUrl');
    const discovery = await session.harness.evaluate(async (url) => (await fetch(`${url}/.well-known/openid-configuration`)).json(), issuer);
    expect(discovery).toMatchObject({ issuer });
  });

  it('refuses malformed messages and unknown types, and they change nothing', async () => {
    const before = await session.dumpStorage();
    for (const { what, message, code } of REFUSED) {
      const reply = await session.sendMessage(message);
      expect(reply, what).toMatchObject({ ok: false, error: { code, message: expect.any(String) } });
    }
    expect(await session.dumpStorage()).toEqual(before);
  });

  it('gives a web page no way to message the background', async () => {
    const site = await serveTestPage('<!doctype html><title>Some website</title><h1>Some website</h1>');
    try {
      const page = await session.openWebPage(site.url);
      const before = await session.dumpStorage();
      const attempts = await page.evaluate(async (extensionId) => {
        type Api = { runtime?: { sendMessage?: (...args: unknown[]) => Promise<unknown> } };
        const g = globalThis as unknown as { chrome?: Api; browser?: Api };
        const results: { api: string; outcome: string; reply?: unknown }[] = [];
        for (const [api, ns] of [['chrome', g.chrome], ['browser', g.browser]] as const) {
          const send = ns?.runtime?.sendMessage;
          if (typeof send !== 'function') {
            results.push({ api, outcome: 'unavailable' });
            continue;
          }
          try {
            results.push({ api, outcome: 'answered', reply: await send.call(ns!.runtime, extensionId, { type: 'ping', payload: {} }) });
          } catch {
            results.push({ api, outcome: 'threw' });
          }
        }
        return results;
      }, session.extensionId);
      for (const attempt of attempts) {
        if (attempt.outcome === 'answered') {
          // Reaching the background at all would need `externally_connectable`; if it ever does, it must refuse.
          expect(attempt.reply, attempt.api).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
        } else {
          expect(['unavailable', 'threw'], attempt.api).toContain(attempt.outcome);
        }
      }
      expect(await session.dumpStorage()).toEqual(before);
      await page.close();
    } finally {
      await site.close();
    }
  });

  it('reports every undeclared item in every storage area, and none of the declared ones', async () => {
    const harnessHref = await session.harness.evaluate(() => location.href);
    try {
      await plantRogueItems(session);
      const dump = await session.dumpStorage();
      const findings = findUndeclared(dump);
      expect(findings).toEqual(expect.arrayContaining(expectedRogueFindings(harnessHref)));
      expect(findings).toHaveLength(expectedRogueFindings(harnessHref).length);
      for (const key of DECLARED_SAMPLES) expect(dump.local[key]).toBe(true);
      // Values are dumped too, binary ones readable: later suites search dumps for secrets.
      const text = JSON.stringify(dump);
      expect(text).toContain(`${ROGUE_CANARY}-bytes`);
      expect(text.split(ROGUE_CANARY).length - 1).toBeGreaterThanOrEqual(6);
      await expect(expectStorageAuditPasses(session)).rejects.toThrow(/rogue_key[\s\S]*rogue-db/);
    } finally {
      await removeRogueItems(session);
    }
    await expectStorageAuditPasses(session);
  });

  it('stored nothing undeclared and logged no errors', async () => {
    await expectStorageAuditPasses(session);
    expect(session.consoleErrors()).toEqual([]);
  });
});
