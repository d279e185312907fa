import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { clearSentReports, onDiagnosticsAlarm, readDiagnosticsView, setDiagnosticsEnabled, startDiagnostics } from '@/utils/diagnostics/diagnostics-control';
import { DIAGNOSTICS_ALARM, startOfNextUtcDay } from '@/utils/diagnostics/diagnostics-schedule';
import { MAX_QUEUED_REPORTS } from '@/utils/diagnostics/diagnostics-state';
import { recordCrash, recordFailure, recordFirstToken, recordTransfer } from '@/utils/diagnostics/recorder';
import { majorVersion } from '@/utils/diagnostics/report-environment';
import { DEFAULT_SEND_DELAY, resolveSendDelay } from '@/utils/diagnostics/send-delay';
import { SERVICE } from '@/utils/service';
import { diagnosticsCounters, diagnosticsQueue, diagnosticsSent } from '@/utils/storage-items';

vi.mock('@/utils/diagnostics/report-environment', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/utils/diagnostics/report-environment')>()),
  reportEnvironment: () => ({ extensionVersion: '0.1.0', browser: { family: 'chrome', major: 131 } }),
}));

const DAY_MS = 86_400_000;
const DAY1 = Date.parse('2025-03-10T08:00:00Z');
const at = (day: number, hours = 8) => DAY1 + day * DAY_MS + (hours - 8) * 3_600_000;

interface Posted {
  url: string;
  init: RequestInit;
}
let posted: Posted[];
let reply: () => Promise<Response>;

function setNow(ms: number) {
  vi.setSystemTime(ms);
}
async function fireAlarm(now: number) {
  setNow(now);
  await onDiagnosticsAlarm({ name: DIAGNOSTICS_ALARM, scheduledTime: now }, now);
}
async function storedKeys() {
  return Object.keys(await fakeBrowser.storage.local.get(null)).concat(Object.keys(await fakeBrowser.storage.session.get(null)));
}
const report = (body: string) => JSON.parse(body) as { date: string; failures: Record<string, number>; firstTokenMs: Record<string, number>; transferredMb: number; crashes: unknown[] };

