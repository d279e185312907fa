/**
 * Client for an OpenAI-compatible `POST /v1/chat/completions` with
 * `stream: true`: reads the server-sent events as they arrive and yields text
 * deltas, token usage and the end of the answer.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ExtensionError } from '../errors';
import { ChatStreamError } from './chat-errors';
import { errorFromResponse, serverMessage } from './http-failure';
import { readChunk, type TokenUsage } from './sse-chunk';

export type { TokenUsage } from './sse-chunk';

/** One step of a streamed answer. `done` is always the last event of a complete answer. */
export type StreamEvent =
  | { type: 'delta'; text: string }
  | { type: 'usage'; usage: TokenUsage }
  | { type: 'done'; finishReason: string | null };

export interface StreamChatOptions {
  /** The full endpoint, e.g. `${SERVICE.api}/chat/completions`. */
  url: string;
  /** Sent as `Authorization: Bearer …` when given; leave it out when `fetch` adds it. */
  token?: string;
  /** The request body (`model`, `messages`, …); `stream: true` is set here. */
  body: Record<string, unknown>;
  /** Aborting it (the Stop button) ends the stream with an `aborted` error. */
  signal?: AbortSignal;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Defaults to `navigator.onLine`; when it says offline, no request is made. */
  isOnline?: () => boolean;
  /**
   * What an event that is not a valid chunk does: `fail` (default) ends the
   * stream with `stream_malformed`; `skip` ignores it and reads on (its text,
   * if it carried any, is lost).
   */
  onMalformed?: 'fail' | 'skip';
}

/** No single event may buffer more than this: a stream that never ends its line is not an answer. */
const MAX_EVENT_CHARS = 1 << 20;

/**
 * Streams one answer. Iterate it with `for await`; leaving the loop early
 * closes the connection. Consecutive text deltas that arrive in the same
 * network read are yielded as one.
 * @throws {ChatStreamError} `offline`, `unauthorized`, `rate_limited`,
 *   `server_error`, `request_rejected`, `stream_cut`, `stream_malformed` or
 *   `aborted`; after the first delta, `partialText` holds what arrived.
 */
export async function* streamChatCompletion(options: StreamChatOptions): AsyncGenerator<StreamEvent, void, undefined> {
  const { signal } = options;
  if (signal?.aborted) throw new ChatStreamError('aborted');
  const isOnline = options.isOnline ?? (() => globalThis.navigator?.onLine !== false);
  if (!isOnline()) throw new ChatStreamError('offline');
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'text/event-stream' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const doFetch = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  let response: Response;
  try {
    response = await doFetch(options.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...options.body, stream: true }),
      signal,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    if (signal?.aborted || isAbortError(error)) throw new ChatStreamError('aborted');
    // A fetch wrapper (the background's authorizedFetch) may already know better, e.g. the session ended.
    if (error instanceof ExtensionError) throw error;
    // fetch rejects with a TypeError for every network failure: DNS, refused, offline.
    throw new ChatStreamError('offline');
  }
  if (!response.ok) throw await errorFromResponse(response);
  const type = response.headers.get('Content-Type');
  if (!response.body || (type !== null && !type.toLowerCase().includes('text/event-stream'))) {
    await response.body?.cancel().catch(() => {});
    throw new ChatStreamError('stream_malformed', { status: response.status });
  }
  yield* readEvents(response.body, signal, options.onMalformed === 'skip');
}

async function* readEvents(body: ReadableStream<Uint8Array>, signal: AbortSignal | undefined, skipMalformed: boolean): AsyncGenerator<StreamEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder('utf-8');
  const queue: StreamEvent[] = [];
  const state: ReadState = { partial: '', finishReason: null, done: false, failure: undefined, skipMalformed };
  const parser = createParser({
    maxBufferSize: MAX_EVENT_CHARS,
    onEvent: (message) => {
      if (!state.done && !state.failure) handleEvent(message, state, queue);
    },
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') state.failure ??= new ChatStreamError('stream_malformed');
    },
  });
  const fail = (error: ChatStreamError) => {
    error.partialText = state.partial;
    return error;
  };
  const onAbort = () => void reader.cancel().catch(() => {});
  signal?.addEventListener('abort', onAbort);
  let working = 0;
  try {
    while (!state.done) {
      if (working > SLICE_MS) {
        await pause();
        working = 0;
      }
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        throw fail(new ChatStreamError(signal?.aborted ? 'aborted' : 'stream_cut'));
      }
      if (signal?.aborted) throw fail(new ChatStreamError('aborted'));
      // Timed from here: waiting for the network is not work. The consumer's handling of what is yielded is.
      const start = performance.now();
      parser.feed(chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true }));
      while (queue.length > 0) yield queue.shift()!;
      if (state.failure) throw fail(state.failure);
      if (chunk.done) break;
      working += performance.now() - start;
    }
    if (state.done) return;
    // Ended without `[DONE]`. A server that already said why it finished has
    // sent the whole answer; otherwise the connection was cut mid-answer.
    if (state.finishReason === null) throw fail(new ChatStreamError('stream_cut'));
    yield { type: 'done', finishReason: state.finishReason };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    reader.cancel().catch(() => {});
  }
}

/** Most work (parsing and handling events) between two pauses. */
export const SLICE_MS = 8;
/**
 * How long the loop then pauses. A stream that arrives faster than it can be
 * parsed resolves every read at once, so the loop would keep a core busy as
 * one long run of microtasks. In the background that starves the page drawing
 * the answer on a 2-core machine (its frames ran past 50 ms waiting for a
 * CPU); in a page it would block input and paint. The pause leaves the CPU to
 * them; a stream at a model's pace never pauses.
 */
export const PAUSE_MS = 6;

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
}

interface ReadState {
  partial: string;
  finishReason: string | null;
  done: boolean;
  failure: ChatStreamError | undefined;
  skipMalformed: boolean;
}

function handleEvent(message: EventSourceMessage, state: ReadState, queue: StreamEvent[]): void {
  const data = message.data.trim();
  if (data === '') return; // an empty `data:` is a keep-alive, not an answer
  // Like EventSource's onmessage, only unnamed (`message`) events are chunks; other types are not for us.
  if (message.event !== undefined && message.event !== 'message' && message.event !== 'error') return;
  const malformed = () => {
    if (!state.skipMalformed) state.failure = new ChatStreamError('stream_malformed');
  };
  if (message.event === 'error') {
    state.failure = withDetail('server_error', serverMessage(data));
    return;
  }
  if (data === '[DONE]') {
    state.done = true;
    queue.push({ type: 'done', finishReason: state.finishReason });
    return;
  }
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    malformed();
    return;
  }
  const chunk = readChunk(json);
  if (!chunk) {
    malformed();
    return;
  }
  if (chunk.error !== undefined) {
    state.failure = withDetail('server_error', serverMessage(data));
    return;
  }
  if (chunk.text) {
    state.partial += chunk.text;
    // Deltas of one network read go out as one: a fast stream's 4-character events would otherwise each
    // cost the consumer a state update, a port message's share and garbage (61,440 in a 240 KB answer).
    const last = queue.at(-1);
    if (last?.type === 'delta') last.text += chunk.text;
    else queue.push({ type: 'delta', text: chunk.text });
  }
  if (chunk.finishReason) state.finishReason = chunk.finishReason;
  if (chunk.usage) queue.push({ type: 'usage', usage: chunk.usage });
}

function withDetail(code: 'server_error', detail: string | undefined): ChatStreamError {
  return new ChatStreamError(code, detail ? { detail } : {});
}

function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
