/**
 * The chat-ready popup and side panel (utils/chat-surfaces.ts, components/chat-page.tsx), in real Chromium and
 * Firefox: the background points the toolbar popup and the side panel (Firefox: sidebar) at `popup-chat.html` /
 * `sidepanel-chat.html` exactly while the chat is ready (signed in, history unlocked), and those pages open with a
 * live message box that the chat takes over, keeping what was typed. A page opened on a stale choice shows the truth.
 * Every scenario ends with the storage audit.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { HTTPRequest, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSERS } from './support/browsers';
import { ask, click, createMasterPassword, lastAnswer, unlockWith } from './support/chat-page';
import { sendRequest } from './support/requests';
import { service } from './support/service-controls';
import { launchExtension, POPUP_SIZE, SIDE_PANEL_SIZE, type ExtensionSession } from './support/session';
import { button, signInAs, textbox } from './support/sign-in';
import { expectStorageAuditPasses } from './support/storage-audit';
import { pollFor } from './support/wait';

const PASSWORD = `surfaces e2e ${randomUUID().slice(0, 8)} compass`;
/** A word in every question (quoted back by the dev model), never to be stored readably. */
const CANARY = `okapi${randomBytes(6).toString('hex')}`;

interface Surfaces {
  popup: string;
  panel: string;
}
const STATE_PAGES: Surfaces = { popup: 'popup.html', panel: 'sidepanel.html' };
const CHAT_PAGES: Surfaces = { popup: 'popup-chat.html', panel: 'sidepanel-chat.html' };

/** Password fields have no ARIA role in every browser; their label is their name. */
const field = (name: string) => `::-p-aria([name="${name}"])`;
const MESSAGE_BOXES = 'textarea[aria-label="Message"]';

/** What the page shows, for failure messages (input values are never part of it). */
async function shownText(page: Page): Promise<string> {
  return page.evaluate(() => `${location.pathname}: ${document.body.innerText}`).catch(() => '(unreadable)');
}

/**
 * What the toolbar popup and the side panel would open now, as paths from the extension's root. Read from the
 * harness tab: the popup and panel choice is browser-wide (no tab or window given), so any extension page sees
 * what the background set, and the harness stays up while a Chromium service worker comes and goes.
 */
