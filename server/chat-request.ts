/**
 * What `POST /v1/chat/completions` accepts. Unknown OpenAI options are
 * dropped rather than refused, so ordinary OpenAI clients keep working; the
 * parts the service acts on are bounded, and a refusal names the field at fault.
 */
import * as v from 'valibot';
import type { ChatMessage } from './dev-model';

export const CHAT_LIMITS = {
  /** Whole request body, in bytes. */
  maxBodyBytes: 256 * 1024,
  maxMessages: 100,
  /** One message's content, in characters. */
  maxContentChars: 32_000,
  maxModelIdChars: 128,
} as const;

const message = v.object({
  role: v.picklist(['system', 'user', 'assistant'], 'role must be "system", "user" or "assistant"'),
  content: v.pipe(
    v.string('content must be a string'),
    v.maxLength(CHAT_LIMITS.maxContentChars, `content must be at most ${CHAT_LIMITS.maxContentChars} characters`),
  ),
});

export const CHAT_REQUEST_SCHEMA = v.object({
  model: v.pipe(v.string('model must be a string'), v.minLength(1, 'model must not be empty'), v.maxLength(CHAT_LIMITS.maxModelIdChars)),
  messages: v.pipe(
    v.array(message, 'messages must be an array'),
    v.minLength(1, 'messages must hold at least one message'),
    v.maxLength(CHAT_LIMITS.maxMessages, `messages must hold at most ${CHAT_LIMITS.maxMessages} messages`),
  ),
  stream: v.optional(v.boolean('stream must be true or false')),
  temperature: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(2))),
  max_tokens: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1_000_000))),
});

export type ChatRequest = v.InferOutput<typeof CHAT_REQUEST_SCHEMA> & { messages: ChatMessage[] };

export type ParseResult = { ok: true; request: ChatRequest } | { ok: false; message: string; param: string };

/** Parses a raw body; on failure says which field is wrong and why, without echoing its value. */
export function parseChatRequest(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'The request body is not valid JSON.', param: 'body' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, message: 'Invalid body: the body must be a JSON object.', param: 'body' };
  }
  const result = v.safeParse(CHAT_REQUEST_SCHEMA, json);
  if (result.success) return { ok: true, request: result.output };
  const issue = result.issues[0];
  const param = issue.path?.map((p) => String(p.key)).join('.') || 'body';
  let reason: string;
  if (issue.type === 'object') reason = issue.input === undefined ? `${param} is required` : `${param} must be an object`;
  // Our own messages say what is wrong; valibot's defaults would quote the value, so only its expectation is kept.
  else if (issue.message.includes(' must ')) reason = issue.message;
  else reason = `expected ${issue.expected ?? 'a valid value'}`;
  return { ok: false, message: `Invalid ${param}: ${reason}`, param };
}
