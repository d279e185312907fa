import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chat, signIn, startTestService, type TestService } from './helpers/service';
import { contentOf, readStream } from './helpers/sse';

/** A tiny OpenAI-compatible server, standing in for Ollama or LM Studio. */
interface FakeUpstream {
  url: string;
  requests: { path: string; authorization?: string; body: unknown }[];
  /** When set, every chat answer fails with this status. */
  failWith?: number;
  server: Server;
}

async function startFakeUpstream(): Promise<FakeUpstream> {
  const upstream: FakeUpstream = { url: '', requests: [], server: undefined! };
  upstream.server = createServer(async (req, res) => {
    const body = await readJson(req);
    upstream.requests.push({ path: req.url!, authorization: req.headers.authorization, body });
    if (req.url === '/v1/models') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ object: 'list', data: [{ id: 'llama3.2:1b', object: 'model', created: 1, owned_by: 'library' }] }));
    }
    if (upstream.failWith) {
      res.writeHead(upstream.failWith, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: 'model is loading' } }));
    }
    const words = ['Hello', ' from', ' the', ' upstream', '.'];
    if (!(body as { stream?: boolean }).stream) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ id: 'up-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: words.join('') }, finish_reason: 'stop' }] }));
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream' });
    for (const word of words) {
      res.write(`data: ${JSON.stringify({ id: 'up-1', object: 'chat.completion.chunk', model: 'llama3.2:1b', choices: [{ index: 0, delta: { content: word } }] })}\n\n`);
      await new Promise((r) => setTimeout(r, 5));
    }
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => upstream.server.listen(0, '127.0.0.1', resolve));
  upstream.url = `http://127.0.0.1:${(upstream.server.address() as AddressInfo).port}/v1`;
  return upstream;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : undefined;
}

let upstream: FakeUpstream;
let svc: TestService;
let token: string;
beforeAll(async () => {
  upstream = await startFakeUpstream();
  svc = await startTestService({ upstreamUrl: upstream.url, upstreamKey: 'sk-upstream-secret' });
  token = (await signIn(svc)).access_token;
});
afterAll(async () => {
  await svc.close();
  await new Promise((r) => {
    upstream.server.close(r);
    upstream.server.closeAllConnections();
  });
});
beforeEach(async () => {
  upstream.requests = [];
  delete upstream.failWith;
  await svc.control('POST', 'reset');
});

const ask = (stream: boolean, extra: Record<string, unknown> = {}) =>
  chat(svc, token, { model: 'llama3.2:1b', stream, messages: [{ role: 'user', content: 'hi' }], ...extra });

describe('upstream relay', () => {
  it('lists the upstream models instead of the dev model, sending the upstream key', async () => {
    const response = await fetch(`${svc.url}/v1/models`, { headers: { Authorization: `Bearer ${token}` } });
    expect(await response.json()).toEqual({ object: 'list', data: [{ id: 'llama3.2:1b', object: 'model', created: 1, owned_by: 'library' }] });
    expect(upstream.requests[0]).toMatchObject({ path: '/v1/models', authorization: 'Bearer sk-upstream-secret' });
  });

  it('streams the upstream answer through, ending with [DONE]', async () => {
    const stream = await readStream(await ask(true));
    expect(contentOf(stream)).toBe('Hello from the upstream.');
    expect(stream.data.at(-1)).toBe('[DONE]');
    expect(JSON.parse(stream.data[0]!)).toMatchObject({ model: 'llama3.2:1b' });
  });

  it('forwards only the fields it validated, never the caller token', async () => {
    await (await ask(false, { temperature: 0.2, user: 'tracking-id', tools: [] })).json();
    const sent = upstream.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.authorization).toBe('Bearer sk-upstream-secret');
    expect(sent.body).toEqual({ model: 'llama3.2:1b', stream: false, temperature: 0.2, messages: [{ role: 'user', content: 'hi' }] });
  });

  it('relays JSON answers without stream', async () => {
    const body = await (await ask(false)).json();
    expect(body.choices[0].message.content).toBe('Hello from the upstream.');
  });

  it('turns an upstream failure into 502 with its reason', async () => {
    upstream.failWith = 503;
    const response = await ask(true);
    expect(response.status).toBe(502);
    expect((await response.json()).error.message).toBe('The upstream model server answered 503: model is loading');
  });

  it('applies stream faults to relayed answers too', async () => {
    await svc.control('POST', 'faults', { route: 'chat', fault: { type: 'cut', afterChunks: 2 } });
    const stream = await readStream(await ask(true));
    expect(stream.data).toHaveLength(2);
    expect(stream.error).toBeDefined();
  });

  it('still requires an access token', async () => {
    expect((await chat(svc, undefined, { model: 'llama3.2:1b', messages: [{ role: 'user', content: 'hi' }] })).status).toBe(401);
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers 502 when the upstream is unreachable', async () => {
    const orphan = await startTestService({ upstreamUrl: 'http://127.0.0.1:9/v1' });
    try {
      const t = (await signIn(orphan)).access_token;
      const response = await chat(orphan, t, { model: 'x', messages: [{ role: 'user', content: 'hi' }] });
      expect(response.status).toBe(502);
      expect((await response.json()).error.code).toBe('upstream_unreachable');
    } finally {
      await orphan.close();
    }
  });
});
