import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHAT_LIMITS } from '@/server/chat-request';
import { CUSTOM_ENDPOINT_LIMITS, EXPRESSAI_LIMITS, type ContextLimits } from '@/utils/chat/context-limits';
import { checkQuestion, fitContext, MIN_KEPT_CHARS, REQUEST_OVERHEAD_BYTES, SHORTENED_MARK, type ApiMessage } from '@/utils/chat/fit-context';
import { ExtensionError } from '@/utils/errors';

const user = (content: string): ApiMessage => ({ role: 'user', content });
const assistant = (content: string): ApiMessage => ({ role: 'assistant', content });
const bodyBytes = (messages: ApiMessage[]) => new TextEncoder().encode(JSON.stringify({ model: 'expressai-dev', messages, stream: true })).length;

function expectWithin(messages: ApiMessage[], limits: ContextLimits): void {
  expect(messages.length).toBeLessThanOrEqual(limits.maxMessages);
  for (const m of messages) expect(m.content.length).toBeLessThanOrEqual(limits.maxMessageChars);
  expect(messages.reduce((n, m) => n + m.content.length, 0)).toBeLessThanOrEqual(limits.contextChars);
  expect(bodyBytes(messages)).toBeLessThanOrEqual(limits.maxRequestBytes);
  // The room kept for other fields stays free (the test's body has its own few fields).
  expect(bodyBytes(messages) - 100 + REQUEST_OVERHEAD_BYTES).toBeLessThanOrEqual(limits.maxRequestBytes);
}

describe('the ExpressAI limits', () => {
  it('are the service’s own', () => {
    expect(EXPRESSAI_LIMITS.maxMessageChars).toBe(CHAT_LIMITS.maxContentChars);
    expect(EXPRESSAI_LIMITS.maxMessages).toBe(CHAT_LIMITS.maxMessages);
    expect(EXPRESSAI_LIMITS.maxRequestBytes).toBe(CHAT_LIMITS.maxBodyBytes);
  });
});

