import { describe, expect, it, vi } from 'vitest';
import { ChatStreamError } from '@/utils/chat/chat-errors';
import { PAUSE_MS, SLICE_MS, streamChatCompletion, type StreamChatOptions, type StreamEvent } from '@/utils/chat/sse-stream';
import { ExtensionError } from '@/utils/errors';

const encoder = new TextEncoder();
const URL_ = 'https://api.example/v1/chat/completions';

function chunk(delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;
}

/** A streamed body made of exactly these byte chunks; optionally failing with a network error at the end. */
function body(parts: (string | Uint8Array)[], options: { failWith?: Error; hang?: boolean } = {}) {
  const cancel = vi.fn();
  let next = 0;
  // One part per read, like a network; erroring in start() would drop the queued parts.
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const part = parts[next++];
      if (part !== undefined) controller.enqueue(typeof part === 'string' ? encoder.encode(part) : part);
      else if (options.failWith) controller.error(options.failWith);
      else if (!options.hang) controller.close();
      else return new Promise<void>(() => {});
    },
    cancel,
  });
  return { stream, cancel };
}

function fakeFetch(response: Response | (() => Promise<Response>)) {
  return vi.fn(async (_url: string, _init: RequestInit) => (typeof response === 'function' ? response() : response));
}

function sse(parts: (string | Uint8Array)[], init: ResponseInit = {}, options: { failWith?: Error; hang?: boolean } = {}) {
  const { stream, cancel } = body(parts, options);
  const response = new Response(stream, { status: 200, headers: { 'Content-Type': 'text/event-stream; charset=utf-8' }, ...init });
  return { response, cancel };
}

async function collect(options: Partial<StreamChatOptions> & { fetch: StreamChatOptions['fetch'] }) {
  const events: StreamEvent[] = [];
  let error: unknown;
  try {
    for await (const event of streamChatCompletion({ url: URL_, body: { model: 'm', messages: [] }, isOnline: () => true, ...options })) {
      events.push(event);
    }
  } catch (e) {
    error = e;
  }
  const text = events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
  return { events, error: error as ChatStreamError | undefined, text };
}

