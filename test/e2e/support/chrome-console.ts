/**
 * Console errors in Chromium, from every page and the extension's service
 * worker. Each target gets its own CDP session: enabling Runtime and Log on a
 * fresh session replays what was logged before it attached, so errors thrown
 * while the background starts or a tab loads are not missed.
 */
import type { Browser, CDPSession, Target } from 'puppeteer';
import type { ConsoleError } from './session';

interface RemoteObject {
  value?: unknown;
  description?: string;
}

function render(args: RemoteObject[]): string {
  return args.map((a) => (typeof a.value === 'string' ? a.value : a.description ?? JSON.stringify(a.value))).join(' ');
}

export class ChromeConsoleCapture {
  private readonly errors: ConsoleError[] = [];
  private readonly attached = new WeakSet<Target>();
  /** Sessions on service workers: a worker with a debugger attached is never stopped by the browser. */
  private readonly workerSessions = new Map<Target, CDPSession>();

  /**
   * @param ignoredUrl the harness tab's URL: Chromium's image viewer styles
   *   itself inline, which our CSP blocks, and says so on every load.
   */
  constructor(
    browser: Browser,
    private readonly baseUrl: string,
    private readonly ignoredUrl: string,
  ) {
    browser.on('targetcreated', (t: Target) => void this.attach(t));
    for (const t of browser.targets()) void this.attach(t);
  }

  /** Detaches from the service workers so that one can be stopped; a new worker is watched when it starts. */
  async releaseServiceWorkers(): Promise<void> {
    const sessions = [...this.workerSessions.values()];
    this.workerSessions.clear();
    await Promise.all(sessions.map((cdp) => cdp.detach().catch(() => undefined)));
  }

  /** What was captured so far. */
  all(): ConsoleError[] {
    return [...this.errors];
  }

  private ours(target: Target): boolean {
    const url = target.url();
    return url.startsWith(this.baseUrl) && url !== this.ignoredUrl;
  }

  private async attach(target: Target): Promise<void> {
    const type = target.type();
    // Pages are watched whatever they show now: a tab may navigate into the extension later.
    const watched = type === 'page' || (['service_worker', 'shared_worker', 'worker'].includes(type) && target.url().startsWith(this.baseUrl));
    if (!watched || this.attached.has(target)) return;
    this.attached.add(target);
    const source: ConsoleError['source'] = type === 'page' ? 'page' : type === 'service_worker' ? 'background' : 'worker';
    try {
      const cdp = await target.createCDPSession();
      if (type === 'service_worker') this.workerSessions.set(target, cdp);
      cdp.on('Runtime.consoleAPICalled', (e: { type: string; args: RemoteObject[] }) => {
        if ((e.type === 'error' || e.type === 'assert') && this.ours(target)) {
          this.errors.push({ source, url: target.url(), text: render(e.args) });
        }
      });
      cdp.on('Runtime.exceptionThrown', (e: { exceptionDetails: { text: string; url?: string; exception?: RemoteObject } }) => {
        if (!this.ours(target)) return;
        const d = e.exceptionDetails;
        this.errors.push({ source, url: d.url || target.url(), text: d.exception?.description ?? d.text });
      });
      cdp.on('Log.entryAdded', (e: { entry: { level: string; text: string; url?: string } }) => {
        if (e.entry.level === 'error' && this.ours(target)) this.errors.push({ source, url: e.entry.url ?? target.url(), text: e.entry.text });
      });
      await Promise.all([cdp.send('Runtime.enable'), cdp.send('Log.enable')]);
    } catch {
      // The target closed before we could attach: nothing more can come from it.
    }
  }
}
