/**
 * Console errors in Firefox. WebDriver BiDi reports nothing from
 * moz-extension pages or the background page, so the harness asks Firefox to
 * print them (`devtools.console.stdout.content`) and reads its output:
 * - `JavaScript error: <url>, line N: <message>` (uncaught errors and
 *   rejections) carries the script URL, so only the extension's are kept;
 * - `console.error: <text>` carries no URL at all, so every content page's
 *   console.error is kept as `unattributed`: test web pages must not log errors.
 * Not seen: errors from Firefox's own chrome code, which never concern us.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ConsoleError } from './session';

/** Prefs that make Firefox print content console messages to stdout. */
export const FIREFOX_CONSOLE_PREFS = { 'devtools.console.stdout.content': true } as const;

const JS_ERROR = /^JavaScript error: (\S+), line \d+: (.*)$/;
const CONSOLE_ERROR = /^console\.error: (.*)$/;
/**
 * Firefox's own chrome code logs through the same channel with a module prefix
 * (Remote Settings' loader, on a profile's first start). None of our code uses these prefixes.
 */
const FIREFOX_INTERNAL = /^(RSLoader|RemoteSettings|Services\.\w+): /;

export class FirefoxConsoleCapture {
  private readonly errors: ConsoleError[] = [];

  constructor(
    process: ChildProcess,
    private readonly baseUrl: string,
  ) {
    for (const stream of [process.stdout, process.stderr]) {
      if (stream) createInterface({ input: stream }).on('line', (line) => this.read(line));
    }
  }

  all(): ConsoleError[] {
    return [...this.errors];
  }

  private read(line: string): void {
    const js = JS_ERROR.exec(line);
    if (js) {
      const [, url = '', text = ''] = js;
      if (!url.startsWith(this.baseUrl)) return;
      this.errors.push({ source: url === `${this.baseUrl}background.js` ? 'background' : 'page', url, text });
      return;
    }
    const logged = CONSOLE_ERROR.exec(line);
    if (logged && !FIREFOX_INTERNAL.test(logged[1] ?? '')) this.errors.push({ source: 'unattributed', text: logged[1] ?? '' });
  }
}