describe('streamChatCompletion: the event stream', () => {
  it('yields text deltas, usage and done, and sends a streaming POST', async () => {
    const { response } = sse([
      chunk({ role: 'assistant' }),
      chunk({ content: 'Hel' }),
      chunk({ content: 'lo' }),
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`,
      `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } })}\n\n`,
      'data: [DONE]\n\n',
    ]);
    const fetch = fakeFetch(response);
    const { events, error } = await collect({ fetch, token: 'tok' });
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: 'delta', text: 'Hel' },
      { type: 'delta', text: 'lo' },
      { type: 'usage', usage: { promptTokens: 3, completionTokens: 2, totalTokens: 5 } },
      { type: 'done', finishReason: 'stop' },
    ]);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(URL_);
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual({ model: 'm', messages: [], stream: true });
    expect(new Headers(init.headers).get('Authorization')).toBe('Bearer tok');
    expect(init.credentials).toBe('omit');
  });

  it('ignores keep-alive comments, empty data and unknown fields', async () => {
    const { response } = sse([': keep-alive\n\n', chunk({ content: 'a' }), ':\n\ndata:\n\n', 'retry: 1000\nfoo: bar\n\n', chunk({ content: 'b' }), 'data: [DONE]\n\n']);
    const { text, error } = await collect({ fetch: fakeFetch(response) });
    expect(error).toBeUndefined();
    expect(text).toBe('ab');
  });

  it('reads CRLF and CR line endings', async () => {
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    const { response } = sse([crlf(chunk({ content: 'x' })), chunk({ content: 'y' }).replace(/\n/g, '\r'), crlf('data: [DONE]\n\n')]);
    const { text, events, error } = await collect({ fetch: fakeFetch(response) });
    expect(error).toBeUndefined();
    expect(text).toBe('xy');
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: null });
  });

  it('keeps multi-byte characters whole when their bytes are split across chunks', async () => {
    const bytes = encoder.encode(chunk({ content: 'é😀中' }) + 'data: [DONE]\n\n');
    const start = bytes.indexOf(0xc3); // é is C3 A9; 😀 is 4 bytes right after it
    const parts = [bytes.slice(0, start + 1), bytes.slice(start + 1, start + 3), bytes.slice(start + 3, start + 4), bytes.slice(start + 4, start + 7), bytes.slice(start + 7)];
    const { text, error } = await collect({ fetch: fakeFetch(sse(parts).response) });
    expect(error).toBeUndefined();
    expect(text).toBe('é😀中');
    expect(text).not.toContain('\uFFFD');
  });

  it('joins a data payload split across chunks, even one byte at a time', async () => {
    const bytes = encoder.encode(chunk({ content: 'split payload ✓' }) + chunk({ content: '!' }) + 'data: [DONE]\n\n');
    const parts = [...bytes].map((b) => Uint8Array.of(b));
    const { text, error } = await collect({ fetch: fakeFetch(sse(parts).response) });
    expect(error).toBeUndefined();
    expect(text).toBe('split payload ✓!');
  });

  it('skips chunks without content: role-only deltas, null content, empty choices, other choices', async () => {
    const { response } = sse([
      chunk({ role: 'assistant', content: null }),
      'data: {"choices":[]}\n\n',
      'data: {"choices":[{"index":1,"delta":{"content":"other choice"}}]}\n\n',
      'data: {"choices":[{"index":0,"delta":null}]}\n\n',
      chunk({ content: '' }),
      chunk({ content: 'only this' }),
      'data: [DONE]\n\n',
    ]);
    const { events, error } = await collect({ fetch: fakeFetch(response) });
    expect(error).toBeUndefined();
    expect(events).toEqual([{ type: 'delta', text: 'only this' }, { type: 'done', finishReason: null }]);
  });

  it('stops at [DONE] and closes the connection, ignoring anything after it', async () => {
    const { response, cancel } = sse([chunk({ content: 'a' }), 'data: [DONE]\n\n', chunk({ content: 'late' })], {}, { hang: true });
    const { text, events, error } = await collect({ fetch: fakeFetch(response) });
    expect(error).toBeUndefined();
    expect(text).toBe('a');
    expect(events.at(-1)?.type).toBe('done');
    expect(cancel).toHaveBeenCalled();
  });

  it('reports a stream that ends without [DONE] as cut, keeping the partial text', async () => {
    const { text, error } = await collect({ fetch: fakeFetch(sse([chunk({ content: 'part' }), chunk({ content: 'ial' })]).response) });
    expect(text).toBe('partial');
    expect(error).toBeInstanceOf(ChatStreamError);
    expect(error).toMatchObject({ code: 'stream_cut', partialText: 'partial' });
  });

  it('reports an incomplete last event at the end as cut', async () => {
    const { error } = await collect({ fetch: fakeFetch(sse([chunk({ content: 'a' }), 'data: {"choices":[{"delta":{"con']).response) });
    expect(error).toMatchObject({ code: 'stream_cut', partialText: 'a' });
  });

  it('accepts a stream that ends without [DONE] after a finish_reason', async () => {
    const finished = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: '.' }, finish_reason: 'length' }] })}\n\n`;
    const { events, error } = await collect({ fetch: fakeFetch(sse([chunk({ content: 'a' }), finished]).response) });
    expect(error).toBeUndefined();
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'length' });
  });

  it('reports a network failure mid-stream as cut, keeping the partial text', async () => {
    const { response } = sse([chunk({ content: 'so far' })], {}, { failWith: new TypeError('network error') });
    const { text, error } = await collect({ fetch: fakeFetch(response) });
    expect(text).toBe('so far');
    expect(error).toMatchObject({ code: 'stream_cut', partialText: 'so far' });
  });

  it.each([
    ['data that is not JSON', 'data: {not json}\n\n'],
    ['a JSON string', 'data: "hello"\n\n'],
    ['an object without choices', 'data: {"id":"x"}\n\n'],
    ['choices that are not a list', 'data: {"choices":{"0":{}}}\n\n'],
    ['content that is not text', 'data: {"choices":[{"index":0,"delta":{"content":42}}]}\n\n'],
    ['a bad usage block', 'data: {"choices":[],"usage":{"total_tokens":"many"}}\n\n'],
  ])('rejects %s as malformed, after delivering the text before it', async (_label, bad) => {
    const { text, error } = await collect({ fetch: fakeFetch(sse([chunk({ content: 'ok ' }), bad, chunk({ content: 'never' }), 'data: [DONE]\n\n']).response) });
    expect(text).toBe('ok ');
    expect(error).toMatchObject({ code: 'stream_malformed', partialText: 'ok ' });
  });

  it('ignores events of other named types, as EventSource would', async () => {
    const { text, error } = await collect({ fetch: fakeFetch(sse(['event: expressai-unknown\ndata: {}\n\n', chunk({ content: 'a' }), 'data: [DONE]\n\n']).response) });
    expect(error).toBeUndefined();
    expect(text).toBe('a');
  });

  it('can skip malformed events and read on when asked to', async () => {
    const parts = [chunk({ content: 'a' }), 'data: {"choices":[{"delta":{"con\n\n', 'data: not json\n\n', 'data: {"id":1}\n\n', chunk({ content: 'b' }), 'data: [DONE]\n\n'];
    const { text, error } = await collect({ fetch: fakeFetch(sse(parts).response), onMalformed: 'skip' });
    expect(error).toBeUndefined();
    expect(text).toBe('ab');
  });

  it('rejects an endless event (no line end) as malformed instead of buffering it forever', async () => {
    const { error } = await collect({ fetch: fakeFetch(sse([`data: ${'x'.repeat(1_100_000)}`]).response) });
    expect(error).toMatchObject({ code: 'stream_malformed' });
  });

  it('turns an error object inside the stream into a server error with its message', async () => {
    const { error } = await collect({
      fetch: fakeFetch(sse([chunk({ content: 'a' }), 'data: {"error":{"message":"The model is overloaded"}}\n\n']).response),
    });
    expect(error).toMatchObject({ code: 'server_error', detail: 'The model is overloaded', partialText: 'a' });
  });

  it('refuses a 200 reply that is not an event stream', async () => {
    const response = new Response('{"choices":[]}', { status: 200, headers: { 'Content-Type': 'application/json' } });
    const { error } = await collect({ fetch: fakeFetch(response) });
    expect(error).toMatchObject({ code: 'stream_malformed' });
  });
});

