import fc from 'fast-check';
import * as v from 'valibot';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DIAGNOSTICS_MAX_BODY_BYTES } from '../../server/diagnostics-intake';
import { DIAGNOSTICS_LIMITS, DIAGNOSTICS_REPORT_SCHEMA, diagnosticsDate, type DiagnosticsReport } from '../../utils/diagnostics-schema';
import { startTestService, type TestService } from './helpers/service';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService();
});
afterAll(() => svc.close());
beforeEach(() => svc.control('POST', 'reset'));

const report = (): DiagnosticsReport => ({
  schema: 1,
  extensionVersion: '0.1.0',
  browser: { family: 'firefox', major: 128 },
  date: '2025-03-01',
  failures: { offline: 2, timeout: 1, http4xx: 0, http5xx: 3, streamCut: 1 },
  crashes: [{ name: 'TypeError', frames: ['chunks/sidepanel-3f2a9c.js:120', 'background.js:77'] }],
  firstTokenMs: { under500: 4, under1000: 2, under3000: 1, over3000: 0 },
  transferredMb: 12,
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${svc.url}/v1/diagnostics`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

interface Stored {
  last: { body: unknown; text: string; hadCookie: boolean; hadAuthorization: boolean } | null;
  aggregates: Record<string, { reports: number; failures: Record<string, number>; crashes: Record<string, number>; transferredMb: number }>;
}

describe('POST /v1/diagnostics', () => {
  it('accepts a valid report without authentication and keeps aggregates only', async () => {
    expect((await post(report())).status).toBe(204);
    expect((await post({ ...report(), transferredMb: 8 })).status).toBe(204);
    const stored = await svc.control<Stored>('GET', 'diagnostics');
    expect(stored.aggregates).toEqual({
      '2025-03-01': expect.objectContaining({
        reports: 2,
        failures: { offline: 4, timeout: 2, http4xx: 0, http5xx: 6, streamCut: 2 },
        crashes: { 'TypeError at chunks/sidepanel-3f2a9c.js:120': 2 },
        transferredMb: 20,
        versions: { '0.1.0': 2 },
        browsers: { 'firefox 128': 2 },
      }),
    });
    expect(await svc.control('GET', 'counters')).toMatchObject({ diagnosticsReceived: 2 });
  });

  it('shows tests the last report exactly as accepted, and whether credentials came with it', async () => {
    await post(report());
    expect((await svc.control<Stored>('GET', 'diagnostics')).last).toEqual({ body: report(), text: JSON.stringify(report()), hadCookie: false, hadAuthorization: false });
    await post(report(), { Cookie: 'a=b', Authorization: 'Bearer x' });
    expect((await svc.control<Stored>('GET', 'diagnostics')).last).toMatchObject({ hadCookie: true, hadAuthorization: true });
  });

  it.each([
    ['an unknown top-level field', { ...report(), userId: 'u1' }, 'unexpected field "userId"'],
    ['an unknown nested field', { ...report(), browser: { family: 'chrome', major: 1, userAgent: 'Mozilla' } }, 'unexpected field "browser.userAgent"'],
    ['an unknown crash field', { ...report(), crashes: [{ name: 'Error', frames: [], message: 'secret' }] }, 'unexpected field "crashes.0.message"'],
    ['a timestamp instead of a date', { ...report(), date: '2025-03-01T10:00:00Z' }, 'date must be YYYY-MM-DD'],
    ['a date that does not exist', { ...report(), date: '2025-02-30' }, 'real calendar day'],
    ['a crash name with a message in it', { ...report(), crashes: [{ name: 'Error: user@example.com', frames: [] }] }, 'crashes.0.name'],
    ['a frame outside the bundle', { ...report(), crashes: [{ name: 'Error', frames: ['https://example.com/x.js:1'] }] }, 'crashes.0.frames.0'],
    ['a negative counter', { ...report(), failures: { ...report().failures, offline: -1 } }, 'failures.offline'],
    ['a fractional counter', { ...report(), transferredMb: 1.5 }, 'transferredMb'],
    ['too many crashes', { ...report(), crashes: Array.from({ length: 21 }, () => ({ name: 'Error', frames: [] })) }, 'crashes'],
    ['an unknown schema version', { ...report(), schema: 2 }, 'schema'],
    ['a missing field', (({ transferredMb: _, ...rest }) => rest)(report()), 'transferredMb'],
    ['not JSON', '{"schema":', 'not valid JSON'],
    ['a body over the size limit', { ...report(), pad: 'x'.repeat(DIAGNOSTICS_MAX_BODY_BYTES) }, `${DIAGNOSTICS_MAX_BODY_BYTES} bytes`],
  ])('refuses %s with 400, and stores nothing', async (_name, body, words) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toContain(words);
    expect(await svc.control('GET', 'diagnostics')).toEqual({ last: null, aggregates: {} });
    expect(await svc.control('GET', 'counters')).toMatchObject({ diagnosticsReceived: 0 });
  });
});

describe('the shared report schema', () => {
  const count = fc.integer({ min: 0, max: DIAGNOSTICS_LIMITS.maxCount });
  const frame = fc
    .tuple(fc.stringMatching(/^[\w-]{1,12}$/), fc.integer({ min: 1, max: 999_999 }))
    .map(([file, line]) => `chunks/${file}.js:${line}`);
  const validReport = fc.record({
    schema: fc.constant(1 as const),
    extensionVersion: fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99)).map((p) => p.join('.')),
    browser: fc.record({ family: fc.constantFrom('chrome' as const, 'firefox' as const), major: fc.integer({ min: 1, max: 999 }) }),
    date: fc.date({ min: new Date('2020-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).map((d) => diagnosticsDate(d)),
    failures: fc.record({ offline: count, timeout: count, http4xx: count, http5xx: count, streamCut: count }),
    crashes: fc.array(fc.record({ name: fc.stringMatching(/^[A-Za-z]{1,64}$/), frames: fc.array(frame, { maxLength: 20 }) }), { maxLength: 20 }),
    firstTokenMs: fc.record({ under500: count, under1000: count, under3000: count, over3000: count }),
    transferredMb: fc.integer({ min: 0, max: DIAGNOSTICS_LIMITS.maxTransferredMb }),
  });

  it('accepts every well-formed report', () => {
    fc.assert(fc.property(validReport, (r) => v.is(DIAGNOSTICS_REPORT_SCHEMA, r)));
  });

  it('refuses any report with one extra field, at any depth', () => {
    const objectPaths = [[], ['browser'], ['failures'], ['firstTokenMs']] as const;
    fc.assert(
      fc.property(validReport, fc.constantFrom(...objectPaths), fc.stringMatching(/^[a-z]{1,10}$/), (r, path, key) => {
        const copy = structuredClone(r) as Record<string, unknown>;
        const target = path.reduce((o: Record<string, unknown>, k) => o[k] as Record<string, unknown>, copy);
        fc.pre(!(key in target));
        target[key] = 1;
        return !v.is(DIAGNOSTICS_REPORT_SCHEMA, copy);
      }),
    );
  });
});