beforeEach(() => {
  fakeBrowser.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  setNow(DAY1);
  posted = [];
  reply = async () => new Response(null, { status: 204 });
  vi.stubGlobal('fetch', vi.fn(async (url: string, init: RequestInit) => {
    posted.push({ url, init });
    return reply();
  }));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('diagnostics while off', () => {
  it('are off by default, and recording stores nothing at all and sends nothing', async () => {
    expect(await readDiagnosticsView()).toEqual({ enabled: false, pending: [], sent: [] });
    await Promise.all([recordFailure('http5xx'), recordFirstToken(120), recordTransfer(5_000_000), recordCrash(new TypeError('x'))]);
    expect(await storedKeys()).toEqual([]);
    await startDiagnostics(DAY1);
    await fireAlarm(at(1));
    expect(posted).toEqual([]);
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
  });
});

describe('diagnostics while on', () => {
  beforeEach(async () => {
    await setDiagnosticsEnabled(true, DAY1);
  });

  it('schedules the first report a random 1–6 hours out', async () => {
    const alarm = await fakeBrowser.alarms.get(DIAGNOSTICS_ALARM);
    expect(alarm!.scheduledTime).toBeGreaterThanOrEqual(DAY1 + DEFAULT_SEND_DELAY.minMs);
    expect(alarm!.scheduledTime).toBeLessThanOrEqual(DAY1 + DEFAULT_SEND_DELAY.maxMs);
  });

  it('accumulates counts, buckets and whole megabytes', async () => {
    await recordFailure('http5xx');
    await recordFailure('http5xx');
    await recordFailure('offline');
    await Promise.all([recordFirstToken(120), recordFirstToken(700), recordFirstToken(9000)]);
    await recordTransfer(1_400_000);
    await recordTransfer(1_200_000);
    const { pending } = await readDiagnosticsView();
    expect(pending).toHaveLength(1);
    expect(report(pending[0]!)).toMatchObject({
      date: '2025-03-10',
      failures: { offline: 1, timeout: 0, http4xx: 0, http5xx: 2, streamCut: 0 },
      firstTokenMs: { under500: 1, under1000: 1, under3000: 0, over3000: 1 },
      transferredMb: 3,
    });
  });

  it('posts exactly the preview, with no credentials and no identifying header', async () => {
    await recordFailure('timeout');
    await recordCrash(new RangeError('my prompt'));
    const { pending: preview } = await readDiagnosticsView();
    await fireAlarm(at(0, 11));
    expect(posted).toHaveLength(1);
    const { url, init } = posted[0]!;
    expect(url).toBe(SERVICE.diagnosticsUrl);
    expect(init.body).toBe(preview[0]);
    expect(init).toMatchObject({ method: 'POST', credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store', redirect: 'error' });
    const headers = new Headers(init.headers);
    expect([...headers.keys()].map((k) => k.toLowerCase())).toEqual(['content-type']);
    const view = await readDiagnosticsView();
    expect(view.sent).toEqual([{ sentOn: '2025-03-10', body: preview[0] }]);
    expect(view.pending).toEqual([]);
  });

  it('sends at most once a day', async () => {
    await recordFailure('offline');
    await fireAlarm(at(0, 10));
    await recordFailure('offline');
    await fireAlarm(at(0, 20));
    expect(posted).toHaveLength(1);
    const next = await fakeBrowser.alarms.get(DIAGNOSTICS_ALARM);
    expect(next!.scheduledTime).toBeGreaterThanOrEqual(startOfNextUtcDay(at(0, 20)) + DEFAULT_SEND_DELAY.minMs);
    await fireAlarm(at(1, 3));
    expect(posted).toHaveLength(2);
  });

  it('sends nothing when nothing was recorded, and tries again later that day', async () => {
    await fireAlarm(at(0, 10));
    expect(posted).toEqual([]);
    await recordFailure('streamCut');
    await fireAlarm(at(0, 14));
    expect(posted).toHaveLength(1);
  });

  it('keeps a report whose send failed for the next day, and never retries in a loop', async () => {
    reply = async () => {
      throw new TypeError('Failed to fetch');
    };
    await recordFailure('http4xx');
    const { pending } = await readDiagnosticsView();
    await fireAlarm(at(0, 10));
    await fireAlarm(at(0, 12));
    await startDiagnostics(at(0, 13));
    expect(posted).toHaveLength(1);
    expect((await diagnosticsQueue.getValue()).reports).toEqual(pending);
    reply = async () => new Response(null, { status: 500 });
    await fireAlarm(at(1));
    expect(posted).toHaveLength(2);
    expect(posted[1]!.init.body).toBe(pending[0]);
    reply = async () => new Response(null, { status: 204 });
    setNow(at(2));
    await recordFailure('offline');
    await fireAlarm(at(2, 9));
    expect(posted.slice(2).map((p) => report(String(p.init.body)).date)).toEqual(['2025-03-10', '2025-03-12']);
    expect((await diagnosticsQueue.getValue()).reports).toEqual([]);
  });

  it('drops a report the service refuses as invalid instead of sending it forever', async () => {
    reply = async () => new Response('{"error":{"message":"Invalid report"}}', { status: 400 });
    await recordFailure('offline');
    await fireAlarm(at(0, 10));
    expect((await diagnosticsQueue.getValue()).reports).toEqual([]);
    expect((await readDiagnosticsView()).sent).toEqual([]);
  });

  it('caps the queue at 7 reports, dropping the oldest', async () => {
    reply = async () => new Response(null, { status: 503 });
    for (let day = 0; day < 10; day++) {
      setNow(at(day));
      await recordFailure('http5xx');
      await fireAlarm(at(day, 12));
    }
    expect(posted).toHaveLength(10);
    const queued = (await diagnosticsQueue.getValue()).reports.map((b) => report(b).date);
    expect(queued).toHaveLength(MAX_QUEUED_REPORTS);
    expect(queued[0]).toBe('2025-03-13');
    expect(queued.at(-1)).toBe('2025-03-19');
  });

  it('gives each UTC day its own report', async () => {
    await recordFailure('offline');
    setNow(at(1));
    await recordFailure('timeout');
    const dates = (await readDiagnosticsView()).pending.map((b) => report(b).date);
    expect(dates).toEqual(['2025-03-10', '2025-03-11']);
  });

  it('discards the queue and the counters at once when switched off, and records nothing after', async () => {
    reply = async () => new Response(null, { status: 503 });
    await recordFailure('offline');
    await fireAlarm(at(0, 10));
    await recordFailure('offline');
    expect(await diagnosticsCounters.getValue()).not.toBeNull();
    const view = await setDiagnosticsEnabled(false);
    expect(view).toEqual({ enabled: false, pending: [], sent: [] });
    await recordFailure('offline');
    expect(await storedKeys()).toEqual([]);
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
  });

  it('writes nothing back when switched off while a report is being sent', async () => {
    let release!: () => void;
    reply = () => new Promise((resolve) => (release = () => resolve(new Response(null, { status: 204 }))));
    await recordFailure('offline');
    const sending = fireAlarm(at(0, 10));
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    await setDiagnosticsEnabled(false);
    release();
    await sending;
    expect(await storedKeys()).toEqual([]);
  });

  it('keeps the sent log 7 days, wakes to prune it while off, and clears it on request', async () => {
    await recordFailure('offline');
    await fireAlarm(at(0, 10));
    await setDiagnosticsEnabled(false, at(0, 11));
    expect((await readDiagnosticsView(at(6))).sent).toHaveLength(1);
    const alarm = await fakeBrowser.alarms.get(DIAGNOSTICS_ALARM);
    expect(alarm!.scheduledTime).toBe(Date.parse('2025-03-17T00:00:00Z'));
    await fireAlarm(at(7));
    expect(await diagnosticsSent.getValue()).toEqual([]);
    expect(await storedKeys()).toEqual([]);
    expect(await fakeBrowser.alarms.getAll()).toEqual([]);
  });

  it('clears the sent log on request', async () => {
    await recordFailure('offline');
    await fireAlarm(at(0, 10));
    expect((await clearSentReports()).sent).toEqual([]);
    expect(await diagnosticsSent.getValue()).toEqual([]);
  });

  it('recreates a lost alarm when the background starts, and never pushes an existing one back', async () => {
    const first = (await fakeBrowser.alarms.get(DIAGNOSTICS_ALARM))!.scheduledTime;
    await startDiagnostics(at(0, 9));
    expect((await fakeBrowser.alarms.get(DIAGNOSTICS_ALARM))!.scheduledTime).toBe(first);
    await fakeBrowser.alarms.clearAll();
    await startDiagnostics(at(0, 9));
    expect(await fakeBrowser.alarms.get(DIAGNOSTICS_ALARM)).toBeDefined();
  });

  it('loses no count when many pages record at once', async () => {
    await Promise.all(Array.from({ length: 40 }, () => recordFailure('offline')));
    expect((await diagnosticsCounters.getValue())!.failures.offline).toBe(40);
  });
});

describe('the send delay', () => {
  it('comes from the build environment, falling back to 1–6 hours', () => {
    expect(resolveSendDelay({ WXT_EXPRESSAI_DIAGNOSTICS_DELAY_MIN_MS: '2000', WXT_EXPRESSAI_DIAGNOSTICS_DELAY_MAX_MS: '5000' })).toEqual({ minMs: 2000, maxMs: 5000 });
    expect(resolveSendDelay({})).toEqual(DEFAULT_SEND_DELAY);
    expect(resolveSendDelay({ WXT_EXPRESSAI_DIAGNOSTICS_DELAY_MIN_MS: '9000', WXT_EXPRESSAI_DIAGNOSTICS_DELAY_MAX_MS: '10' })).toEqual(DEFAULT_SEND_DELAY);
    expect(resolveSendDelay({ WXT_EXPRESSAI_DIAGNOSTICS_DELAY_MIN_MS: '-1', WXT_EXPRESSAI_DIAGNOSTICS_DELAY_MAX_MS: '10' })).toEqual(DEFAULT_SEND_DELAY);
  });
});

describe('a background stopped in the middle of a send', () => {
  it('keeps tomorrow\'s alarm and the report, and tries once more the next day', async () => {
    await setDiagnosticsEnabled(true, DAY1);
    await recordFailure('offline');
    reply = () => new Promise(() => {}); // the worker is stopped while this request is in flight
    setNow(at(0, 10));
    void onDiagnosticsAlarm({ name: DIAGNOSTICS_ALARM, scheduledTime: at(0, 10) }, at(0, 10));
    await vi.waitFor(() => expect(posted).toHaveLength(1));
    const alarm = await fakeBrowser.alarms.get(DIAGNOSTICS_ALARM);
    expect(alarm!.scheduledTime).toBeGreaterThanOrEqual(startOfNextUtcDay(at(0, 10)) + DEFAULT_SEND_DELAY.minMs);
    // A new background life the same day sends nothing; the next day it sends the kept report.
    reply = async () => new Response(null, { status: 204 });
    await startDiagnostics(at(0, 11));
    await fireAlarm(at(0, 12));
    expect(posted).toHaveLength(1);
    await fireAlarm(alarm!.scheduledTime);
    expect(posted).toHaveLength(2);
    expect(posted[1]!.init.body).toBe(posted[0]!.init.body);
  });
});

describe('the browser version in a report', () => {
  it('is read from desktop and headless user agents alike', () => {
    expect(majorVersion('chrome', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.85 Safari/537.36')).toBe(131);
    expect(majorVersion('chrome', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.7000.1 Safari/537.36')).toBe(156);
    expect(majorVersion('firefox', 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0')).toBe(153);
    expect(majorVersion('chrome', 'NotChrome/131.0')).toBeUndefined();
  });
});