describe('streamChatCompletion: failures before the stream', () => {
  it.each([
    [401, 'unauthorized'],
    [500, 'server_error'],
    [502, 'server_error'],
    [503, 'server_error'],
  ])('maps HTTP %i to %s', async (status, code) => {
    const { error } = await collect({ fetch: fakeFetch(new Response('oops', { status })) });
    expect(error).toBeInstanceOf(ChatStreamError);
    expect(error).toMatchObject({ code, status });
    expect(error!.message).not.toBe('');
  });

  it('maps 429 with delta-seconds Retry-After to rate_limited with those seconds', async () => {
    const { error } = await collect({ fetch: fakeFetch(new Response('', { status: 429, headers: { 'Retry-After': '30' } })) });
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 30 });
  });

  it('maps 429 with an HTTP-date Retry-After to the seconds until then', async () => {
    const at = new Date(Date.now() + 90_000).toUTCString();
    const { error } = await collect({ fetch: fakeFetch(new Response('', { status: 429, headers: { 'Retry-After': at } })) });
    expect(error?.code).toBe('rate_limited');
    expect(error?.retryAfterSeconds).toBeGreaterThanOrEqual(88);
    expect(error?.retryAfterSeconds).toBeLessThanOrEqual(90);
  });

  it('maps 429 without Retry-After to rate_limited without a wait', async () => {
    const { error } = await collect({ fetch: fakeFetch(new Response('', { status: 429 })) });
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: undefined });
  });

  it.each([
    ['an OpenAI error body', '{"error":{"message":"Model  not\\nfound","type":"invalid_request_error"}}', 'Model not found'],
    ['a string error', '{"error":"Too long"}', 'Too long'],
    ['a message field', '{"message":"Bad input"}', 'Bad input'],
    ['an HTML page', '<html><body>Not found</body></html>', undefined],
    ['an empty body', '', undefined],
  ])('maps other 4xx to request_rejected with the server message from %s', async (_label, text, detail) => {
    const { error } = await collect({ fetch: fakeFetch(new Response(text, { status: 400 })) });
    expect(error).toMatchObject({ code: 'request_rejected', status: 400, detail });
  });

  it('shortens a very long server message', async () => {
    const response = new Response(JSON.stringify({ error: { message: 'x'.repeat(5000) } }), { status: 422 });
    const { error } = await collect({ fetch: fakeFetch(response) });
    expect(error?.detail?.length).toBeLessThanOrEqual(300);
  });

  it('maps a fetch TypeError to offline', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const { error } = await collect({ fetch });
    expect(error).toMatchObject({ code: 'offline' });
  });

  it('does not even try when the browser knows it is offline', async () => {
    const fetch = fakeFetch(sse(['data: [DONE]\n\n']).response);
    const { error } = await collect({ fetch, isOnline: () => false });
    expect(error).toMatchObject({ code: 'offline' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('passes through an error the fetch wrapper already coded (e.g. the session ended)', async () => {
    const fetch = vi.fn(async () => {
      throw new ExtensionError('session_ended', 'Your session has ended.');
    });
    const { error } = await collect({ fetch });
    expect(error).toMatchObject({ code: 'session_ended' });
  });
});

describe('streamChatCompletion: stopping', () => {
  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const fetch = fakeFetch(sse(['data: [DONE]\n\n']).response);
    const { error } = await collect({ fetch, signal: controller.signal });
    expect(error).toMatchObject({ code: 'aborted' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('maps an abort during the request to aborted', async () => {
    const controller = new AbortController();
    const fetch = vi.fn(async () => {
      controller.abort();
      throw new DOMException('The operation was aborted.', 'AbortError');
    });
    const { error } = await collect({ fetch, signal: controller.signal });
    expect(error).toMatchObject({ code: 'aborted' });
  });

  it('ends with aborted and the partial text when the user stops mid-answer, closing the connection', async () => {
    const controller = new AbortController();
    const { response, cancel } = sse([chunk({ content: 'half an ' })], {}, { hang: true });
    const events: StreamEvent[] = [];
    let error: unknown;
    try {
      for await (const event of streamChatCompletion({ url: URL_, body: {}, signal: controller.signal, fetch: fakeFetch(response), isOnline: () => true })) {
        events.push(event);
        controller.abort();
      }
    } catch (e) {
      error = e;
    }
    expect(events).toEqual([{ type: 'delta', text: 'half an ' }]);
    expect(error).toMatchObject({ code: 'aborted', partialText: 'half an ' });
    expect(cancel).toHaveBeenCalled();
  });

  it('maps a body that errors on abort (what real fetch does) to aborted, not cut', async () => {
    const controller = new AbortController();
    const fetch = vi.fn(async (_url: string, init: RequestInit) => {
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(encoder.encode(chunk({ content: 'begun' })));
          // Like fetch's own abort steps, this runs before any 'abort' listener the caller adds later.
          init.signal!.addEventListener('abort', () => c.error(new DOMException('The operation was aborted.', 'AbortError')));
        },
      });
      return new Response(stream, { headers: { 'Content-Type': 'text/event-stream' } });
    });
    let error: unknown;
    try {
      for await (const _event of streamChatCompletion({ url: URL_, body: {}, signal: controller.signal, fetch, isOnline: () => true })) {
        setTimeout(() => controller.abort(), 0);
      }
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'aborted', partialText: 'begun' });
  });

  it('closes the connection when the consumer stops reading early', async () => {
    const { response, cancel } = sse([chunk({ content: 'a' }), chunk({ content: 'b' })], {}, { hang: true });
    for await (const event of streamChatCompletion({ url: URL_, body: {}, fetch: fakeFetch(response), isOnline: () => true })) {
      expect(event).toEqual({ type: 'delta', text: 'a' });
      break;
    }
    expect(cancel).toHaveBeenCalled();
  });
});