describe('fitting a conversation to the limits', () => {
  it('sends a short conversation whole', () => {
    const conversation = [user('hi'), assistant('hello'), user('how are you?')];
    expect(fitContext(conversation, EXPRESSAI_LIMITS)).toEqual({ messages: conversation, omitted: 0, shortened: 0 });
  });

  it('shortens a long earlier answer instead of failing the follow-up (the 400 “messages.1.content” bug)', () => {
    const long = 'word '.repeat(9_000);
    const { messages, omitted, shortened } = fitContext([user('Write a report'), assistant(long), user('Summarize it')], EXPRESSAI_LIMITS);
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[1]!.content.length).toBeLessThanOrEqual(32_000);
    expect(messages[1]!.content.endsWith(SHORTENED_MARK)).toBe(true);
    expect(long.startsWith(messages[1]!.content.slice(0, -SHORTENED_MARK.length))).toBe(true);
    expect(messages[2]).toEqual(user('Summarize it'));
    expect({ omitted, shortened }).toEqual({ omitted: 0, shortened: 1 });
    expectWithin(messages, EXPRESSAI_LIMITS);
  });

  it('leaves out the oldest turns once the budget is spent, and keeps the system prompt first', () => {
    const limits: ContextLimits = { ...EXPRESSAI_LIMITS, contextChars: 3_000 };
    const turns = Array.from({ length: 6 }, (_, i) => [user(`question ${i} ${'q'.repeat(400)}`), assistant(`answer ${i} ${'a'.repeat(400)}`)]).flat();
    const system: ApiMessage = { role: 'system', content: 'Be brief.' };
    const { messages, omitted } = fitContext([system, ...turns, user('last')], limits);
    expect(messages[0]).toEqual(system);
    expect(messages.at(-1)).toEqual(user('last'));
    expect(omitted).toBeGreaterThan(0);
    // What is sent is the newest part of the conversation, in order.
    expect(messages.slice(1, -1).map((m) => m.content.slice(0, 10))).toEqual(turns.slice(omitted).map((m) => m.content.slice(0, 10)));
    expectWithin(messages, limits);
  });

  it('counts bytes too: text that encodes large gets fewer characters', () => {
    const limits: ContextLimits = { ...EXPRESSAI_LIMITS, maxRequestBytes: 40_000 };
    const wide = '\u0001'.repeat(20_000); // six bytes each in JSON
    const { messages } = fitContext([user('a'), assistant(wide), user('b')], limits);
    expectWithin(messages, limits);
    expect(messages[1]!.content.length).toBeLessThan(7_000);
    expect(messages.at(-1)).toEqual(user('b'));
  });

  it('refuses a question that cannot fit even alone, in plain words', () => {
    const refuse = () => checkQuestion('x'.repeat(32_001), EXPRESSAI_LIMITS);
    expect(refuse).toThrow(ExtensionError);
    expect(refuse).toThrow(/too long for this model \(32,001 characters; at most 32,000\)/);
    expect(() => fitContext([user('x'.repeat(40_000))], CUSTOM_ENDPOINT_LIMITS)).toThrow(expect.objectContaining({ code: 'question_too_long' }));
    expect(() => checkQuestion('x'.repeat(32_000), EXPRESSAI_LIMITS)).not.toThrow();
  });

  it('property: always within the limits, the newest question last and intact, the order kept', () => {
    const content = fc.oneof(fc.string({ maxLength: 50 }), fc.string({ minLength: 100, maxLength: 3_000 }), fc.constant('é'.repeat(2_500)), fc.constant('😀'.repeat(700)));
    const message = fc.record({ role: fc.constantFrom('user' as const, 'assistant' as const), content });
    const limits = fc.record({
      maxMessageChars: fc.integer({ min: 1_000, max: 4_000 }),
      maxMessages: fc.integer({ min: 2, max: 12 }),
      maxRequestBytes: fc.integer({ min: 8_000, max: 30_000 }),
      contextChars: fc.integer({ min: 1_000, max: 12_000 }),
    });
    fc.assert(
      fc.property(fc.option(fc.string({ minLength: 1, maxLength: 200 }), { nil: undefined }), fc.array(message, { maxLength: 20 }), content, limits, (systemText, earlier, question, lim) => {
        const system: ApiMessage[] = systemText === undefined ? [] : [{ role: 'system', content: systemText }];
        const conversation = [...system, ...earlier, user(question)];
        let fitted;
        try {
          fitted = fitContext(conversation, lim);
        } catch (error) {
          expect((error as ExtensionError).code).toBe('question_too_long');
          expect(() => checkQuestion(question, lim, system[0])).toThrow();
          return;
        }
        const { messages, omitted, shortened } = fitted;
        expectWithin(messages, lim);
        expect(messages.at(-1)).toEqual(user(question));
        if (system[0]) expect(messages[0]).toEqual(system[0]);
        // Earlier messages: the newest `kept` of them, in order, each whole or a marked prefix.
        const kept = messages.slice(system.length, -1);
        expect(omitted).toBe(earlier.length - kept.length);
        const originals = earlier.slice(omitted);
        let cut = 0;
        kept.forEach((m, i) => {
          expect(m.role).toBe(originals[i]!.role);
          if (m.content === originals[i]!.content) return;
          cut += 1;
          expect(m.content.endsWith(SHORTENED_MARK)).toBe(true);
          const prefix = m.content.slice(0, -SHORTENED_MARK.length);
          expect(originals[i]!.content.startsWith(prefix)).toBe(true);
          // A cut never splits a surrogate pair, so it may keep one character less.
          expect(prefix.length).toBeGreaterThanOrEqual(Math.min(MIN_KEPT_CHARS, lim.maxMessageChars - SHORTENED_MARK.length) - 1);
        });
        expect(shortened).toBe(cut);
      }),
      { numRuns: 300 },
    );
  });
});
