/**
 * A chat turn as the history stores it. The history keeps `role` and
 * `content` only, so an answer's state (streaming, stopped, interrupted, its
 * error) travels inside the content as a small JSON envelope. It is encrypted
 * like every other message; questions stay plain text.
 */
import * as v from 'valibot';
import type { ChatMessage } from '../chat/chat-state';
import { isChatErrorCode, type ChatErrorInfo } from '../chat/chat-errors';
import type { Message, NewMessage } from '../vault';

const ENVELOPE_VERSION = 1;

const ANSWER_SCHEMA = v.object({
  expressai: v.literal(ENVELOPE_VERSION),
  text: v.string(),
  status: v.picklist(['complete', 'streaming', 'stopped', 'interrupted', 'failed']),
  error: v.optional(
    v.object({
      code: v.pipe(v.string(), v.check(isChatErrorCode)),
      retryAfterSeconds: v.optional(v.number()),
      detail: v.optional(v.string()),
    }),
  ),
  finishReason: v.optional(v.nullable(v.string())),
  model: v.optional(v.string()),
  trimmed: v.optional(v.object({ omitted: v.pipe(v.number(), v.integer(), v.minValue(0)), shortened: v.pipe(v.number(), v.integer(), v.minValue(0)) })),
});

/** The history record for a turn; saving it again under the same id replaces the earlier version. */
export function encodeTurn(conversationId: string, turn: ChatMessage, createdAt: number): NewMessage {
  const base = { id: turn.id, conversationId, role: turn.role, createdAt };
  if (turn.role === 'user') return { ...base, content: turn.text };
  const envelope: v.InferInput<typeof ANSWER_SCHEMA> = { expressai: ENVELOPE_VERSION, text: turn.text, status: turn.status };
  if (turn.error) envelope.error = turn.error;
  if (turn.finishReason !== undefined) envelope.finishReason = turn.finishReason;
  if (turn.model) envelope.model = turn.model;
  if (turn.trimmed) envelope.trimmed = { omitted: turn.trimmed.omitted, shortened: turn.trimmed.shortened };
  return { ...base, content: JSON.stringify(envelope) };
}

/** A stored message as a turn. An answer written by anything else reads as complete plain text. */
export function decodeTurn(message: Message): ChatMessage | undefined {
  if (message.role === 'system') return undefined;
  if (message.role === 'user') return { id: message.id, role: 'user', text: message.content, status: 'complete' };
  const parsed = v.safeParse(ANSWER_SCHEMA, safeJson(message.content));
  if (!parsed.success) return { id: message.id, role: 'assistant', text: message.content, status: 'complete' };
  const { text, status, error, finishReason, model, trimmed } = parsed.output;
  const turn: ChatMessage = { id: message.id, role: 'assistant', text, status };
  if (error) turn.error = error as ChatErrorInfo;
  if (finishReason !== undefined) turn.finishReason = finishReason;
  if (model) turn.model = model;
  if (trimmed) turn.trimmed = trimmed;
  return turn;
}

/** The text a search should find in a stored message (never the envelope's field names). */
export function searchableText(message: Message): string {
  return decodeTurn(message)?.text ?? '';
}

/**
 * The conversation's turns in order. A turn saved several times (a streaming
 * answer, an edited question) counts once, in its latest version.
 */
export function turnsOf(messages: readonly Message[]): ChatMessage[] {
  const latest = new Map<string, Message>();
  for (const message of messages) {
    const seen = latest.get(message.id);
    if (!seen || message.seq >= seen.seq) latest.set(message.id, message);
  }
  return [...latest.values()]
    .sort((a, b) => a.seq - b.seq)
    .map(decodeTurn)
    .filter((turn): turn is ChatMessage => turn !== undefined);
}

/**
 * An answer that was streaming when its background stopped cannot go on: it
 * reads as interrupted (with its partial text) and offers Retry.
 */
export function settleOrphans(turns: readonly ChatMessage[]): ChatMessage[] {
  return turns.map((turn) =>
    turn.status === 'streaming' ? { ...turn, status: turn.text ? 'interrupted' : 'failed', error: { code: 'stream_cut' } } : turn,
  );
}

function safeJson(text: string): unknown {
  if (!text.startsWith('{')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
