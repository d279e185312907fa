import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHAT_LIMITS } from '../../server/chat-request';
import { devModelAnswer } from '../../server/dev-model';
import { chat, signIn, startTestService, userPrompt, type TestService } from './helpers/service';
import { contentOf, readStream } from './helpers/sse';

let svc: TestService;
let token: string;
beforeAll(async () => {
  svc = await startTestService();
  token = (await signIn(svc)).access_token;
});
afterAll(() => svc.close());
beforeEach(() => svc.control('POST', 'reset'));

describe('GET /v1/models', () => {
  it('lists the development model', async () => {
    const response = await fetch(`${svc.url}/v1/models`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ object: 'list', data: [expect.objectContaining({ id: 'expressai-dev', object: 'model' })] });
  });
});

describe('authentication', () => {
  it.each([
    ['no token', undefined, undefined],
    ['an unknown token', 'not-a-real-token', 'invalid_token'],
  ])('refuses %s with 401 and WWW-Authenticate', async (_name, bearer, error) => {
    for (const response of [await chat(svc, bearer, userPrompt('hi')), await fetch(`${svc.url}/v1/models`, { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} })]) {
      expect(response.status).toBe(401);
      const challenge = response.headers.get('www-authenticate')!;
      expect(challenge).toMatch(/^Bearer realm="ExpressAI"/);
      if (error) expect(challenge).toContain(`error="${error}"`);
      else expect(challenge).not.toContain('error=');
      expect((await response.json()).error).toMatchObject({ type: 'authentication_error' });
    }
  });

  it('counts every chat request, refused ones included', async () => {
    await chat(svc, undefined, userPrompt('hi'));
    await chat(svc, token, userPrompt('hi', false));
    expect(await svc.control('GET', 'counters')).toMatchObject({ chatRequests: 2 });
  });
});

describe('POST /v1/chat/completions', () => {
  const prompt = 'Explain how streaming markdown works in a browser extension side panel';

  it('streams OpenAI chunks as SSE, ending with [DONE]', async () => {
    const response = await chat(svc, token, userPrompt(prompt));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const stream = await readStream(response);
    expect(stream.error).toBeUndefined();
    expect(stream.data.at(-1)).toBe('[DONE]');
    expect(stream.raw.endsWith('data: [DONE]\n\n')).toBe(true);
    // Every event is one `data:` line followed by a blank line.
    expect(stream.raw).toMatch(/^(data: [^\n]+\n\n)+$/);
    const chunks = stream.data.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ object: 'chat.completion.chunk', model: 'expressai-dev', id: chunks[0].id, choices: [{ index: 0 }] });
    }
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.at(-1).choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(contentOf(stream)).toBe(devModelAnswer([{ role: 'user', content: prompt }]));
  });

  it('answers JSON without stream, with the same deterministic markdown', async () => {
    const first = await (await chat(svc, token, userPrompt(prompt, false))).json();
    const second = await (await chat(svc, token, userPrompt(prompt, false))).json();
    expect(first).toMatchObject({ object: 'chat.completion', model: 'expressai-dev', choices: [{ message: { role: 'assistant' }, finish_reason: 'stop' }] });
    const content: string = first.choices[0].message.content;
    expect(content).toBe(second.choices[0].message.content);
    // Something real to render: paragraphs, a list, a table and fenced code.
    expect(content).toMatch(/^## /m);
    expect(content).toMatch(/^1\. /m);
    expect(content).toMatch(/^- /m);
    expect(content).toMatch(/^\|---\|/m);
    expect(content).toMatch(/^```json\n[\s\S]+\n```$/m);
    expect(content).toContain('not AI');
  });

  it('refuses a model it does not have', async () => {
    const response = await chat(svc, token, { ...userPrompt('hi'), model: 'gpt-4o' });
    expect(response.status).toBe(404);
    expect((await response.json()).error).toMatchObject({ code: 'model_not_found', param: 'model' });
  });
});

describe('bad bodies get 400 saying what is wrong', () => {
  const many = Array.from({ length: CHAT_LIMITS.maxMessages + 1 }, () => ({ role: 'user', content: 'x' }));
  it.each([
    ['not JSON', '{"model":', 'body', 'not valid JSON'],
    ['not an object', '[1,2]', 'body', 'must be a JSON object'],
    ['no messages', { model: 'expressai-dev' }, 'messages', 'messages is required'],
    ['empty messages', { model: 'expressai-dev', messages: [] }, 'messages', 'at least one'],
    ['too many messages', { model: 'expressai-dev', messages: many }, 'messages', `at most ${CHAT_LIMITS.maxMessages}`],
    ['a message not an object', { model: 'expressai-dev', messages: ['hi'] }, 'messages.0', 'messages.0 must be an object'],
    ['an unknown role', { model: 'expressai-dev', messages: [{ role: 'tool', content: 'x' }] }, 'messages.0.role', 'role must be'],
    ['content not a string', { model: 'expressai-dev', messages: [{ role: 'user', content: 5 }] }, 'messages.0.content', 'content must be a string'],
    ['content too long', { model: 'expressai-dev', messages: [{ role: 'user', content: 'x'.repeat(CHAT_LIMITS.maxContentChars + 1) }] }, 'messages.0.content', 'at most'],
    ['stream not a boolean', { ...userPrompt('hi'), stream: 'yes' }, 'stream', 'stream must be true or false'],
    ['no model', { messages: [{ role: 'user', content: 'hi' }] }, 'model', 'model is required'],
    ['model not a string', { ...userPrompt('hi'), model: 7 }, 'model', 'model must be a string'],
    ['messages not an array', { model: 'expressai-dev', messages: 'hi' }, 'messages', 'messages must be an array'],
  ])('%s', async (_name, body, param, words) => {
    const response = await chat(svc, token, body);
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error).toMatchObject({ type: 'invalid_request_error', param });
    expect(error.message).toContain(words);
  });

  it('an oversized body', async () => {
    const content = 'y'.repeat(CHAT_LIMITS.maxBodyBytes);
    const response = await chat(svc, token, userPrompt(content));
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: 'body_too_large', message: expect.stringContaining(`${CHAT_LIMITS.maxBodyBytes} bytes`) });
  });

  it('never quotes the prompt back in an error', async () => {
    const response = await chat(svc, token, { model: 'expressai-dev', messages: [{ role: 'secret-role-text', content: 'secret prompt text' }] });
    expect(await response.text()).not.toContain('secret');
  });
});
