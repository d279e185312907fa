/**
 * Settings' privacy promises in real Chromium and Firefox against the local
 * service: with diagnostics off a whole session sends no report; switched on,
 * the report that arrives is the one previewed and carries no cookie and no
 * Authorization header; switched off, nothing waits to be sent; every request
 * of every extension target goes to the service only; WebRTC protection
 * changes the browser setting and gives it back; "Export my data" downloads
 * the conversations, and "Erase everything" leaves the extension as new.
 * Every scenario ends with the storage audit.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportDocument } from '../../utils/privacy/export-document';
import { BROWSERS, E2E_DIAGNOSTICS_DELAY_MS } from './support/browsers';
import { ask, click, createMasterPassword, lastAnswer, typeInto, unlockWith } from './support/chat-page';
import { offOrigin, startNetworkAudit, type AuditedRequest, type NetworkAudit } from './support/network-audit';
import { allowPermissionPrompt } from './support/permission-prompt';
import { sendRequest } from './support/requests';
import { service, serviceUrl } from './support/service-controls';
import { launchExtension, type ExtensionSession } from './support/session';
import { button, signInAs, waitForText } from './support/sign-in';
import { expectStorageAuditPasses } from './support/storage-audit';
import { pollFor } from './support/wait';

const PASSWORD = `privacy e2e ${randomUUID().slice(0, 8)} meadow`;
const CANARY = `otter${randomBytes(6).toString('hex')}`;
const DIAGNOSTICS = 'Send anonymous diagnostics';
const WEBRTC = 'Block WebRTC IP leaks';
const aSwitch = (name: string) => `::-p-aria([name="${name}"][role="switch"])`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface LastDiagnostics {
  last: { body: unknown; text: string; hadCookie: boolean; hadAuthorization: boolean } | null;
}
const lastDiagnostics = async () => (await (await fetch(`${serviceUrl()}/__test/diagnostics`)).json()) as LastDiagnostics;

/** A server nothing should ever ask; it answers with CORS allowed, so a request to it completes and shows in every log. */
async function startTrap(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(204, { 'Access-Control-Allow-Origin': '*' }).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) };
}

/** Whether the switch is on, once no change is in progress. */
async function switchSettled(page: Page, name: string): Promise<boolean> {
  await page.bringToFront();
  const handle = (await page.waitForSelector(aSwitch(name)))!;
  return pollFor(
    () => handle.evaluate((el) => (el.getAttribute('aria-busy') || (el as HTMLInputElement).disabled ? undefined : (el as HTMLInputElement).checked)),
    { what: `the switch "${name}" to settle` },
  );
}

/** `afterClick`: what the click sets off that must be dealt with before the switch can settle (a permission prompt). */
async function flip(page: Page, name: string, to: boolean, afterClick?: () => Promise<void>): Promise<void> {
  await page.bringToFront();
  expect(await switchSettled(page, name)).toBe(!to);
  await (await page.waitForSelector(aSwitch(name)))!.click();
  await afterClick?.();
  await pollFor(async () => ((await switchSettled(page, name)) === to ? true : undefined), { what: `"${name}" to turn ${to ? 'on' : 'off'}` });
}

/** The bodies "Preview the next report" shows now, exactly as displayed. */
const previewBodies = (page: Page) => page.evaluate(() => [...document.querySelectorAll('#next-report pre')].map((pre) => pre.textContent ?? ''));

/** The extension's view of the browser's WebRTC policy, read from an extension page (needs the `privacy` permission). */
function readWebRtcPolicy(page: Page) {
  return page.evaluate(async () => {
    type Api = { privacy?: { network: { webRTCIPHandlingPolicy: { get(d: object): Promise<{ value: string; levelOfControl: string }> } } } };
    const api = ((globalThis as { browser?: Api }).browser ?? (globalThis as { chrome?: Api }).chrome)!;
    const setting = await api.privacy?.network.webRTCIPHandlingPolicy.get({});
    return setting ? { value: setting.value, levelOfControl: setting.levelOfControl } : null;
  });
}

function hasPermission(page: Page, permissions: { permissions?: string[]; data_collection?: string[] }) {
  return page.evaluate(async (p) => {
    type Api = { permissions: { contains(p: object): Promise<boolean> } };
    return ((globalThis as { browser?: Api }).browser ?? (globalThis as { chrome?: Api }).chrome)!.permissions.contains(p);
  }, permissions);
}

