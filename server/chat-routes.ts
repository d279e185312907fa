/**
 * The OpenAI-compatible chat API: `GET /v1/models` and
 * `POST /v1/chat/completions`, answered by the development model, the bench
 * document, or a relayed upstream server. Prompts and answers pass through
 * memory only; nothing here records them.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { benchDocument, chunksOf } from './bench-document';
import { checkAccessToken, sendUnauthorized } from './bearer-auth';
import { CHAT_LIMITS, parseChatRequest, type ChatRequest } from './chat-request';
import { DEV_MODEL_ID, devModelAnswer, splitIntoChunks } from './dev-model';
import type { Fault } from './faults';
import { BodyTooLargeError, readBody, sendApiError, sendJson } from './http-util';
import type { ServiceState } from './service-state';
import { SseWriter, type StreamOptions } from './sse-writer';
import { relayChat, relayModels } from './upstream';

/** Pause between the dev model's chunks, so the UI sees a stream and not one burst. */
const DEV_CHUNK_INTERVAL_MS = 10;
/** Where a cut lands in a relayed stream, whose length is not known in advance. */
const RELAY_DEFAULT_CUT = 3;

export async function handleModels(state: ServiceState, provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET') return sendApiError(res, 405, 'invalid_request_error', 'Use GET.', { headers: { Allow: 'GET' } });
  const auth = await checkAccessToken(provider, req);
  if (!auth.ok) return sendUnauthorized(res, auth);
  if (state.upstream) return relayModels(state.upstream, res);
  sendJson(res, 200, { object: 'list', data: [{ id: DEV_MODEL_ID, object: 'model', created: 1735689600, owned_by: 'expressai' }] });
}

export async function handleChat(state: ServiceState, provider: Provider, req: IncomingMessage, res: ServerResponse, fault?: Fault): Promise<void> {
  if (req.method !== 'POST') return sendApiError(res, 405, 'invalid_request_error', 'Use POST.', { headers: { Allow: 'POST' } });
  const auth = await checkAccessToken(provider, req);
  if (!auth.ok) return sendUnauthorized(res, auth);
  let text: string;
  try {
    text = await readBody(req, CHAT_LIMITS.maxBodyBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    return sendApiError(res, 400, 'invalid_request_error', `Invalid body: ${error.message}`, { param: 'body', code: 'body_too_large' });
  }
  const parsed = parseChatRequest(text);
  if (!parsed.ok) return sendApiError(res, 400, 'invalid_request_error', parsed.message, { param: parsed.param, code: 'invalid_request' });
  const request = parsed.request;

  const bench = state.bench;
  if (bench) {
    delete state.bench;
    const options = streamOptions(fault, 0);
    // A slow fault's pause wins over the bench's rate.
    if (bench.chunksPerSecond && fault?.type !== 'slow') options.chunksPerSecond = bench.chunksPerSecond;
    return answer(res, request, chunksOf(benchDocument(bench.bytes), bench.chunkChars), options);
  }
  if (state.upstream) {
    const writer = request.stream ? new SseWriter(res, streamOptions(fault, 0, RELAY_DEFAULT_CUT)) : undefined;
    return relayChat(state.upstream, request, res, writer);
  }
  if (request.model !== DEV_MODEL_ID) {
    return sendApiError(res, 404, 'invalid_request_error', `The model "${DEV_MODEL_ID}" is the only one this service has.`, {
      param: 'model',
      code: 'model_not_found',
    });
  }
  return answer(res, request, splitIntoChunks(devModelAnswer(request.messages)), streamOptions(fault, DEV_CHUNK_INTERVAL_MS));
}

function streamOptions(fault: Fault | undefined, intervalMs: number, defaultCut?: number): StreamOptions & { cutDefault: boolean } {
  const options: StreamOptions & { cutDefault: boolean } = { intervalMs, cutDefault: false };
  if (fault?.type === 'slow') options.intervalMs = fault.intervalMs;
  if (fault?.type === 'malformed') options.malformed = true;
  if (fault?.type === 'cut') {
    options.cutAfter = fault.afterChunks ?? defaultCut;
    options.cutDefault = options.cutAfter === undefined;
  }
  return options;
}

/** Stands for a content event's text while the event's JSON around it is serialised once. */
const CONTENT_SLOT = '\u0000content\u0000';

async function answer(res: ServerResponse, request: ChatRequest, chunks: string[], options: StreamOptions & { cutDefault: boolean }): Promise<void> {
  const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const content = chunks.join('');
  if (!request.stream) return answerJson(res, request, id, created, content, options);

  // role, the content chunks, the finish: a default cut lands in the middle of the content.
  if (options.cutDefault) options.cutAfter = 1 + Math.floor(chunks.length / 2);
  const writer = new SseWriter(res, options);
  const chunkJson = (delta: Record<string, string>, finish: string | null) =>
    JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const event = (delta: Record<string, string>, finish: string | null) => writer.event(chunkJson(delta, finish));
  // The content events differ only in their text: serialise the rest once (a fast bench stream has 61,440 of them).
  const [before, after] = chunkJson({ content: CONTENT_SLOT }, null).split(JSON.stringify(CONTENT_SLOT));
  writer.open();
  if (!(await event({ role: 'assistant', content: '' }, null))) return;
  for (const chunk of chunks) if (!(await writer.event(before + JSON.stringify(chunk) + after))) return;
  if (!(await event({}, 'stop'))) return;
  await writer.done();
}

function answerJson(res: ServerResponse, request: ChatRequest, id: string, created: number, content: string, options: StreamOptions & { cutDefault: boolean }): void {
  const promptChars = request.messages.reduce((n, m) => n + m.content.length, 0);
  const usage = { prompt_tokens: Math.ceil(promptChars / 4), completion_tokens: Math.ceil(content.length / 4) };
  const body = {
    id,
    object: 'chat.completion',
    created,
    model: request.model,
    choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
  if (options.cutAfter !== undefined || options.cutDefault || options.malformed) {
    const text = JSON.stringify(body);
    // A cut or malformed answer: half the JSON, then the connection drops (cut) or ends early (malformed).
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    res.write(text.slice(0, Math.floor(text.length / 2)));
    if (options.malformed) res.end();
    else res.destroy();
    return;
  }
  sendJson(res, 200, body);
}