describe('a stream that arrives all at once', () => {
  it('yields the deltas of one network read as one, in order around other events', async () => {
    const usage = `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 4, total_tokens: 5 } })}\n\n`;
    const { response } = sse([
      chunk({ content: 'a' }) + chunk({ content: 'b' }) + chunk({ content: 'c' }),
      chunk({ content: 'd' }) + usage + chunk({ content: 'e' }),
      'data: [DONE]\n\n',
    ]);
    const { events, error } = await collect({ fetch: fakeFetch(response) });
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: 'delta', text: 'abc' },
      { type: 'delta', text: 'd' },
      { type: 'usage', usage: { promptTokens: 1, completionTokens: 4, totalTokens: 5 } },
      { type: 'delta', text: 'e' },
      { type: 'done', finishReason: null },
    ]);
  });

  it('lets other tasks run while it is read, rather than one long task of microtasks', async () => {
    // Every read resolves at once; a clock that moves 3 ms per look makes the reading "long".
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => (clock += 3));
    const parts = Array.from({ length: 50 }, (_, i) => chunk({ content: `w${i} ` }));
    const { response } = sse([...parts, 'data: [DONE]\n\n']);
    let ranBetween = false;
    setTimeout(() => (ranBetween = true), 0);
    let text = '';
    try {
      for await (const event of streamChatCompletion({ url: URL_, body: {}, fetch: fakeFetch(response), isOnline: () => true })) {
        if (event.type === 'delta') text += event.text;
        if (event.type === 'done') expect(ranBetween).toBe(true);
      }
    } finally {
      now.mockRestore();
    }
    expect(text).toBe(Array.from({ length: 50 }, (_, i) => `w${i} `).join(''));
  });

  it('pauses after every few ms of work, leaving the CPU to the page that draws the answer', async () => {
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => (clock += 1.5));
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const parts = Array.from({ length: 60 }, (_, i) => chunk({ content: `w${i} ` }));
    const { response } = sse([...parts, 'data: [DONE]\n\n']);
    let pauses: number;
    try {
      const { text, error } = await collect({ fetch: fakeFetch(response) });
      expect(error).toBeUndefined();
      expect(text).toBe(Array.from({ length: 60 }, (_, i) => `w${i} `).join(''));
      pauses = timers.mock.calls.filter(([, ms]) => ms === PAUSE_MS).length;
    } finally {
      now.mockRestore();
      timers.mockRestore();
    }
    // 1.5 ms of work per read: a pause after every SLICE_MS of it.
    expect(pauses).toBeGreaterThanOrEqual(Math.floor((60 * 1.5) / (SLICE_MS + 1.5)));
  });

  it('never pauses a stream that arrives at a model\'s pace: waiting for the network is not work', async () => {
    let clock = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const parts = Array.from({ length: 30 }, (_, i) => chunk({ content: `w${i} ` }));
    let next = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        clock += 40; // each chunk arrives 40 ms after the last
        const part = next < parts.length ? parts[next++]! : next++ === parts.length ? 'data: [DONE]\n\n' : undefined;
        if (part === undefined) controller.close();
        else controller.enqueue(encoder.encode(part));
      },
    });
    const response = new Response(stream, { headers: { 'Content-Type': 'text/event-stream' } });
    let pauses: unknown[];
    try {
      const { error } = await collect({ fetch: fakeFetch(response) });
      expect(error).toBeUndefined();
      pauses = timers.mock.calls.filter(([, ms]) => ms === PAUSE_MS);
    } finally {
      now.mockRestore();
      timers.mockRestore();
    }
    expect(pauses).toHaveLength(0);
  });
});
