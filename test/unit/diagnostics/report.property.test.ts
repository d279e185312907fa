/**
 * Whatever a session holds (tokens, emails, prompts, KRNs and their hashes,
 * page URLs, error messages and crash stacks full of them), no report built
 * from it contains any of it, and every report passes the shared schema.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { ChatStreamError } from '@/utils/chat/chat-errors';
import { readDiagnosticsView, setDiagnosticsEnabled } from '@/utils/diagnostics/diagnostics-control';
import { sendDueReports } from '@/utils/diagnostics/diagnostics-sender';
import { failureKindOf, recordCrash, recordFailure, recordFirstToken, recordTransfer } from '@/utils/diagnostics/recorder';
import { DIAGNOSTICS_REPORT_SCHEMA } from '@/utils/diagnostics-schema';
import { ExtensionError } from '@/utils/errors';
import { dumpExtensionStorage } from '../auth/storage-dump';

vi.mock('@/utils/diagnostics/report-environment', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/utils/diagnostics/report-environment')>()),
  reportEnvironment: () => ({ extensionVersion: '0.1.0', browser: { family: 'chrome', major: 131 } }),
}));

const BASE = fakeBrowser.runtime.getURL('/');
const OTHER_EXTENSION = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/';
const FIREFOX_BASE = 'moz-extension://2f3c1a7e-51d4-4b7e-9d0c-6c2b8e1f4a90/';
const DAY_MS = 86_400_000;
const START = Date.parse('2025-03-10T08:00:00Z');

const word = fc.stringMatching(/^[a-z]{10,16}$/);
const token = fc.stringMatching(/^[A-Za-z0-9_-]{24,48}$/);
const krn = fc.stringMatching(/^[a-z0-9]{12,24}$/).map((id) => `krn:expressai:subscription:${id}`);

const secretsArb = fc.record({
  token,
  email: fc.emailAddress().filter((e) => e.length >= 6),
  prompt: fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join(' ')),
  answer: fc.array(word, { minLength: 1, maxLength: 5 }).map((w) => w.join(' ')),
  krn,
  url: fc.webUrl({ withQueryParameters: true }).filter((u) => u.length >= 12),
});
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
type Secrets = ValueOf<typeof secretsArb>;

function everySecret(s: Secrets): string[] {
  const hash = bytesToHex(sha256(new TextEncoder().encode(s.krn)));
  return [s.token, s.email, s.prompt, s.answer, s.krn, hash, s.url, ...s.prompt.split(' '), ...s.answer.split(' '), 'abcdefghijklmnop', '2f3c1a7e'];
}

/** An error the chat could throw, its message and stack soaked in secrets. */
function leakyError(s: Secrets, style: 'chrome' | 'firefox', name: string): Error {
  const message = `failed for ${s.email} with ${s.token} on ${s.url}: "${s.prompt}"\n    at ${s.prompt.split(' ')[0]} (${BASE}${s.prompt.split(' ')[0]}.js:1:1)`;
  const error = new Error(message);
  error.name = name;
  const fn = s.answer.split(' ')[0]!;
  error.stack =
    style === 'chrome'
      ? [`${name}: ${message}`, `    at ${fn} (${BASE}chunks/sidepanel-1a2b.js:12:3)`, `    at ${s.url}:4:5`, `    at x (${OTHER_EXTENSION}a.js:1:2)`].join('\n')
      : [`${fn}@${FIREFOX_BASE}chunks/sidepanel-1a2b.js:12:3`, `${fn}@${s.url}:4:5`, `@${BASE}background.js:3:1`].join('\n');
  return error;
}

const eventArb = fc.oneof(
  fc.record({ type: fc.constant('failure' as const), status: fc.constantFrom(0, 401, 429, 500, 503), day: fc.nat(3) }),
  fc.record({ type: fc.constant('firstToken' as const), ms: fc.double({ min: -10, max: 1e6, noNaN: true }), day: fc.nat(3) }),
  fc.record({ type: fc.constant('transfer' as const), bytes: fc.nat(5e9), day: fc.nat(3) }),
  fc.record({
    type: fc.constant('crash' as const),
    style: fc.constantFrom('chrome' as const, 'firefox' as const),
    name: fc.constantFrom('TypeError', 'Error', 'Hunter', 'SyntaxError'),
    day: fc.nat(3),
  }),
);

async function play(s: Secrets, event: ValueOf<typeof eventArb>): Promise<void> {
  vi.setSystemTime(START + event.day * DAY_MS);
  switch (event.type) {
    case 'failure': {
      const error =
        event.status === 0
          ? new ExtensionError('offline', `cannot reach ${s.url} as ${s.email}`)
          : new ChatStreamError(event.status >= 500 ? 'server_error' : 'request_rejected', { status: event.status, detail: s.prompt });
      const kind = failureKindOf(error);
      if (kind) await recordFailure(kind);
      return;
    }
    case 'firstToken':
      return recordFirstToken(event.ms);
    case 'transfer':
      return recordTransfer(event.bytes);
    case 'crash':
      return recordCrash(leakyError(s, event.style, event.name));
  }
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('diagnostics reports (property)', () => {
  it('never contain a secret from the session, and always pass the schema', async () => {
    await fc.assert(
      fc.asyncProperty(secretsArb, fc.array(eventArb, { minLength: 1, maxLength: 25 }), async (secrets, events) => {
        fakeBrowser.reset();
        vi.setSystemTime(START);
        await setDiagnosticsEnabled(true, START);
        for (const event of events) await play(secrets, event);
        const posted: string[] = [];
        vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
          posted.push(String(init.body));
          return new Response(null, { status: 204 });
        });
        const { pending } = await readDiagnosticsView(Date.now());
        await sendDueReports(Date.now());
        const stored = (await dumpExtensionStorage()).all;
        for (const body of [...pending, ...posted]) {
          const parsed = v.safeParse(DIAGNOSTICS_REPORT_SCHEMA, JSON.parse(body));
          expect(parsed.success, body).toBe(true);
        }
        for (const text of [...pending, ...posted, stored]) {
          for (const secret of everySecret(secrets)) expect(text.includes(secret), `leaked ${secret}`).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuses any field the schema does not list, at any level', async () => {
    const valid = {
      schema: 1,
      extensionVersion: '0.1.0',
      browser: { family: 'chrome', major: 131 },
      date: '2025-03-10',
      failures: { offline: 1, timeout: 0, http4xx: 0, http5xx: 2, streamCut: 0 },
      crashes: [{ name: 'TypeError', frames: ['background.js:3'] }],
      firstTokenMs: { under500: 1, under1000: 0, under3000: 0, over3000: 0 },
      transferredMb: 3,
    };
    expect(v.safeParse(DIAGNOSTICS_REPORT_SCHEMA, valid).success).toBe(true);
    const where = fc.constantFrom('top', 'browser', 'failures', 'firstTokenMs', 'crash');
    const key = fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !['__proto__', 'constructor'].includes(k));
    fc.assert(
      fc.property(where, key, fc.jsonValue(), (at, field, value) => {
        const report = structuredClone(valid) as Record<string, unknown> & typeof valid;
        const target: Record<string, unknown> =
          at === 'top' ? report : at === 'crash' ? (report.crashes[0] as unknown as Record<string, unknown>) : (report[at] as Record<string, unknown>);
        fc.pre(!Object.hasOwn(target, field));
        target[field] = value;
        expect(v.safeParse(DIAGNOSTICS_REPORT_SCHEMA, report).success).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
