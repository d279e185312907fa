import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BENCH_CODE_BLOCKS } from '../../server/bench-document';
import { chat, client, insecure, refresh, signIn, startTestService, userPrompt, type TestService } from './helpers/service';
import { contentOf, readStream } from './helpers/sse';

let svc: TestService;
let tokens: oauth.TokenEndpointResponse;
beforeAll(async () => {
  svc = await startTestService();
  tokens = await signIn(svc);
});
afterAll(() => svc.close());
beforeEach(() => svc.control('POST', 'reset'));

const fault = (route: string, f: unknown, count?: number) => svc.control('POST', 'faults', { route, fault: f, count });
const ask = (stream = true) => chat(svc, tokens.access_token, userPrompt('the quick brown fox jumps over the lazy dog', stream));
const models = () => fetch(`${svc.url}/v1/models`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
const validReport = {
  schema: 1,
  extensionVersion: '0.1.0',
  browser: { family: 'chrome', major: 131 },
  date: '2025-03-01',
  failures: { offline: 0, timeout: 0, http4xx: 0, http5xx: 0, streamCut: 0 },
  crashes: [],
  firstTokenMs: { under500: 0, under1000: 0, under3000: 0, over3000: 0 },
  transferredMb: 0,
};
const diagnostics = () => fetch(`${svc.url}/v1/diagnostics`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(validReport) });