describe.each(BROWSERS)('%s: privacy controls', (name) => {
  let session: ExtensionSession;
  let audit: NetworkAudit;
  let popup: Page;
  let settings: Page;
  let downloads: string;
  /** Every request the audit saw, gathered after each scenario (Firefox's event page may unload and take its log with it). */
  const seen = new Map<string, AuditedRequest>();
  const gather = async () => {
    for (const r of await audit.requests()) seen.set(`${r.source} ${r.url} ${seen.size}`, r);
  };
  const offService = () => offOrigin([...seen.values()], session, [new URL(serviceUrl()).origin]);

  beforeAll(async () => {
    await service.reset();
    downloads = mkdtempSync(path.join(os.tmpdir(), 'expressai-e2e-downloads-'));
    // Headed Chromium (on its own Xvfb display), so the WebRTC case can answer the `privacy` permission prompt.
    session = await launchExtension(name, { downloadDir: downloads, nativeDialogs: true });
    audit = await startNetworkAudit(session);
  });
  afterAll(async () => {
    await audit?.stop();
    await service.clearFaults().catch(() => undefined);
    await session?.close();
    rmSync(downloads, { recursive: true, force: true });
  });

  it('with diagnostics off (the default), a whole session sends no report', async () => {
    popup = await signInAs(session, 'alice');
    await createMasterPassword(popup, PASSWORD);
    await ask(popup, `Hello from the privacy test ${CANARY}`);
    expect((await lastAnswer(popup)).status).toBe('complete');
    await click(popup, 'Lock now');
    await popup.waitForSelector(button('Unlock'));
    await unlockWith(popup, PASSWORD);
    settings = await session.openPage('options.html');
    expect(await switchSettled(settings, DIAGNOSTICS)).toBe(false);
    await click(settings, 'Preview the next report');
    await waitForText(settings, 'Diagnostics are off: nothing is recorded and nothing will be sent.');

    // Past the longest random delay a report waits in this build: had one been due, it would have gone.
    await sleep(E2E_DIAGNOSTICS_DELAY_MS.max + 3_000);
    expect((await service.counters()).diagnosticsReceived).toBe(0);
    expect((await lastDiagnostics()).last).toBeNull();
    expect(Object.keys((await session.dumpStorage()).local).filter((key) => key.startsWith('diagnostics_'))).toEqual([]);
    await gather();
    await expectStorageAuditPasses(session);
  });

  it('switched on: the report that arrives is the one previewed, with no cookie and no Authorization header', async () => {
    await flip(settings, DIAGNOSTICS, true);
    expect((await session.dumpStorage()).local).toMatchObject({ diagnostics_enabled: true });
    if (name === 'firefox') expect(await hasPermission(session.harness, { data_collection: ['technicalAndInteraction'] })).toBe(true);

    // The report is held at the service for a while, so the preview can be read while it is on its way.
    await service.fault('diagnostics', { type: 'delay', ms: 12_000 });
    await service.fault('chat', { type: 'status', status: 500 });
    await ask(popup, `This one fails ${CANARY}`);
    expect((await lastAnswer(popup)).status).toBe('failed');

    await settings.bringToFront();
    let previewed: string[] = [];
    await pollFor(
      async () => {
        const bodies = await previewBodies(settings);
        // Read before asking the service, so a preview kept here was shown before the report arrived.
        if ((await service.counters()).diagnosticsReceived > 0) return true;
        if (bodies.length > 0) previewed = bodies;
        return undefined;
      },
      { what: 'the report to arrive at the service', timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(previewed.length).toBeGreaterThan(0);
    const { last } = await lastDiagnostics();
    expect(last).not.toBeNull();
    expect(last!.text).toBe(previewed[0]);
    expect(last!.hadCookie).toBe(false);
    expect(last!.hadAuthorization).toBe(false);
    const report = JSON.parse(previewed[0]!) as { failures: Record<string, number> };
    expect(report.failures.http5xx).toBe(1);
    expect(previewed[0]).not.toContain(CANARY);
    expect(previewed[0]).not.toContain('alice');
    // "Sent reports" lists it, exactly as sent.
    await waitForText(settings, 'Sent on ');
    expect(await settings.evaluate(() => [...document.querySelectorAll('[aria-labelledby="sent-reports-heading"] pre')].map((p) => p.textContent))).toEqual([previewed[0]]);
    await gather();
    await expectStorageAuditPasses(session);
  });

  it('switched off again: the counts and the queue are gone at once', async () => {
    // Today's report went out, so new counts wait for tomorrow's.
    await service.fault('chat', { type: 'status', status: 500 });
    await ask(popup, `This one fails too ${CANARY}`);
    expect((await lastAnswer(popup)).status).toBe('failed');
    await settings.bringToFront();
    await pollFor(async () => ((await previewBodies(settings)).length > 0 ? true : undefined), { what: 'the next report in the preview' });
    const before = (await session.dumpStorage()).local;
    expect(before).toHaveProperty('diagnostics_counters');
    expect(before).toHaveProperty('diagnostics_queue');

    await flip(settings, DIAGNOSTICS, false);
    const after = (await session.dumpStorage()).local;
    for (const key of ['diagnostics_enabled', 'diagnostics_counters', 'diagnostics_queue']) expect(after).not.toHaveProperty(key);
    // The 7-day log of what was sent stays until cleared.
    expect(after).toHaveProperty('diagnostics_sent');
    await waitForText(settings, 'Diagnostics are off: nothing is recorded and nothing will be sent.');
    if (name === 'firefox') expect(await hasPermission(session.harness, { data_collection: ['technicalAndInteraction'] })).toBe(false);
    expect((await service.counters()).diagnosticsReceived).toBe(1);
    await gather();
    await expectStorageAuditPasses(session);
  });

  it('"Block WebRTC IP leaks" changes the browser setting, and back', async () => {
    // The `privacy` permission is asked for from the click: Firefox grants it by pref, Chromium's dialog is answered "Allow".
    const privacyGranted = () => hasPermission(session.harness, { permissions: ['privacy'] });
    await flip(settings, WEBRTC, true, () => allowPermissionPrompt(session, settings, privacyGranted));
    expect(await readWebRtcPolicy(session.harness)).toEqual({ value: 'disable_non_proxied_udp', levelOfControl: 'controlled_by_this_extension' });

    await flip(settings, WEBRTC, false);
    // Switched off, the permission is given back too, so the setting can no longer even be read...
    expect(await privacyGranted()).toBe(false);
    // ...until it is granted again (the switch on, then a look before switching off would change it): ask from a click, read, give back.
    await settings.evaluate(() => {
      type Api = {
        permissions: { request(p: object): Promise<boolean>; remove(p: object): Promise<boolean> };
        privacy?: { network: { webRTCIPHandlingPolicy: { get(d: object): Promise<{ value: string; levelOfControl: string }> } } };
      };
      const api = ((globalThis as { browser?: Api }).browser ?? (globalThis as { chrome?: Api }).chrome)!;
      const probe = document.createElement('button');
      probe.textContent = 'e2e: read the WebRTC policy';
      probe.addEventListener('click', () => {
        void api.permissions.request({ permissions: ['privacy'] }).then(async (granted) => {
          const setting = granted ? await api.privacy?.network.webRTCIPHandlingPolicy.get({}) : undefined;
          await api.permissions.remove({ permissions: ['privacy'] });
          probe.dataset.result = JSON.stringify(setting ? { value: setting.value, levelOfControl: setting.levelOfControl } : null);
        });
      });
      document.body.append(probe);
    });
    await click(settings, 'e2e: read the WebRTC policy');
    // Chromium grants again without asking what it granted once; Firefox is asked (and grants by pref).
    const probed = () => settings.evaluate(() => document.querySelector<HTMLElement>('button[data-result]')?.dataset.result);
    await allowPermissionPrompt(session, settings, async () => (await probed()) !== undefined);
    const result = await settings.waitForFunction(() => document.querySelector<HTMLElement>('button[data-result]')?.dataset.result);
    expect(JSON.parse((await result.jsonValue())!)).toEqual({ value: 'default', levelOfControl: 'controllable_by_this_extension' });
    await settings.evaluate(() => document.querySelector('button[data-result]')?.remove());
    expect(await switchSettled(settings, WEBRTC)).toBe(false);
    await gather();
    await expectStorageAuditPasses(session);
  });

  it('"Export my data" downloads the conversations (unlocking first) with no secret; "Erase everything" leaves the extension as new', async () => {
    await click(popup, 'Lock now');
    await popup.waitForSelector(button('Unlock'));
    await click(settings, 'Export my data');
    await waitForText(settings, 'Your history is locked. Enter your master password to export it.');
    await typeInto(settings, 'Master password', PASSWORD);
    await click(settings, 'Unlock');
    await waitForText(settings, 'Your data was saved as expressai-export-');

    const file = await pollFor(
      async () => readdirSync(downloads).find((f) => /^expressai-export-\d{4}-\d{2}-\d{2}\.json$/.test(f) && readFileSync(path.join(downloads, f), 'utf8').endsWith('}')),
      { what: 'the exported file in the download folder' },
    );
    const text = readFileSync(path.join(downloads, file), 'utf8');
    const exported = JSON.parse(text) as ExportDocument;
    expect(exported).toMatchObject({ format: 'expressai-export', version: 1, account: { email: 'alice@example.com' } });
    expect(exported.settings).toMatchObject({ provider: { kind: 'expressai' }, diagnosticsEnabled: false, blockWebRtcIpLeaks: null });
    const messages = exported.conversations.flatMap((c) => c.messages);
    expect(messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(
      expect.arrayContaining([`Hello from the privacy test ${CANARY}`, `This one fails ${CANARY}`, `This one fails too ${CANARY}`]),
    );
    expect(messages.some((m) => m.role === 'assistant' && m.content.includes(CANARY))).toBe(true);
    const dump = await session.dumpStorage();
    const status = await sendRequest(session, 'auth.status', {});
    const hash = status.ok ? status.data.subscriptionHash! : '';
    const secrets = [hash, dump.session[`vault_key_${hash}`] as string, (dump.session.auth_tokens as { accessToken: string }).accessToken, PASSWORD];
    for (const secret of secrets) expect(secret && text.includes(secret)).toBe(false);

    const revocations = (await service.counters()).revocations;
    await click(settings, 'Erase everything');
    await click(settings, 'Erase');
    await waitForText(settings, 'Everything was erased. ExpressAI is as it was when first installed.');
    expect((await service.counters()).revocations).toBeGreaterThan(revocations);
    const erased = await session.dumpStorage();
    // Session storage keeps only "signed out" (with its sign-out counter), so no refresh still in flight can sign back in.
    const { auth_status: signedOut, ...restOfSession } = erased.session;
    expect(signedOut).toMatchObject({ state: 'signed-out' });
    expect(Object.keys(signedOut as object).sort()).toEqual(['epoch', 'state']);
    expect({ ...erased, session: restOfSession, unreadable: [] }).toEqual({
      local: {},
      session: {},
      sync: {},
      localStorage: {},
      sessionStorage: {},
      indexedDB: [],
      cacheStorage: {},
      opfs: [],
      unreadable: [],
    });
    expect(erased.unreadable).toEqual([]);

    // As new: signed out, and signing in again asks to create a master password.
    await popup.bringToFront();
    await popup.waitForSelector(button('Sign in'));
    await signInAs(session, 'alice', popup);
    await popup.waitForSelector('::-p-aria([name="Create your master password"][role="heading"])');
    expect(await switchSettled(settings, DIAGNOSTICS)).toBe(false);
    await gather();
    await expectStorageAuditPasses(session);
  });

  it('network audit: every request of every extension target went to the service, and a request elsewhere would be caught', async () => {
    await gather();
    const requests = [...seen.values()];
    expect(requests.some((r) => r.url.startsWith(`${serviceUrl()}/v1/chat/completions`))).toBe(true);
    expect(requests.some((r) => r.url.startsWith(`${serviceUrl()}/v1/diagnostics`))).toBe(true);
    expect(offService()).toEqual([]);

    // The audit can fail: a page and the background each ask another origin.
    const trap = await startTrap();
    try {
      await settings.evaluate((url) => fetch(url).then(() => undefined), `${trap.url}/from-settings`);
      if (name === 'chrome') {
        const target = session.browser.targets().find((t) => t.type() === 'service_worker' && t.url().startsWith(session.baseUrl));
        const worker = await target?.worker();
        if (!worker) throw new Error('no service worker to fetch from');
        await worker.evaluate((url) => fetch(url).then(() => undefined), `${trap.url}/from-background`);
      } else {
        await session.harness.evaluate(async (url) => {
          type Api = { runtime: { getBackgroundPage(): Promise<Window | null> } };
          const page = await (globalThis as unknown as { browser: Api }).browser.runtime.getBackgroundPage();
          await page!.fetch(url);
        }, `${trap.url}/from-background`);
      }
      const caught = await pollFor(
        async () => {
          await gather();
          const urls = offService().map((r) => r.url);
          return urls.includes(`${trap.url}/from-settings`) && urls.includes(`${trap.url}/from-background`) ? urls : undefined;
        },
        { what: 'the audit to see both requests to the other origin' },
      );
      expect(caught.sort()).toEqual([`${trap.url}/from-background`, `${trap.url}/from-settings`]);
    } finally {
      await trap.close();
    }
    await expectStorageAuditPasses(session);
    expect(session.consoleErrors()).toEqual([]);
  });
});
