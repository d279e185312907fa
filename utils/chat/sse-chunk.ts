/**
 * What one `data:` event of an OpenAI-compatible stream says: text for the
 * first choice, why it finished, token usage, or an error.
 * @see https://platform.openai.com/docs/api-reference/chat-streaming/streaming
 */
import * as v from 'valibot';

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** A chunk read: `text` is '' when it carries none. `error` is present when the server reported one. */
export interface ChunkReading {
  text: string;
  finishReason?: string;
  usage?: TokenUsage;
  error?: unknown;
}

const CHUNK_SCHEMA = v.looseObject({
  choices: v.optional(
    v.array(
      v.looseObject({
        index: v.optional(v.number()),
        delta: v.nullish(v.looseObject({ content: v.nullish(v.string()) })),
        finish_reason: v.nullish(v.string()),
      }),
    ),
  ),
  usage: v.nullish(
    v.looseObject({ prompt_tokens: v.number(), completion_tokens: v.number(), total_tokens: v.number() }),
  ),
  error: v.optional(v.unknown()),
});

/** Reads a parsed chunk; `null` when it is not one (neither choices, usage nor error, or a field of the wrong type). */
export function readChunk(json: unknown): ChunkReading | null {
  const text = plainText(json);
  return text === undefined ? readChunkValidated(json) : { text };
}

/** {@link readChunk} through the schema alone, for every shape. */
export function readChunkValidated(json: unknown): ChunkReading | null {
  const parsed = v.safeParse(CHUNK_SCHEMA, json);
  if (!parsed.success) return null;
  const { choices, usage, error } = parsed.output;
  if (choices === undefined && !usage && error === undefined) return null;
  const reading: ChunkReading = { text: '' };
  if (error !== undefined && error !== null) reading.error = error;
  for (const choice of choices ?? []) {
    if ((choice.index ?? 0) !== 0) continue; // only the first choice is shown
    reading.text += choice.delta?.content ?? '';
    if (choice.finish_reason) reading.finishReason = choice.finish_reason;
  }
  if (usage) reading.usage = { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens, totalTokens: usage.total_tokens };
  return reading;
}

/**
 * The text of the usual chunk, one first choice with text and nothing else
 * to say, read without the validated copy the schema builds: a fast 240 KB
 * answer is 61,440 of them, and validating each was a quarter of the
 * background's work. `undefined` for any other shape: validate it.
 */
function plainText(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const { choices, usage, error } = json as Record<string, unknown>;
  if (usage != null || error !== undefined || !Array.isArray(choices) || choices.length !== 1) return undefined;
  const choice: unknown = choices[0];
  if (typeof choice !== 'object' || choice === null) return undefined;
  const { index, delta, finish_reason: finishReason } = choice as Record<string, unknown>;
  if ((index !== undefined && index !== 0) || finishReason != null || typeof delta !== 'object' || delta === null) return undefined;
  const { content } = delta as Record<string, unknown>;
  return typeof content === 'string' ? content : undefined;
}
