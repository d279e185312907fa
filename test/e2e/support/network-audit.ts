/**
 * The network audit: every request the extension's targets make, so a test
 * can check that they all go to the service. What each browser lets us see:
 *
 * - Chromium: the DevTools Network domain on every target (service worker,
 *   pages, their workers), attached as targets appear. Requests a target made
 *   before the audit attached to it (the first instants of a worker that was
 *   just started) are not seen.
 * - Firefox: WebDriver BiDi's request events for every tab not showing a web page. BiDi does not
 *   expose the event page as a browsing context, so the event page is watched
 *   from inside through Resource Timing (`performance.getEntriesByType('resource')`,
 *   read through `runtime.getBackgroundPage()` from the harness tab), which
 *   lists every fetch it made, failed ones included. An event page that was
 *   unloaded takes its entries with it, so the test collects at each step.
 */
import type { CDPSession, Page, Target } from 'puppeteer';
import type { ExtensionSession } from './session';

export interface AuditedRequest {
  /** Which context made it: the page or worker URL, or "event page". */
  source: string;
  url: string;
}

export interface NetworkAudit {
  /** Every request seen so far (Firefox: the event page is read now). */
  requests(): Promise<AuditedRequest[]>;
  stop(): Promise<void>;
}

/** Requests that leave the extension for anything but `allowedOrigins` (its own files, data: and blob: URLs are fine). */
export function offOrigin(requests: readonly AuditedRequest[], session: ExtensionSession, allowedOrigins: readonly string[]): AuditedRequest[] {
  return requests.filter(({ url }) => {
    if (url.startsWith(session.baseUrl) || url.startsWith('data:') || url.startsWith('blob:')) return false;
    try {
      return !allowedOrigins.includes(new URL(url).origin);
    } catch {
      return true;
    }
  });
}

export function startNetworkAudit(session: ExtensionSession): Promise<NetworkAudit> {
  return session.name === 'chrome' ? chromeAudit(session) : firefoxAudit(session);
}

interface RequestWillBeSent {
  documentURL?: string;
  request: { url: string };
}

async function chromeAudit(session: ExtensionSession): Promise<NetworkAudit> {
  const seen: AuditedRequest[] = [];
  const sessions: CDPSession[] = [];
  const attached = new Set<Target>();
  const ours = (url: string | undefined) => !!url?.startsWith(session.baseUrl);

  const attach = async (target: Target) => {
    if (attached.has(target) || !['page', 'service_worker', 'background_page'].includes(target.type())) return;
    attached.add(target);
    try {
      const cdp = await target.createCDPSession();
      sessions.push(cdp);
      cdp.on('Network.requestWillBeSent', (event: RequestWillBeSent) => {
        // A tab can show a web page (the sign-in window) or ours; only our documents and workers count.
        const source = ours(target.url()) ? target.url() : ours(event.documentURL) ? event.documentURL! : undefined;
        if (source) seen.push({ source, url: event.request.url });
      });
      await cdp.send('Network.enable');
    } catch {
      // The target went away while attaching: it can make no more requests.
    }
  };
  const onTarget = (target: Target) => void attach(target);
  session.browser.on('targetcreated', onTarget);
  await Promise.all(session.browser.targets().map(attach));

  return {
    requests: async () => [...seen],
    async stop() {
      session.browser.off('targetcreated', onTarget);
      await Promise.all(sessions.map((s) => s.detach().catch(() => undefined)));
    },
  };
}

type BackgroundApi = { runtime: { getBackgroundPage(): Promise<Window | null> } };

/** The event page's resource entries (URL and start time), read from the harness tab; its buffer is widened on first read. */
function readEventPage(harness: Page): Promise<{ url: string; start: number; origin: number }[]> {
  return harness.evaluate(async () => {
    const page = await (globalThis as unknown as { browser: BackgroundApi }).browser.runtime.getBackgroundPage();
    if (!page) return [];
    page.performance.setResourceTimingBufferSize(100_000);
    return page.performance.getEntriesByType('resource').map((e) => ({ url: e.name, start: e.startTime, origin: page.performance.timeOrigin }));
  });
}

async function firefoxAudit(session: ExtensionSession): Promise<NetworkAudit> {
  const seen: AuditedRequest[] = [];
  const fromEventPage = new Map<string, AuditedRequest>();
  const watched = new Set<Page>();
  const watch = (page: Page) => {
    if (watched.has(page)) return;
    watched.add(page);
    page.on('request', (request) => {
      // A web page's tab is no extension target: here that is the sign-in window, whose last navigation goes
      // to the identity redirect (https://<id>.extensions.allizom.org/?code=…), which Firefox hands to the
      // extension without sending. BiDi reports stale URLs (about:blank) for extension tabs, so any tab that
      // does not show a web page is kept: stricter than "extension tabs only".
      const frameUrl = request.frame()?.url() ?? '';
      if (/^https?:/.test(frameUrl)) return;
      seen.push({ source: `tab ${frameUrl || '?'}`, url: request.url() });
    });
  };
  const onTarget = (target: Target) => void target.page().then((page) => page && watch(page), () => undefined);
  session.browser.on('targetcreated', onTarget);
  for (const page of await session.browser.pages()) watch(page);

  const collectEventPage = async () => {
    for (const entry of await readEventPage(session.harness).catch(() => [])) {
      fromEventPage.set(`${entry.origin}:${entry.start}:${entry.url}`, { source: 'event page', url: entry.url });
    }
  };
  await collectEventPage();

  return {
    async requests() {
      await collectEventPage();
      return [...seen, ...fromEventPage.values()];
    },
    async stop() {
      session.browser.off('targetcreated', onTarget);
    },
  };
}
