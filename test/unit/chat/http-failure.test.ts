import { describe, expect, it } from 'vitest';
import { parseRetryAfter, serverMessage } from '@/utils/chat/http-failure';

describe('parseRetryAfter', () => {
  const now = Date.parse('2030-01-01T00:00:00Z');
  it.each([
    ['120', 120],
    [' 5 ', 5],
    ['0', 0],
    ['2030', 2030],
    ['Tue, 01 Jan 2030 00:01:30 GMT', 90],
    ['Tue, 01 Jan 2030 00:00:00 GMT', 0],
    ['Mon, 31 Dec 2029 23:00:00 GMT', 0],
    ['Tue, 01 Jan 2030 00:00:00.500 GMT', 1],
  ])('reads %j as %i seconds', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });

  it.each([null, '', '-1', '1.5', 'soon', '12abc'])('gives up on %j', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('serverMessage', () => {
  it('reads the usual error shapes and ignores the rest', () => {
    expect(serverMessage('{"error":{"message":"Quota exceeded"}}')).toBe('Quota exceeded');
    expect(serverMessage('{"error":{"code":400}}')).toBeUndefined();
    expect(serverMessage('{"message":42}')).toBeUndefined();
    expect(serverMessage('[1,2]')).toBeUndefined();
    expect(serverMessage('{"error":"  "}')).toBeUndefined();
    expect(serverMessage(undefined)).toBeUndefined();
  });
});
