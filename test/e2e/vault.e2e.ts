/**
 * The master password in real Chromium and Firefox: created once per
 * subscription after sign-in, locked from any page, unlocked (wrong, then
 * right), locked by a browser restart, and never on disk in the clear: the
 * storage dump holds no message text, no data key and no password.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSERS } from './support/browsers';
import { sendRequest } from './support/requests';
import { restartBrowser } from './support/restart';
import { service } from './support/service-controls';
import { launchExtension, type ExtensionSession } from './support/session';
import { button, signInAs, waitForSignedIn, waitForText } from './support/sign-in';
import { expectStorageAuditPasses } from './support/storage-audit';
import type { StorageDump } from './support/storage-dump';
import { readMessages, writeMessage } from './support/vault-history';
import { pollFor } from './support/wait';

const PASSWORD = `e2e ${randomUUID().slice(0, 8)} horse battery`;
const CANARY = `vault-canary-${randomUUID()}`;
const CONVERSATION = 'e2e-conversation';

/** Password fields have no ARIA role in every browser; their label is their name. */
const field = (name: string) => `::-p-aria([name="${name}"])`;
const heading = (name: string) => `::-p-aria([name="${name}"][role="heading"])`;

/** `page.waitForSelector`, failing with what the page shows instead (input values are never part of it). */
async function shown(page: Page, selector: string, timeout = 30_000) {
  try {
    return (await page.waitForSelector(selector, { timeout }))!;
  } catch (error) {
    const text = await page.evaluate(() => `${location.pathname}: ${document.body.innerText}`).catch(() => '(unreadable)');
    throw new Error(`${(error as Error).message}\nThe page shows ${JSON.stringify(text)}`);
  }
}

async function typeInto(page: Page, name: string, text: string): Promise<void> {
  const input = await shown(page, field(name));
  await input.click({ count: 3 });
  await input.type(text);
}

async function click(page: Page, name: string): Promise<void> {
  await page.bringToFront();
  await (await shown(page, button(name))).click();
}

/** Base64 → the lowercase hex of the same bytes, so a key is searched for in both spellings. */
const hexOf = (base64: string) => Buffer.from(base64, 'base64').toString('hex');

/** Every stored value outside memory-backed storage.session, as searchable text (binary values appear decoded too). */
function onDisk(dump: StorageDump): string {
  const { session: _session, ...rest } = dump;
  return JSON.stringify(rest);
}

