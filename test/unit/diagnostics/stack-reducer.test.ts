import { describe, expect, it } from 'vitest';
import { crashFromError, crashName, reduceStack } from '@/utils/diagnostics/stack-reducer';

const CHROME_BASE = 'chrome-extension://cohfjjbmjffeaenjgiofhalfbckieang/';
const FIREFOX_BASE = 'moz-extension://2f3c1a7e-51d4-4b7e-9d0c-6c2b8e1f4a90/';

/** Shaped like a real V8 stack from the side panel: message first, then `at` frames. */
const CHROME_STACK = [
  "TypeError: Cannot read properties of undefined (reading 'content') for alice@example.com",
  `    at renderAnswer (${CHROME_BASE}chunks/sidepanel-3f2a9c.js:120:15)`,
  `    at ${CHROME_BASE}chunks/sidepanel-3f2a9c.js:88:3`,
  '    at Array.forEach (<anonymous>)',
  `    at async Promise.all (index 0)`,
  `    at new ChatView (${CHROME_BASE}sidepanel.html?tab=7#frag:1:9)`,
  `    at eval (eval at run (${CHROME_BASE}background.js:42:7), <anonymous>:1:1)`,
  '    at https://evil.example/track.js?u=alice:3:4',
  '    at chrome-extension://abcdefghijklmnopabcdefghijklmnop/other.js:5:6',
].join('\n');

/** Shaped like a real Firefox stack: no message, `fn@url:line:col`. */
const FIREFOX_STACK = [
  `renderAnswer@${FIREFOX_BASE}chunks/sidepanel-3f2a9c.js:120:15`,
  `async*send@${FIREFOX_BASE}chunks/sidepanel-3f2a9c.js:88:3`,
  `@${FIREFOX_BASE}background.js:42:7`,
  'promise callback*ChatView/<@moz-extension://00000000-1111-4222-8333-444444444444/x.js:1:1',
  'track@https://evil.example/secret-prompt.js:3:4',
  '',
].join('\n');

describe('the stack reducer', () => {
  it('keeps only our own Chrome frames, as file.js:line, without the extension id', () => {
    const frames = reduceStack(CHROME_STACK, CHROME_BASE, "Cannot read properties of undefined (reading 'content') for alice@example.com");
    expect(frames).toEqual(['chunks/sidepanel-3f2a9c.js:120', 'chunks/sidepanel-3f2a9c.js:88', 'background.js:42']);
    expect(frames.join()).not.toContain('cohfjjbmjffeaenjgiofhalfbckieang');
  });

  it('keeps only our own Firefox frames, without the moz-extension UUID', () => {
    const frames = reduceStack(FIREFOX_STACK, FIREFOX_BASE);
    expect(frames).toEqual(['chunks/sidepanel-3f2a9c.js:120', 'chunks/sidepanel-3f2a9c.js:88', 'background.js:42']);
    expect(frames.join()).not.toContain('2f3c1a7e');
  });

  it('never lets text in a message pose as a frame', () => {
    const message = `my prompt\n    at steal (${CHROME_BASE}my-secret-prompt.js:1:1)`;
    const stack = `Error: ${message}\n    at real (${CHROME_BASE}background.js:7:1)`;
    expect(reduceStack(stack, CHROME_BASE, message)).toEqual(['background.js:7']);
  });

  it('drops frames whose path does not fit the schema (query strings, pages, odd characters)', () => {
    const stack = [
      `    at a (${CHROME_BASE}sidepanel.html:3:1)`,
      `    at b (${CHROME_BASE}chunks/we ird.js:3:1)`,
      `    at c (${CHROME_BASE}chunks/ok.js?v=1:4:2)`,
      `    at d (${CHROME_BASE}chunks/zero.js:0:2)`,
    ].join('\n');
    expect(reduceStack(stack, CHROME_BASE)).toEqual(['chunks/ok.js:4']);
  });

  it('keeps at most 20 frames', () => {
    const stack = Array.from({ length: 50 }, (_, i) => `    at f (${CHROME_BASE}a.js:${i + 1}:1)`).join('\n');
    expect(reduceStack(stack, CHROME_BASE)).toHaveLength(20);
  });

  it('keeps class-like error names and nothing else', () => {
    expect(crashName('TypeError')).toBe('TypeError');
    expect(crashName('DOMException')).toBe('DOMException');
    expect(crashName('AbortError')).toBe('AbortError');
    expect(crashName('alice')).toBe('Error');
    expect(crashName('Error: secret')).toBe('Error');
    expect(crashName(42)).toBe('Error');
  });

  it('summarizes a real thrown error and a thrown non-error', () => {
    const error = new RangeError('prompt text: my bank password is hunter2');
    error.stack = `RangeError: ${error.message}\n    at x (${CHROME_BASE}background.js:9:9)`;
    expect(crashFromError(error, CHROME_BASE)).toEqual({ name: 'RangeError', frames: ['background.js:9'] });
    expect(crashFromError('a thrown string with user text', CHROME_BASE)).toEqual({ name: 'Error', frames: [] });
  });
});