describe('status faults', () => {
  it('401 on chat, for the next N requests only', async () => {
    await fault('chat', { type: 'status', status: 401 }, 2);
    for (let i = 0; i < 2; i += 1) {
      const response = await ask(false);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
    expect((await ask(false)).status).toBe(200);
  });

  it('429 with Retry-After on models', async () => {
    await fault('models', { type: 'status', status: 429, retryAfterSeconds: 7 });
    const response = await models();
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect((await response.json()).error.type).toBe('rate_limit_error');
    expect((await models()).status).toBe(200);
  });

  it('500 on diagnostics, and the report is not counted', async () => {
    await fault('diagnostics', { type: 'status', status: 500 });
    expect((await diagnostics()).status).toBe(500);
    expect(await svc.control('GET', 'counters')).toMatchObject({ diagnosticsReceived: 0 });
    expect((await diagnostics()).status).toBe(204);
  });

  it('500 on the token endpoint, in OAuth form, counted by grant type', async () => {
    await fault('token', { type: 'status', status: 500 });
    const response = await oauth.refreshTokenGrantRequest(svc.as, client, oauth.None(), tokens.refresh_token!, insecure);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: 'server_error' });
    expect(await svc.control('GET', 'counters')).toMatchObject({ tokenRequests: { refresh_token: 1 } });
    // The faulted request never reached the provider, so the refresh token is still good.
    tokens = await refresh(svc, tokens.refresh_token!);
  });

  it('401 on userinfo', async () => {
    await fault('userinfo', { type: 'status', status: 401 });
    const response = await oauth.userInfoRequest(svc.as, client, tokens.access_token, insecure);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('queues in order: the oldest fault applies first', async () => {
    await fault('chat', { type: 'status', status: 500 });
    await fault('chat', { type: 'status', status: 429 });
    expect([(await ask(false)).status, (await ask(false)).status, (await ask(false)).status]).toEqual([500, 429, 200]);
  });
});

describe('stream faults', () => {
  it('delay holds back the first byte', async () => {
    await fault('models', { type: 'delay', ms: 400 });
    const started = performance.now();
    expect((await models()).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
  });

  it('slow spaces the chunks out', async () => {
    // The bench answer has few chunks, which keeps this test short; the pacing is the same writer's.
    await svc.control('POST', 'bench', { bytes: 6000, chunkChars: 600 });
    await fault('chat', { type: 'slow', intervalMs: 80 });
    const stream = await readStream(await ask());
    expect(stream.data.at(-1)).toBe('[DONE]');
    const gaps = stream.arrivals.slice(1, -1).map((t, i) => t - stream.arrivals[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(70);
  });

  it('cut drops the connection mid-answer, without [DONE]', async () => {
    const whole = contentOf(await readStream(await ask()));
    await fault('chat', { type: 'cut' });
    const stream = await readStream(await ask());
    expect(stream.error).toBeDefined();
    expect(stream.data).not.toContain('[DONE]');
    const partial = contentOf(stream);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(whole.length);
    expect(whole.startsWith(partial)).toBe(true);
  });

  it('cut after a given number of chunks', async () => {
    await fault('chat', { type: 'cut', afterChunks: 2 });
    const stream = await readStream(await ask());
    expect(stream.data).toHaveLength(2);
    expect(stream.error).toBeDefined();
  });

  it('malformed slips in lines that are not valid chunks, and the answer still completes', async () => {
    const whole = contentOf(await readStream(await ask()));
    await fault('chat', { type: 'malformed' });
    const stream = await readStream(await ask());
    expect(stream.raw).toContain('data: not json at all');
    expect(stream.raw).toContain('this line has no field separator');
    expect(stream.data.filter((d) => d !== '[DONE]').some((d) => !isJson(d))).toBe(true);
    expect(stream.data.at(-1)).toBe('[DONE]');
    expect(contentOf(stream)).toBe(whole);
  });

  it('refuses stream faults on routes that do not stream', async () => {
    const response = await fetch(`${svc.url}/__test/faults`, { method: 'POST', body: JSON.stringify({ route: 'token', fault: { type: 'cut' } }) });
    expect(response.status).toBe(400);
    expect((await response.json()).message).toContain('chat route only');
  });
});

describe('bench answer', () => {
  it('is a fixed markdown document of exactly N bytes, in chunks of K characters', async () => {
    expect(await svc.control('POST', 'bench', { bytes: 20_000, chunkChars: 256 })).toMatchObject({ chunks: 79 });
    const stream = await readStream(await ask());
    const chunks = stream.data.slice(1, -2).map((d) => JSON.parse(d).choices[0].delta.content as string);
    const document = chunks.join('');
    expect(Buffer.byteLength(document)).toBe(20_000);
    expect(chunks.slice(0, -1).every((c) => c.length === 256)).toBe(true);
    expect(document.match(/^```ts$/gm)).toHaveLength(BENCH_CODE_BLOCKS);
    expect(document).toMatch(/^# Bench document/);
    expect(document).toMatch(/^\| Metric \| Value \| Unit \|$/m);
    expect(document).toMatch(/^- Point one/m);
    // Only the next answer: the one after is the dev model's again.
    expect(contentOf(await readStream(await ask()))).toContain('## About your message');
  });

  it('is the same document every time', async () => {
    await svc.control('POST', 'bench', { bytes: 5000, chunkChars: 5000 });
    const first = contentOf(await readStream(await ask()));
    await svc.control('POST', 'bench', { bytes: 5000, chunkChars: 100 });
    expect(contentOf(await readStream(await ask()))).toBe(first);
  });

  it('can be paced at R chunks per second', async () => {
    await svc.control('POST', 'bench', { bytes: 4000, chunkChars: 1000, chunksPerSecond: 10 });
    const stream = await readStream(await ask());
    // On a schedule (server/pacer.ts): event i is due 100·i ms after the first, never earlier; a late one may shorten the next gap.
    const events = stream.arrivals.slice(0, -1);
    expect(events).toHaveLength(6);
    events.forEach((t, i) => expect(t - events[0]!).toBeGreaterThanOrEqual(100 * i - 20));
  });
});

describe('test controls', () => {
  it('reset clears counters and queued faults', async () => {
    await fault('chat', { type: 'status', status: 500 }, 5);
    await ask(false);
    await svc.control('POST', 'reset');
    expect(await svc.control('GET', 'counters')).toMatchObject({ chatRequests: 0 });
    expect(await svc.control('GET', 'faults')).toEqual({});
    expect((await ask(false)).status).toBe(200);
  });

  it('do not exist outside test mode', async () => {
    const { startServer } = await import('../../server/app');
    const plain = await startServer({ port: 0 });
    try {
      for (const path of ['counters', 'faults', 'reset', 'end-sessions']) {
        expect((await fetch(`${plain.url}/__test/${path}`, { method: path === 'counters' ? 'GET' : 'POST' })).status).toBe(404);
      }
    } finally {
      await plain.close();
    }
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