describe.each(BROWSERS)('%s: the master password', (name) => {
  let session: ExtensionSession;
  let popup: Page;
  let alice = '';
  let dataKey = '';

  const subscriptionHash = async () => {
    const reply = await sendRequest(session, 'auth.status', {});
    if (!reply.ok || !reply.data.subscriptionHash) throw new Error(`not signed in: ${JSON.stringify(reply)}`);
    return reply.data.subscriptionHash;
  };

  beforeAll(async () => {
    await service.reset();
    session = await launchExtension(name);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('asks a newly signed-in subscription to create a master password, which leaves history unlocked', async () => {
    popup = await signInAs(session, 'alice');
    alice = await subscriptionHash();
    await shown(popup, heading('Create your master password'));
    await waitForText(popup, 'If you forget it, your chat history cannot be recovered. You can reset it, which erases your history.');

    await typeInto(popup, 'Master password', 'password1');
    await waitForText(popup, 'Strength: weak');
    await typeInto(popup, 'Master password', PASSWORD);
    await typeInto(popup, 'Confirm master password', `${PASSWORD}x`);
    await click(popup, 'Create master password');
    await waitForText(popup, 'The two passwords do not match.');

    await typeInto(popup, 'Confirm master password', PASSWORD);
    await click(popup, 'Create master password');
    await shown(popup, button('Lock now'), 60_000);

    const dump = await session.dumpStorage();
    expect(dump.local).toMatchObject({ master_password_created: true, [`master_password_created_${alice}`]: true });
    dataKey = dump.session[`vault_key_${alice}`] as string;
    expect(Buffer.from(dataKey, 'base64')).toHaveLength(32);
  });

  it('keeps a message written through the history encrypted: no text, key or password on disk', async () => {
    await writeMessage(session, alice, CONVERSATION, `Hello from the e2e test, ${CANARY}`);
    expect(await readMessages(session, alice, CONVERSATION)).toEqual([`Hello from the e2e test, ${CANARY}`]);

    const dump = await session.dumpStorage();
    expect(dump.indexedDB.map((db) => db.name)).toContain(`expressai-history-${alice}`);
    const disk = onDisk(dump);
    for (const secret of [CANARY, PASSWORD, dataKey, hexOf(dataKey)]) expect(disk).not.toContain(secret);
    // Memory-backed session storage holds the key while unlocked, but never the text or the password.
    expect(JSON.stringify(dump.session)).not.toContain(CANARY);
    expect(JSON.stringify(dump.session)).not.toContain(PASSWORD);
    await expectStorageAuditPasses(session);
  });

  it('locks from one page and every open page shows the unlock screen at once', async () => {
    const sidePanel = await session.openPage('sidepanel.html');
    await shown(sidePanel, button('Lock now'));
    const settings = await session.openPage('options.html');
    await shown(settings, heading('Security'));
    await waitForText(settings, 'Your history is unlocked.');

    await click(sidePanel, 'Lock now');
    await shown(sidePanel, button('Unlock'));
    await popup.bringToFront();
    await shown(popup, button('Unlock'));
    await waitForText(settings, 'Your history is locked.');
    expect(await readMessages(session, alice, CONVERSATION)).toEqual({ error: 'vault_locked' });

    const dump = await session.dumpStorage();
    expect(dump.session).not.toHaveProperty(`vault_key_${alice}`);
    const all = JSON.stringify(dump);
    for (const secret of [CANARY, PASSWORD, dataKey, hexOf(dataKey)]) expect(all).not.toContain(secret);
    await sidePanel.close();
    await settings.close();
  });

  it('refuses a wrong password with a clear error and opens with the right one', async () => {
    const before = await session.dumpStorage();
    await typeInto(popup, 'Master password', 'not my master password');
    await click(popup, 'Unlock');
    await waitForText(popup, 'Wrong master password.');
    const after = await session.dumpStorage();
    // Nothing written but the failure count in storage.session.
    expect(onDisk(after)).toBe(onDisk(before));
    expect(after.session[`vault_unlock_throttle_${alice}`]).toMatchObject({ failures: 1 });

    await typeInto(popup, 'Master password', PASSWORD);
    await click(popup, 'Unlock');
    await shown(popup, button('Lock now'), 60_000);
    expect(await readMessages(session, alice, CONVERSATION)).toEqual([`Hello from the e2e test, ${CANARY}`]);
    expect((await session.dumpStorage()).session).not.toHaveProperty(`vault_unlock_throttle_${alice}`);
  });

  it('is locked after a browser restart: the unlock screen, not the create screen', async () => {
    session = await restartBrowser(session);
    const dump = await session.dumpStorage();
    expect(dump.session).not.toHaveProperty(`vault_key_${alice}`);
    expect(dump.local).toMatchObject({ [`master_password_created_${alice}`]: true });
    expect(await readMessages(session, alice, CONVERSATION)).toEqual({ error: 'vault_locked' });

    popup = await session.openPage('popup.html');
    await waitForSignedIn(popup, 'alice');
    await shown(popup, button('Unlock'));
    expect(await popup.$(button('Create master password'))).toBeNull();
    await typeInto(popup, 'Master password', PASSWORD);
    await click(popup, 'Unlock');
    await shown(popup, button('Lock now'), 60_000);
    expect(await readMessages(session, alice, CONVERSATION)).toEqual([`Hello from the e2e test, ${CANARY}`]);
  });

  it('locks on sign-out and gives a second subscription its own create prompt', async () => {
    // Signed out with no page open: a page asking for the account state while signOut runs can
    // restore the session it is removing (utils/auth/sign-out.ts writes the state before it clears the session).
    await popup.close();
    expect(await sendRequest(session, 'auth.signOut', {})).toMatchObject({ ok: true });
    // The background locks when it sees the account go.
    await pollFor(async () => ((await session.dumpStorage()).session[`vault_key_${alice}`] === undefined ? true : undefined), { what: 'the lock on sign-out' });
    popup = await session.openPage('popup.html');
    await shown(popup, button('Sign in'));
    expect(await popup.$(field('Master password'))).toBeNull();

    await signInAs(session, 'bob', popup);
    const bob = await subscriptionHash();
    expect(bob).not.toBe(alice);
    await shown(popup, heading('Create your master password'));
    const dump = await session.dumpStorage();
    expect(dump.local).not.toHaveProperty(`master_password_created_${bob}`);
    expect(dump.indexedDB.map((db) => db.name)).toContain(`expressai-history-${alice}`);
    expect(onDisk(dump)).not.toContain(CANARY);
  });

  it('stored nothing undeclared and logged no errors', async () => {
    await expectStorageAuditPasses(session);
    expect(session.consoleErrors()).toEqual([]);
  });
});
