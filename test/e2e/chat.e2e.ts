/**
 * The chat in real Chromium and Firefox against the local service: streamed
 * answers rendered as markdown, stop, regenerate, edit, the popup closed
 * mid-answer, every stream fault the service injects, hostile markdown, the
 * side panel's list, and a session that ends. Every scenario ends with the
 * storage audit, and no prompt or answer is ever stored readably.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSERS } from './support/browsers';
import { answers, ask, click, createMasterPassword, lastAnswer, newChat, questions, unlockWith } from './support/chat-page';
import { service, tokenRequests } from './support/service-controls';
import { launchExtension, type ExtensionSession } from './support/session';
import { button, signInAs, startSignIn, completeProviderPages, textbox, waitForSignedIn, waitForText } from './support/sign-in';
import { expectStorageAuditPasses } from './support/storage-audit';
import { pollFor } from './support/wait';

const PASSWORD = `chat e2e ${randomUUID().slice(0, 8)} lantern`;
/** A word that appears in every question (and, quoted by the dev model, in every answer). */
const CANARY = `zebra${randomBytes(6).toString('hex')}`;
const aria = (role: string, name: string) => `::-p-aria([name="${name}"][role="${role}"])`;

/** A server that must never be asked for anything: hostile markdown points at it. */
async function startTrap(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe.each(BROWSERS)('%s: the chat', (name) => {
  let session: ExtensionSession;
  let popup: Page;

  /** Nothing undeclared is stored, and no question or answer is stored readably (storage.session included). */
  async function expectStorageClean(): Promise<void> {
    await expectStorageAuditPasses(session);
    expect(JSON.stringify(await session.dumpStorage())).not.toContain(CANARY);
  }

  async function reopenPopup(): Promise<void> {
    await popup.close();
    popup = await session.openPage('popup.html');
    await popup.waitForSelector(button('Lock now'));
  }

  beforeAll(async () => {
    await service.reset();
    session = await launchExtension(name);
    popup = await signInAs(session, 'alice');
    await createMasterPassword(popup, PASSWORD);
  });
  afterAll(async () => {
    await service.clearFaults().catch(() => undefined);
    await session?.close();
  });

  it('streams an answer and renders its markdown: headings, a list, a table, a code block with Copy', async () => {
    await popup.waitForSelector(aria('combobox', 'Model'));
    await waitForText(popup, 'Ask ExpressAI anything.');
    await ask(popup, `Please describe markdown tables ${CANARY}`);
    const answer = await lastAnswer(popup);
    expect(answer.status).toBe('complete');
    expect(answer.markdown).toContain('About your message');
    expect(answer.markdown).toContain(CANARY);
    const shape = await popup.evaluate(() => {
      const a = document.querySelectorAll('article[aria-label="ExpressAI answered"]')[0]!;
      return {
        headings: [...a.querySelectorAll('h2, h3')].map((h) => h.textContent),
        orderedItems: a.querySelectorAll('ol > li').length,
        tableRows: a.querySelectorAll('table tr').length,
        code: a.querySelector('pre code')?.textContent ?? '',
        copyButtons: [...a.querySelectorAll('button')].map((b) => b.textContent),
      };
    });
    expect(shape.headings).toEqual(['About your message', 'Words you used most', 'Word lengths', 'The same, as data']);
    expect(shape.orderedItems).toBe(5);
    expect(shape.tableRows).toBe(6);
    expect(shape.code).toContain('"turn": 1');
    // highlight.js and its JSON grammar load on demand (under the pages' CSP) and colour the code once it is shown.
    await popup.waitForSelector('article[aria-label="ExpressAI answered"] pre code .hljs-attr');
    expect(shape.copyButtons).toEqual(expect.arrayContaining(['Copy', 'Copy answer', 'Regenerate']));
    await click(popup, 'Copy');
    await waitForText(popup, 'Code copied');
    expect(await questions(popup)).toEqual([`Please describe markdown tables ${CANARY}`]);
    await expectStorageClean();
  });

  it('Escape stops an answer and keeps what arrived; Regenerate asks again; Edit rewords the question', async () => {
    await service.fault('chat', { type: 'slow', intervalMs: 250 });
    await ask(popup, `Tell me about stopping ${CANARY}`);
    await lastAnswer(popup, (a) => a.status === 'streaming' && a.markdown.length > 40);
    await popup.waitForSelector(button('Stop'));
    await popup.keyboard.press('Escape');
    const stopped = await lastAnswer(popup);
    expect(stopped.status).toBe('stopped');
    expect(stopped.text).toContain('Stopped.');
    expect(stopped.markdown.length).toBeGreaterThan(40);
    expect(stopped.markdown).not.toContain('Ask again with other words');

    const before = (await service.counters()).chatRequests;
    await click(popup, 'Regenerate');
    const regenerated = await lastAnswer(popup, (a) => a.status === 'complete');
    expect(regenerated.markdown).toContain('Ask again with other words');
    expect((await service.counters()).chatRequests).toBe(before + 1);
    expect(await answers(popup)).toHaveLength(2);

    await click(popup, 'Edit');
    const box = (await popup.waitForSelector(textbox('Message')))!;
    expect(await box.evaluate((el) => (el as HTMLTextAreaElement).value)).toBe(`Tell me about stopping ${CANARY}`);
    await box.click({ count: 3 });
    await popup.keyboard.press('Backspace');
    await box.type(`What about editing ${CANARY}`);
    await popup.keyboard.press('Enter');
    const edited = await lastAnswer(popup, (a) => a.status === 'complete' && a.markdown.includes('editing'));
    expect(edited.markdown).toContain('This is message 2 of the conversation');
    expect(await questions(popup)).toEqual([`Please describe markdown tables ${CANARY}`, `What about editing ${CANARY}`]);
    expect(await answers(popup)).toHaveLength(2);

    // The history holds the edited conversation: it comes back the same after the popup closes.
    await reopenPopup();
    await lastAnswer(popup, (a) => a.status === 'complete');
    expect(await questions(popup)).toEqual([`Please describe markdown tables ${CANARY}`, `What about editing ${CANARY}`]);
    await expectStorageClean();
  });

  it('finishes a slow answer while the popup is closed: reopened, the whole answer is there', async () => {
    // 59 chunks 700 ms apart: longer than the 30 s a background may idle before the browser stops it.
    await newChat(popup);
    await service.fault('chat', { type: 'slow', intervalMs: 700 });
    await ask(popup, `Write slowly please ${CANARY}`);
    await lastAnswer(popup, (a) => a.status === 'streaming' && a.markdown.length > 0);
    await popup.close();

    // Reopened while it still streams: it goes on live.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    popup = await session.openPage('popup.html');
    const live = await lastAnswer(popup, (a) => a.status === 'streaming' && a.markdown.length > 0);
    expect(live.markdown).not.toContain('Ask again with other words');
    await popup.close();

    await new Promise((resolve) => setTimeout(resolve, 40_000));
    popup = await session.openPage('popup.html');
    const done = await lastAnswer(popup, (a) => a.status !== 'streaming', 30_000);
    expect(done.status).toBe('complete');
    expect(done.markdown).toContain('Ask again with other words');
    expect(await questions(popup)).toEqual([`Write slowly please ${CANARY}`]);
    await expectStorageClean();
  }, 150_000);

  it('an answer whose background is stopped mid-stream reads back interrupted, with its partial text and Retry', async () => {
    await newChat(popup);
    await service.fault('chat', { type: 'slow', intervalMs: 300 });
    await ask(popup, `Survive a restart ${CANARY}`);
    await lastAnswer(popup, (a) => a.status === 'streaming' && a.markdown.length > 150);
    // Partial answers are saved at most once a second: let one save happen.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const before = (await answers(popup)).at(-1)!.markdown;
    await session.restartBackground();

    // The page reconnects by itself and shows what was saved.
    const interrupted = await lastAnswer(popup, (a) => a.status !== 'streaming');
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.alert).toContain('The connection dropped before the answer was finished.');
    expect(interrupted.markdown.length).toBeGreaterThan(100);
    expect(before.startsWith(interrupted.markdown.slice(0, 100))).toBe(true);
    await click(popup, 'Retry');
    const retried = await lastAnswer(popup, (a) => a.status === 'complete');
    expect(retried.markdown).toContain('Ask again with other words');
    expect(await answers(popup)).toHaveLength(1);
    await expectStorageClean();
  }, 120_000);

  it('shows each stream fault in plain words, keeps the partial text, and recovers with Retry', async () => {
    await newChat(popup);

    await service.fault('chat', { type: 'cut', afterChunks: 10 });
    await ask(popup, `Cut me off ${CANARY}`);
    const cut = await lastAnswer(popup);
    expect(cut.status).toBe('interrupted');
    expect(cut.text).toContain('Interrupted');
    expect(cut.alert).toContain('The connection dropped before the answer was finished.');
    expect(cut.markdown).toContain('About your message');
    await click(popup, 'Retry');
    expect((await lastAnswer(popup, (a) => a.status !== 'streaming' && a.status !== 'interrupted')).status).toBe('complete');

    await service.fault('chat', { type: 'status', status: 500 });
    await ask(popup, `Fail on the server ${CANARY}`);
    const failed = await lastAnswer(popup);
    expect(failed).toMatchObject({ status: 'failed', markdown: '' });
    expect(failed.alert).toContain('ExpressAI had a problem answering. Try again in a moment.');
    await click(popup, 'Retry');
    expect((await lastAnswer(popup, (a) => a.status === 'complete')).markdown).toContain('Fail');

    await service.fault('chat', { type: 'status', status: 429, retryAfterSeconds: 4 });
    await ask(popup, `Too many of these ${CANARY}`);
    const limited = await lastAnswer(popup);
    expect(limited.status).toBe('failed');
    expect(limited.alert).toMatch(/ExpressAI is getting too many requests right now\. Try again in [1-4] seconds?\./);
    const retry = (await popup.waitForSelector(button('Retry')))!;
    expect(await retry.evaluate((b) => (b as HTMLButtonElement).disabled)).toBe(true);
    await waitForText(popup, 'You can try again now.');
    await retry.click();
    expect((await lastAnswer(popup, (a) => a.status === 'complete')).markdown).toContain('Too');

    // The dev model's first event carries no text, so a garbled stream has none to keep.
    await service.fault('chat', { type: 'malformed' });
    await ask(popup, `Garble this ${CANARY}`);
    const garbled = await lastAnswer(popup);
    expect(garbled.status).toBe('failed');
    expect(garbled.alert).toContain('The answer arrived garbled, so ExpressAI stopped reading it.');
    await click(popup, 'Retry');
    await lastAnswer(popup, (a) => a.status === 'complete');

    // A rejected token is refreshed once, silently, and the question goes through.
    const refreshes = await tokenRequests('refresh_token');
    await service.fault('chat', { type: 'status', status: 401 });
    await ask(popup, `Refresh quietly ${CANARY}`);
    const refreshed = await lastAnswer(popup);
    expect(refreshed.status).toBe('complete');
    expect(await tokenRequests('refresh_token')).toBe(refreshes + 1);
    expect(await popup.$('[role="alert"]')).toBeNull();
    await expectStorageClean();
  });

  it('renders a hostile answer inertly: no script runs, nothing is fetched', async () => {
    const trap = await startTrap();
    const dialogs: string[] = [];
    const requests: string[] = [];
    const onDialog = (d: { message(): string; dismiss(): Promise<void> }) => {
      dialogs.push(d.message());
      void d.dismiss();
    };
    const onRequest = (r: { url(): string }) => requests.push(r.url());
    popup.on('dialog', onDialog);
    popup.on('request', onRequest);
    const cdp = name === 'chrome' ? await watchChromeTargets(session, requests) : undefined;
    try {
      await newChat(popup);
      const T = trap.url;
      const hostile = `![i](${T}/md.png) <img src=${T}/raw.png onerror=alert(1)> [j](javascript:alert(2)) <script>alert(3)</script> <${T}/auto>`;
      // The dev model quotes the first line, up to 200 characters.
      expect(`${hostile} ${CANARY}`.length).toBeLessThan(200);
      await ask(popup, `${hostile} ${CANARY}`);
      const answer = await lastAnswer(popup);
      expect(answer.status).toBe('complete');
      expect(answer.markdown).toContain('onerror=alert(1)'); // shown as text
      const dom = await popup.evaluate(() => {
        const a = [...document.querySelectorAll('article[aria-label="ExpressAI answered"]')].at(-1)!;
        return {
          active: a.querySelectorAll('img, script, iframe, object, embed, style, svg').length,
          hrefs: [...a.querySelectorAll('a[href]')].map((l) => l.getAttribute('href')),
        };
      });
      expect(dom.active).toBe(0);
      expect(dom.hrefs.filter((h) => !/^https:|^mailto:/.test(h ?? ''))).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(dialogs).toEqual([]);
      expect(trap.hits).toEqual([]);
      expect(requests.filter((u) => u.startsWith(T) || u.startsWith('javascript:'))).toEqual([]);
    } finally {
      popup.off('dialog', onDialog);
      popup.off('request', onRequest);
      await cdp?.();
      await trap.close();
    }
    await expectStorageClean();
  });

  it('the side panel lists, searches, opens, renames and deletes conversations, in step with the popup', async () => {
    const panel = await session.openPage('sidepanel.html');
    const list = (await panel.waitForSelector(aria('navigation', 'Conversations')))!;
    await waitForText(panel, 'Write slowly please');
    await waitForText(panel, `Please describe markdown tables ${CANARY}`);

    const search = (await panel.waitForSelector(aria('searchbox', 'Search conversations')))!;
    await search.type('editing');
    await pollFor(async () => ((await listTitles(panel)).length === 1 ? true : undefined), { what: 'one search result' });
    expect(await listTitles(panel)).toEqual([`Please describe markdown tables ${CANARY}`]);
    await search.click({ count: 3 });
    await panel.keyboard.press('Backspace');
    await pollFor(async () => ((await listTitles(panel)).length >= 3 ? true : undefined), { what: 'the whole list again' });

    // Open the conversation the popup shows; a question asked in the popup streams into the panel too.
    await popup.bringToFront();
    await newChat(popup);
    await ask(popup, `Asked in the popup ${CANARY}`);
    await panel.bringToFront();
    await waitForText(panel, `Asked in the popup ${CANARY}`);
    await (await list.waitForSelector(`::-p-text(Asked in the popup)`))!.click();
    const mirrored = await lastAnswer(panel, (a) => a.status === 'complete');
    expect(mirrored.markdown).toContain('Asked');
    await popup.bringToFront();
    await ask(popup, `And a follow-up ${CANARY}`);
    await panel.bringToFront();
    expect((await lastAnswer(panel, (a) => a.status === 'complete' && a.markdown.includes('follow'))).markdown).toContain('message 2 of the conversation');

    // Rename from the panel.
    const item = (await panel.waitForSelector(`.chat-list-items li.is-current`))!;
    await (await item.waitForSelector(button('Rename')))!.click();
    const nameBox = (await panel.waitForSelector(aria('textbox', 'Conversation name')))!;
    await nameBox.click({ count: 3 });
    await nameBox.type('Popup and panel');
    await panel.keyboard.press('Enter');
    await waitForText(panel, 'Popup and panel');

    // Delete, after confirming.
    await (await (await panel.waitForSelector(`.chat-list-items li.is-current`))!.waitForSelector(button('Delete')))!.click();
    await waitForText(panel, 'Delete this conversation?');
    await click(panel, 'Delete conversation');
    await pollFor(async () => (!(await listTitles(panel)).includes('Popup and panel') ? true : undefined), { what: 'the deleted conversation to leave the list' });
    await panel.close();
    await expectStorageClean();
  });

  it('a session that ends mid-chat says so, and keeps the draft and the history', async () => {
    await reopenPopup();
    const draft = `Unsent draft ${CANARY}`;
    const box = (await popup.waitForSelector(textbox('Message')))!;
    await box.type(draft);
    const panel = await session.openPage('sidepanel.html');
    await newChat(panel);
    await service.endSessions();
    // Not `ask`: the page may swap the chat for the sign-in prompt before a poll ever sees the question.
    const panelBox = (await panel.waitForSelector(textbox('Message')))!;
    await panelBox.type(`This one will not go through ${CANARY}`);
    await panel.keyboard.press('Enter');
    await waitForText(panel, 'Your session has ended — sign in again.');
    await popup.bringToFront();
    await waitForText(popup, 'Your session has ended — sign in again.');
    await expectStorageClean();

    // Signing in again and unlocking brings back the conversations and the draft.
    await panel.close();
    const auth = await startSignIn(session, popup);
    await completeProviderPages(auth, 'alice');
    await waitForSignedIn(popup, 'alice');
    await unlockWith(popup, PASSWORD);
    await pollFor(async () => ((await popup.$eval(textbox('Message'), (el) => (el as HTMLTextAreaElement).value)) === draft ? true : undefined), {
      what: 'the draft to come back',
    });
    const reopened = await session.openPage('sidepanel.html');
    await waitForText(reopened, `Please describe markdown tables ${CANARY}`);
    await reopened.close();
    await expectStorageClean();
  }, 180_000);

  it('logged no errors', () => {
    expect(session.consoleErrors()).toEqual([]);
  });
});

async function listTitles(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('.chat-list-open')].map((b) => (b as HTMLElement).innerText));
}

/** Records every request of every extension target in Chromium (pages and the service worker); returns a stop function. */
async function watchChromeTargets(session: ExtensionSession, into: string[]): Promise<() => Promise<void>> {
  const targets = session.browser.targets().filter((t) => t.url().startsWith(session.baseUrl));
  const sessions = await Promise.all(
    targets.map(async (t) => {
      const cdp = await t.createCDPSession();
      cdp.on('Network.requestWillBeSent', (e: { request: { url: string } }) => into.push(e.request.url));
      await cdp.send('Network.enable');
      return cdp;
    }),
  );
  return async () => {
    await Promise.all(sessions.map((s) => s.detach().catch(() => undefined)));
  };
}
