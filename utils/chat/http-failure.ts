/** Turns a refused chat request (any non-2xx reply) into a {@link ChatStreamError}. */
import { ChatStreamError } from './chat-errors';

/** The service's own explanation is shown to the user, so it is kept short. */
const MAX_DETAIL_CHARS = 300;
/** An error body is read only this far: a misbehaving proxy may send megabytes. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Seconds to wait from a `Retry-After` value: delta-seconds or an HTTP-date.
 * Returns `undefined` when the header is missing or unreadable.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** Maps an HTTP failure to its error code; reads (a bounded part of) the body for the server's message. */
export async function errorFromResponse(response: Response, now = Date.now()): Promise<ChatStreamError> {
  const { status } = response;
  if (status === 401) {
    await discardBody(response);
    return new ChatStreamError('unauthorized', { status });
  }
  if (status === 429) {
    await discardBody(response);
    const retryAfterSeconds = parseRetryAfter(response.headers.get('Retry-After'), now);
    return new ChatStreamError('rate_limited', retryAfterSeconds === undefined ? { status } : { status, retryAfterSeconds });
  }
  if (status >= 500) {
    await discardBody(response);
    return new ChatStreamError('server_error', { status });
  }
  const detail = serverMessage(await readBoundedText(response));
  return new ChatStreamError('request_rejected', detail ? { status, detail } : { status });
}

/** The `message` of an OpenAI-style `{ error: { message } }` body, or of `{ error: "…" }` / `{ message: "…" }`. */
export function serverMessage(body: string | undefined): string | undefined {
  if (!body) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isRecord(json)) return undefined;
  const error = json.error;
  const message = isRecord(error) ? error.message : typeof error === 'string' ? error : json.message;
  if (typeof message !== 'string') return undefined;
  const clean = message.replace(/\s+/g, ' ').trim();
  if (!clean) return undefined;
  return clean.length > MAX_DETAIL_CHARS ? `${clean.slice(0, MAX_DETAIL_CHARS - 1)}…` : clean;
}

async function readBoundedText(response: Response): Promise<string | undefined> {
  if (!response.body) return undefined;
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    while (bytes < MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
    if (bytes >= MAX_BODY_BYTES) return undefined;
    return text + decoder.decode();
  } catch {
    return undefined;
  } finally {
    reader.cancel().catch(() => {});
  }
}

async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
