/**
 * Relays to a real OpenAI-compatible server (Ollama, LM Studio, OpenAI) when
 * `EXPRESSAI_UPSTREAM_URL` is set. Streams are parsed event by event and
 * re-sent, so test faults apply to relayed answers as they do to the dev model.
 * The upstream key stays here: it is never sent to the browser or printed.
 */
import type { ServerResponse } from 'node:http';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { ChatRequest } from './chat-request';
import { sendApiError, sendJson } from './http-util';
import type { SseWriter } from './sse-writer';

export interface Upstream {
  /** Base URL ending before `/models`, e.g. `http://127.0.0.1:11434/v1`. */
  url: string;
  key?: string;
}

/** Upstream statuses that describe the request itself, passed on as they are; anything else is the upstream's problem (502). */
const RELAYED_STATUSES = new Set([400, 404, 413, 422]);

function headers(up: Upstream): Record<string, string> {
  return { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...(up.key ? { Authorization: `Bearer ${up.key}` } : {}) };
}

function endpoint(up: Upstream, path: string): string {
  return `${up.url.replace(/\/+$/, '')}${path}`;
}

export async function relayModels(up: Upstream, res: ServerResponse): Promise<void> {
  try {
    const response = await fetch(endpoint(up, '/models'), { headers: headers(up) });
    if (!response.ok) return upstreamFailed(res, response);
    const body = (await response.json()) as { data?: { id?: unknown; created?: unknown; owned_by?: unknown }[] };
    const data = (body.data ?? [])
      .filter((m) => typeof m.id === 'string')
      .map((m) => ({ id: m.id, object: 'model', created: typeof m.created === 'number' ? m.created : 0, owned_by: typeof m.owned_by === 'string' ? m.owned_by : 'upstream' }));
    sendJson(res, 200, { object: 'list', data });
  } catch {
    sendApiError(res, 502, 'server_error', 'The upstream model server could not be reached.', { code: 'upstream_unreachable' });
  }
}

/** Forwards the validated request only (no unknown fields), and relays the answer. */
export async function relayChat(up: Upstream, request: ChatRequest, res: ServerResponse, writer: SseWriter | undefined): Promise<void> {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  const { model, messages, stream, temperature, max_tokens } = request;
  let response: Response;
  try {
    response = await fetch(endpoint(up, '/chat/completions'), {
      method: 'POST',
      headers: headers(up),
      body: JSON.stringify({ model, messages, stream: stream ?? false, temperature, max_tokens }),
      signal: abort.signal,
    });
  } catch {
    if (!res.writableEnded && !res.destroyed) {
      sendApiError(res, 502, 'server_error', 'The upstream model server could not be reached.', { code: 'upstream_unreachable' });
    }
    return;
  }
  if (!response.ok) return upstreamFailed(res, response);
  if (!writer || !response.body) {
    sendJson(res, 200, await response.json());
    return;
  }
  writer.open();
  try {
    const events = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
    for await (const event of events) {
      if (event.data === '[DONE]') return await writer.done();
      if (!(await writer.event(event.data))) return;
    }
  } catch {
    // Upstream or client went away mid-answer; fall through and cut.
  }
  // The upstream ended without [DONE]: pass the cut on rather than pretend the answer is whole.
  writer.cut();
}

async function upstreamFailed(res: ServerResponse, response: Response): Promise<void> {
  const detail = await response
    .json()
    .then((b: { error?: { message?: unknown } | string }) => (typeof b.error === 'string' ? b.error : b.error?.message))
    .catch(() => undefined);
  const said = typeof detail === 'string' ? `: ${detail.slice(0, 300)}` : '';
  const status = RELAYED_STATUSES.has(response.status) ? response.status : 502;
  sendApiError(res, status, status === 502 ? 'server_error' : 'invalid_request_error', `The upstream model server answered ${response.status}${said}`, {
    code: 'upstream_error',
  });
}
