/**
 * A second, minimal OpenAI-compatible server (as Ollama or LM Studio would
 * be) for the custom-endpoint scenarios: `GET /v1/models` and streaming
 * `POST /v1/chat/completions`, answered by the local service's own dev model
 * and checked by its own request parser. It wants `Authorization: Bearer
 * <apiKey>`, sends no CORS headers (only a granted host permission lets the
 * extension read it), and records what it was asked.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseChatRequest } from '../../../server/chat-request';
import { devModelAnswer, splitIntoChunks } from '../../../server/dev-model';

export interface OpenAiServer {
  /** The base URL to enter in Settings, e.g. `http://127.0.0.1:4242/v1`. */
  baseUrl: string;
  requests: { method: string; path: string; authorized: boolean; body?: { model: string; stream?: boolean; messages: { role: string }[] } }[];
  close(): Promise<void>;
}

export const CUSTOM_MODEL_ID = 'local-llama-e2e';

export async function startOpenAiServer(apiKey: string): Promise<OpenAiServer> {
  const requests: OpenAiServer['requests'] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const authorized = req.headers.authorization === `Bearer ${apiKey}`;
      const entry: OpenAiServer['requests'][number] = { method: req.method ?? '', path: req.url ?? '', authorized };
      requests.push(entry);
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (!authorized) return json(401, { error: { message: 'Missing or wrong API key.', type: 'invalid_request_error' } });
      if (req.method === 'GET' && req.url === '/v1/models') {
        return json(200, { object: 'list', data: [{ id: CUSTOM_MODEL_ID, object: 'model', created: 1, owned_by: 'e2e' }] });
      }
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return json(404, { error: { message: 'No such endpoint.' } });
      const parsed = parseChatRequest(text);
      if (!parsed.ok) return json(400, { error: { message: parsed.message, type: 'invalid_request_error' } });
      entry.body = parsed.request;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      const chunk = (delta: object, finish: string | null) =>
        `data: ${JSON.stringify({ id: 'e2e-1', object: 'chat.completion.chunk', model: parsed.request.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      res.write(chunk({ role: 'assistant', content: '' }, null));
      for (const piece of splitIntoChunks(`Answered by the custom endpoint.\n\n${devModelAnswer(parsed.request.messages)}`)) {
        res.write(chunk({ content: piece }, null));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      res.end(`${chunk({}, 'stop')}data: [DONE]\n\n`);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}
