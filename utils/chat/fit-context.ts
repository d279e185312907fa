/**
 * Builds the message list of one chat request so it always fits the
 * provider's limits: the system prompt (if any) and the newest question are
 * always sent whole; earlier turns go in newest first while they fit, and the
 * turn that does not fit whole is sent shortened (its longest messages cut,
 * marked as cut) rather than dropped, when enough of it fits to be useful.
 * Anything older is left out, and the caller is told how much.
 */
import { ExtensionError } from '../errors';
import type { ContextLimits } from './context-limits';

export interface ApiMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface FittedContext {
  messages: ApiMessage[];
  /** Earlier messages left out entirely. */
  omitted: number;
  /** Earlier messages sent shortened. */
  shortened: number;
}

/** Ends a message that was cut, so the model knows it did not see all of it. */
export const SHORTENED_MARK = '\n\n[…shortened to fit the model’s limit]';
/** A cut message keeps at least this many of its own characters, or is left out with everything older. */
export const MIN_KEPT_CHARS = 200;
/** The request's fields besides `messages` (model, stream, options): room kept for them in the body. */
export const REQUEST_OVERHEAD_BYTES = 2048;

const encoder = new TextEncoder();
const messageBytes = (m: ApiMessage) => encoder.encode(JSON.stringify(m)).length + 1;

/** Throws `question_too_long` when the question (with the system prompt) cannot be sent even alone. */
export function checkQuestion(question: string, limits: ContextLimits, system?: ApiMessage): void {
  const systemChars = system?.content.length ?? 0;
  const most = Math.min(limits.maxMessageChars, limits.contextChars - systemChars);
  const alone = [...(system ? [system] : []), { role: 'user', content: question } as const];
  const bytes = REQUEST_OVERHEAD_BYTES + alone.reduce((n, m) => n + messageBytes(m), 0);
  if (question.length > most || bytes > limits.maxRequestBytes) {
    const count = question.length.toLocaleString('en-US');
    throw new ExtensionError(
      'question_too_long',
      `Your message is too long for this model (${count} characters; at most ${Math.max(0, most).toLocaleString('en-US')}). Shorten it or split it, then send it again.`,
    );
  }
}

/**
 * `conversation` is the system prompt (optional, first), the earlier turns
 * in order and the newest question (last, role `user`).
 * @throws {ExtensionError} `question_too_long` (see {@link checkQuestion}).
 */
export function fitContext(conversation: readonly ApiMessage[], limits: ContextLimits): FittedContext {
  const question = conversation.at(-1);
  if (question?.role !== 'user') throw new RangeError('The conversation must end with a question.');
  const system = conversation[0]?.role === 'system' && conversation.length > 1 ? conversation[0] : undefined;
  checkQuestion(question.content, limits, system);
  const earlier = conversation.slice(system ? 1 : 0, -1);
  const fixed = [...(system ? [system] : []), question];
  const fixedBytes = REQUEST_OVERHEAD_BYTES + fixed.reduce((n, m) => n + messageBytes(m), 0);
  const slots = limits.maxMessages - fixed.length;
  let budget = limits.contextChars - fixed.reduce((n, m) => n + m.content.length, 0);

  // Characters are what models count; bytes are what the service limits. Text that encodes large gets a smaller budget.
  for (;;) {
    const kept = budget > 0 && slots > 0 ? fitTurns(earlier, budget, slots, limits.maxMessageChars) : [];
    const bytes = fixedBytes + kept.reduce((n, m) => n + messageBytes(m), 0);
    if (bytes <= limits.maxRequestBytes || kept.length === 0) {
      const messages = system ? [system, ...kept, question] : [...kept, question];
      const whole = new Set(earlier);
      return { messages, omitted: earlier.length - kept.length, shortened: kept.filter((m) => !whole.has(m)).length };
    }
    budget = Math.min(budget - 1, Math.floor((budget * (limits.maxRequestBytes - fixedBytes)) / (bytes - fixedBytes)));
  }
}

/** The newest turns that fit `budget` characters and `slots` messages, oldest first. */
function fitTurns(earlier: readonly ApiMessage[], budget: number, slots: number, maxChars: number): ApiMessage[] {
  const kept: ApiMessage[][] = [];
  let room = budget;
  let left = slots;
  for (const turn of turnsNewestFirst(earlier)) {
    if (turn.length > left) break;
    const capped = turn.map((m) => (m.content.length > maxChars ? shorten(m, maxChars) : m));
    const cost = capped.reduce((n, m) => n + m.content.length, 0);
    if (cost <= room) {
      kept.push(capped);
      room -= cost;
      left -= turn.length;
      continue;
    }
    const squeezed = squeeze(capped, room);
    if (squeezed) kept.push(squeezed);
    break;
  }
  return kept.reverse().flat();
}

/** Earlier messages as turns (a question and what answers it), newest turn first. */
function turnsNewestFirst(earlier: readonly ApiMessage[]): ApiMessage[][] {
  const turns: ApiMessage[][] = [];
  for (const m of earlier) {
    if (m.role === 'user' || turns.length === 0) turns.push([m]);
    else turns.at(-1)!.push(m);
  }
  return turns.reverse();
}

/** The turn in `room` characters: short messages whole, the longest cut to share what is left; undefined when a cut would keep too little. */
function squeeze(turn: readonly ApiMessage[], room: number): ApiMessage[] | undefined {
  const sizes = new Map<number, number>();
  const order = turn.map((m, i) => i).sort((a, b) => turn[a]!.content.length - turn[b]!.content.length);
  let left = room;
  order.forEach((index, k) => {
    const size = Math.min(turn[index]!.content.length, Math.floor(left / (order.length - k)));
    sizes.set(index, size);
    left -= size;
  });
  const out: ApiMessage[] = [];
  for (const [i, m] of turn.entries()) {
    const size = sizes.get(i)!;
    if (size === m.content.length) out.push(m);
    else if (size - SHORTENED_MARK.length >= MIN_KEPT_CHARS) out.push(shorten(m, size));
    else return undefined;
  }
  return out;
}

/** The message cut to at most `chars` characters, mark included, never splitting a surrogate pair. */
function shorten(m: ApiMessage, chars: number): ApiMessage {
  let end = Math.max(0, chars - SHORTENED_MARK.length);
  const last = m.content.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { role: m.role, content: m.content.slice(0, end) + SHORTENED_MARK };
}
