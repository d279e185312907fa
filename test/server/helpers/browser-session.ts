/**
 * Plays the browser's part of a sign-in with plain fetch: a cookie jar,
 * manual redirects, and the sign-in and consent forms submitted the way a
 * person would, found by their button names.
 */
export class BrowserSession {
  readonly #cookies = new Map<string, string>();

  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size) headers.set('Cookie', [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    headers.set('Accept', 'text/html');
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    return response;
  }

  /**
   * Follows redirects from `url` until one leaves for `stopAt` (the redirect URI),
   * returning that URL, or until a page answers, returning the page.
   */
  async follow(url: string | URL, stopAt: string, init?: RequestInit): Promise<{ callback: URL } | { page: Page }> {
    let response = await this.fetch(url, init);
    let current = new URL(url);
    for (let hops = 0; hops < 10; hops += 1) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return { page: { url: current, status: response.status, headers: response.headers, html: await response.text() } };
      }
      current = new URL(location, current);
      if (current.href.startsWith(stopAt)) return { callback: current };
      response = await this.fetch(current);
    }
    throw new Error('too many redirects');
  }

  /** Submits the form whose submit button is named `button`, with `fields`. */
  async submit(page: Page, button: string, fields: Record<string, string>, stopAt: string) {
    const action = formActionFor(page.html, button);
    return this.follow(new URL(action, page.url), stopAt, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

export interface Page {
  url: URL;
  status: number;
  headers: Headers;
  html: string;
}

export function formActionFor(html: string, button: string): string {
  for (const match of html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)) {
    if (match[2]!.includes(`>${button}</button>`)) return match[1]!.replaceAll('&#38;', '&');
  }
  throw new Error(`no form with a "${button}" button`);
}