function surfaces(session: ExtensionSession): Promise<Surfaces> {
  return session.harness.evaluate(async () => {
    type Api = {
      runtime: { getURL(path: string): string };
      action: { getPopup(details: object): Promise<string> };
      sidePanel?: { getOptions(options: object): Promise<{ path?: string }> };
      sidebarAction?: { getPanel(details: object): Promise<string> };
    };
    const g = globalThis as unknown as { browser?: Api; chrome?: Api };
    const api = (g.browser ?? g.chrome)!;
    const root = api.runtime.getURL('/');
    const relative = (p: string | undefined) => (p ?? '').replace(root, '').replace(/^\//, '');
    const panel = api.sidebarAction ? await api.sidebarAction.getPanel({}) : (await api.sidePanel!.getOptions({})).path;
    return { popup: relative(await api.action.getPopup({})), panel: relative(panel) };
  });
}

async function expectSurfaces(session: ExtensionSession, expected: Surfaces, when: string): Promise<void> {
  let seen: Surfaces | undefined;
  try {
    await pollFor(
      async () => {
        seen = await surfaces(session);
        return seen.popup === expected.popup && seen.panel === expected.panel ? true : undefined;
      },
      { what: `the popup and panel pages ${when}` },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}: expected ${JSON.stringify(expected)}, saw ${JSON.stringify(seen)}`, { cause: error });
  }
}

/** Waits until the chat has taken the frame's place: no `[data-chat-skeleton]`, `#app` shown, a Message box in it. */
async function waitForChatTakeover(page: Page): Promise<void> {
  try {
    await page.waitForSelector('::-p-aria(Message)');
    await page.waitForFunction(
      (boxes) => !document.querySelector('[data-chat-skeleton]') && !document.getElementById('app')!.hidden && !!document.querySelector(`#app ${boxes}`),
      { timeout: 30_000 },
      MESSAGE_BOXES,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\nThe page shows ${JSON.stringify(await shownText(page))}`, { cause: error });
  }
}

/** The Message boxes on the page, and whether the (only) one has the focus, its text and caret. */
function messageBoxes(page: Page) {
  return page.evaluate((selector) => {
    const boxes = [...document.querySelectorAll<HTMLTextAreaElement>(selector)];
    const box = boxes[0];
    return {
      count: boxes.length,
      inApp: !!box && !!box.closest('#app'),
      focused: !!box && document.activeElement === box,
      value: box?.value ?? '',
      caret: box ? [box.selectionStart, box.selectionEnd] : [],
    };
  }, MESSAGE_BOXES);
}

describe.each(BROWSERS)('%s: the chat-ready popup and side panel', (name) => {
  let session: ExtensionSession;

  /**
   * Makes the chat ready from whatever state an earlier scenario left (so a scenario also runs alone, with `-t`):
   * signs alice in on popup.html if needed, then creates or unlocks her history.
   */
  async function ensureChatReady(): Promise<void> {
    const now = await surfaces(session);
    if (now.popup === CHAT_PAGES.popup && now.panel === CHAT_PAGES.panel) return;
    const status = await sendRequest(session, 'auth.status', {});
    const page = status.ok && status.data.state === 'signed-in' ? await session.openPage('popup.html', POPUP_SIZE) : await signInAs(session, 'alice');
    const next = await pollFor(
      async () => {
        for (const label of ['Create master password', 'Unlock', 'Lock now']) if (await page.$(button(label))) return label;
        return undefined;
      },
      { what: 'the vault form or the chat' },
    );
    if (next === 'Create master password') await createMasterPassword(page, PASSWORD);
    else if (next === 'Unlock') await unlockWith(page, PASSWORD);
    await expectSurfaces(session, CHAT_PAGES, 'once the chat is ready');
    await page.close();
  }

  /** Closes every extension tab but the harness and the welcome tab, then signs out (no page may ask for the state meanwhile: see vault.e2e.ts). */
  async function signOut(): Promise<void> {
    const keep = new Set([session.harness]);
    for (const page of await session.browser.pages()) {
      if (keep.has(page)) continue;
      const href = await page.evaluate(() => location.href).catch(() => '');
      if (href.startsWith(session.baseUrl) && !href.endsWith('/welcome.html')) await page.close().catch(() => undefined);
    }
    expect(await sendRequest(session, 'auth.signOut', {})).toMatchObject({ ok: true });
  }

  beforeAll(async () => {
    await service.reset();
    session = await launchExtension(name);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('points the popup and the panel at the chat pages exactly while signed in with history unlocked', async () => {
    await expectSurfaces(session, STATE_PAGES, 'before sign-in');

    const popup = await signInAs(session, 'alice');
    await popup.waitForSelector(field('Master password'));
    // storage.session already says signed in (the page shows it); the vault is not created yet.
    expect(await surfaces(session)).toEqual(STATE_PAGES);

    await createMasterPassword(popup, PASSWORD);
    await expectSurfaces(session, CHAT_PAGES, 'after the master password was created');

    await click(popup, 'Lock now');
    await popup.waitForSelector(button('Unlock'));
    await expectSurfaces(session, STATE_PAGES, 'after "Lock now"');

    await unlockWith(popup, PASSWORD);
    await expectSurfaces(session, CHAT_PAGES, 'after unlocking again');

    await signOut();
    await expectSurfaces(session, STATE_PAGES, 'after sign-out');
    await expectStorageAuditPasses(session);
  });

  it('popup-chat.html: the chat takes over the frame, one focused Message box, and a question gets its streamed answer', async () => {
    await ensureChatReady();
    const page = await session.openPage('popup-chat.html', POPUP_SIZE);
    await waitForChatTakeover(page);
    await pollFor(async () => ((await messageBoxes(page)).focused ? true : undefined), { what: 'the Message box to have the focus' }).catch(async (error) => {
      throw new Error(`${(error as Error).message}: ${JSON.stringify(await messageBoxes(page))}`);
    });
    expect(await messageBoxes(page)).toMatchObject({ count: 1, inApp: true, focused: true });
    // The page's only stylesheet is the one written into it, allowed by its hash in the CSP: it applies.
    expect(
      await page.evaluate(() => ({
        links: document.querySelectorAll('link[rel="stylesheet"]').length,
        header: getComputedStyle(document.querySelector('.shell-header')!).display,
        composer: getComputedStyle(document.querySelector('.chat-composer')!).display,
      })),
    ).toEqual({ links: 0, header: 'flex', composer: 'flex' });

    await ask(page, `Hello from the chat-ready popup ${CANARY}`);
    const answer = await lastAnswer(page);
    expect(answer.status).toBe('complete');
    expect(answer.markdown).toContain(CANARY);
    await page.close();
    await expectStorageAuditPasses(session);
    expect(JSON.stringify(await session.dumpStorage())).not.toContain(CANARY);
  });

  // Chromium only: the page's script must be held back while a person types into the frame, which needs request
  // interception. In Firefox, WebDriver BiDi neither reports nor intercepts a moz-extension:// page's requests (tried
  // on an extension tab moved to popup-chat.html with interception on: no request ever arrives), and nothing else
  // can run in the tab before its script; typing "early" would race the takeover instead of testing it.
  it.runIf(name === 'chrome')('popup-chat.html: what was typed into the frame before the chat took over moves into the chat, with the focus, and sends', async () => {
    await ensureChatReady();
    const page = await session.browser.newPage();
    await page.setViewport(POPUP_SIZE);
    const held: HTTPRequest[] = [];
    let release = false;
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      // The page's entry script (and what it imports): until it runs, the frame is all there is.
      if (!release && request.resourceType() === 'script') held.push(request);
      else void request.continue().catch(() => undefined);
    });
    const loaded = page.goto(session.url('popup-chat.html'), { waitUntil: 'load', timeout: 60_000 });
    loaded.catch(() => undefined);
    await pollFor(async () => (held.length > 0 ? true : undefined), { what: "the page's script to be requested" });
    const frameBox = (await page.waitForSelector('[data-chat-skeleton] textarea'))!;
    expect(await page.evaluate(() => document.activeElement === document.querySelector('[data-chat-skeleton] textarea'))).toBe(true);
    const draft = `Typed before the chat ${CANARY}`;
    await page.keyboard.type(draft);
    expect(await frameBox.evaluate((box) => (box as HTMLTextAreaElement).value)).toBe(draft);
    expect(await page.$('#app textarea')).toBeNull();

    release = true;
    for (const request of held.splice(0)) await request.continue();
    await loaded;
    await waitForChatTakeover(page);
    expect(await messageBoxes(page)).toEqual({ count: 1, inApp: true, focused: true, value: draft, caret: [draft.length, draft.length] });

    // The chat knows the text (not just the DOM): Enter sends it.
    await page.keyboard.press('Enter');
    const answer = await lastAnswer(page);
    expect(answer.status).toBe('complete');
    expect(answer.markdown).toContain(CANARY);
    expect((await messageBoxes(page)).value).toBe('');
    await page.close();
    await expectStorageAuditPasses(session);
  });

  it('sidepanel-chat.html: the chat takes over the frame, one focused Message box, the conversation list and its search', async () => {
    await ensureChatReady();
    const page = await session.openPage('sidepanel-chat.html', SIDE_PANEL_SIZE);
    await waitForChatTakeover(page);
    await pollFor(async () => ((await messageBoxes(page)).focused ? true : undefined), { what: 'the Message box to have the focus' });
    expect(await messageBoxes(page)).toMatchObject({ count: 1, inApp: true, focused: true });
    await page.waitForSelector('::-p-aria([name="Conversations"][role="navigation"])');
    const search = (await page.waitForSelector('::-p-aria(Search conversations)'))!;
    expect(await search.evaluate((el) => !!el.closest('#app'))).toBe(true);
    expect(await page.$$eval('input[aria-label="Search conversations"]', (els) => els.length)).toBe(1);
    await page.close();
    await expectStorageAuditPasses(session);
  });

  it.runIf(name === 'chrome')('"Open side panel" opens sidepanel-chat.html while the chat is ready', async () => {
    await ensureChatReady();
    const popup = await session.openPage('popup-chat.html', POPUP_SIZE);
    await waitForChatTakeover(popup);
    const panelUrl = session.url('sidepanel-chat.html');
    expect(session.browser.targets().some((t) => t.url() === panelUrl)).toBe(false);
    await click(popup, 'Open side panel');
    const panel = (await (await session.browser.waitForTarget((t) => t.url() === panelUrl, { timeout: 15_000 })).asPage())!;
    await waitForChatTakeover(panel);
    await panel.waitForSelector(textbox('Message'));
    await popup.close();
    await expectStorageAuditPasses(session);
    // Closed, so that locking next does not reload it mid-audit.
    await panel.close();
    await pollFor(async () => (session.browser.targets().some((t) => t.url() === panelUrl) ? undefined : true), { what: 'the side panel to close' });
  });

  it('a chat page opened while history is locked (a stale choice) shows the unlock form, with no Message box or frame left', async () => {
    await ensureChatReady();
    const popup = await session.openPage('popup.html', POPUP_SIZE);
    await click(popup, 'Lock now').catch(async (error) => {
      throw new Error(`${(error as Error).message}\nThe page shows ${JSON.stringify(await shownText(popup))}`, { cause: error });
    });
    await popup.waitForSelector(button('Unlock'));
    await expectSurfaces(session, STATE_PAGES, 'after "Lock now"');
    await popup.close();

    const stale = await session.openPage('popup-chat.html', POPUP_SIZE);
    try {
      await stale.waitForSelector(field('Master password'));
      await stale.waitForSelector(button('Unlock'));
    } catch (error) {
      throw new Error(`${(error as Error).message}\nThe page shows ${JSON.stringify(await shownText(stale))}`, { cause: error });
    }
    expect(await stale.$('[data-chat-skeleton]')).toBeNull();
    expect(await stale.evaluate(() => document.getElementById('app')!.hidden)).toBe(false);
    expect((await messageBoxes(stale)).count).toBe(0);

    // The form works there: unlocking shows the chat, and points the toolbar at the chat pages again.
    await unlockWith(stale, PASSWORD);
    await stale.waitForSelector(textbox('Message'));
    expect((await messageBoxes(stale)).count).toBe(1);
    await expectSurfaces(session, CHAT_PAGES, 'after unlocking from the stale page');
    await stale.close();
    await expectStorageAuditPasses(session);
  });

  it('logged no errors', () => {
    expect(session.consoleErrors()).toEqual([]);
  });
});
