import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readChunk, readChunkValidated } from '@/utils/chat/sse-chunk';

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(null), fc.constant(undefined), fc.anything());
const delta = fc.oneof(fc.record({ content: maybe(fc.string()), role: maybe(fc.string()) }, { requiredKeys: [] }), fc.array(fc.anything()), fc.anything());
const choice = fc.record(
  { index: fc.oneof(fc.constant(0), fc.integer({ min: -1, max: 2 }), fc.anything()), delta, finish_reason: maybe(fc.constantFrom('stop', 'length', '')) },
  { requiredKeys: [] },
);
const usage = fc.record({ prompt_tokens: fc.oneof(fc.nat(), fc.anything()), completion_tokens: fc.nat(), total_tokens: fc.nat() }, { requiredKeys: [] });
/** Chunk-shaped objects of any kind, as JSON would give them. */
const wide = fc.record(
  { id: fc.string(), choices: fc.oneof(fc.array(choice, { maxLength: 3 }), fc.anything()), usage: maybe(usage), error: fc.oneof(fc.anything(), fc.constant(null)) },
  { requiredKeys: [] },
);

const KEEP = Symbol('keep');
/** Usually leaves a field of the usual chunk as it is; sometimes puts something else there. */
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(KEEP), weight: 3 }, { arbitrary: arb, weight: 1 });

/** The usual chunk with one or a few fields changed: where a shortcut would go wrong. */
const near = fc
  .record({
    content: fc.string(),
    index: sometimes(choice.map((c) => c.index)),
    finish: sometimes(maybe(fc.constantFrom('stop', 'length', ''))),
    delta: sometimes(delta),
    usage: sometimes(maybe(usage)),
    error: sometimes(fc.oneof(fc.anything(), fc.constant(null))),
    more: sometimes(fc.array(choice, { minLength: 1, maxLength: 2 })),
    choices: sometimes(fc.anything()),
  })
  .map(({ content, index, finish, delta: d, usage: u, error, more, choices }) => {
    const first: Record<string, unknown> = { index: 0, delta: { content }, logprobs: null, finish_reason: null };
    if (index !== KEEP) first.index = index;
    if (finish !== KEEP) first.finish_reason = finish;
    if (d !== KEEP) first.delta = d;
    const chunk: Record<string, unknown> = { id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: more === KEEP ? [first] : [first, ...more] };
    if (u !== KEEP) chunk.usage = u;
    if (error !== KEEP) chunk.error = error;
    if (choices !== KEEP) chunk.choices = choices;
    return chunk;
  });

const chunkLike = fc.oneof({ arbitrary: near, weight: 4 }, { arbitrary: wide, weight: 1 }).map((value) => JSON.parse(JSON.stringify(value) ?? 'null') as unknown);

describe('reading a stream chunk', () => {
  it('reads the usual chunk, with or without the fields OpenAI adds', () => {
    const usual = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'Hel' }, logprobs: null, finish_reason: null }] };
    expect(readChunk(usual)).toEqual({ text: 'Hel' });
    expect(readChunk({ choices: [{ delta: { content: '' } }] })).toEqual({ text: '' });
  });

  it('reads finish, usage and error, and refuses what is not a chunk', () => {
    expect(readChunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })).toEqual({ text: '', finishReason: 'stop' });
    expect(readChunk({ choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } })).toEqual({
      text: '',
      usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 },
    });
    expect(readChunk({ error: { message: 'overloaded' } })).toMatchObject({ error: { message: 'overloaded' } });
    expect(readChunk({ choices: [{ index: 1, delta: { content: 'second choice' } }] })).toEqual({ text: '' });
    for (const bad of [null, 'text', [], {}, { choices: 'x' }, { choices: [{ delta: { content: 5 } }] }, { choices: [{ index: '0', delta: { content: 'a' } }] }]) {
      expect(readChunk(bad)).toBeNull();
    }
  });

  it('the shortcut for the usual chunk reads exactly what the schema reads (property)', () => {
    fc.assert(
      fc.property(chunkLike, (json) => {
        expect(readChunk(json)).toEqual(readChunkValidated(json));
      }),
      { numRuns: 5000 },
    );
  });
});
