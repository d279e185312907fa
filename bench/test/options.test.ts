import { describe, expect, it } from 'vitest';
import { parseOptions, SUITES } from '../support/options';

describe('bench options', () => {
  it('runs every suite with the issue figures by default', () => {
    const o = parseOptions([]);
    expect(o.suites).toEqual([...SUITES]);
    expect(o).toMatchObject({ build: 'auto', quick: false, exclusive: false, openRuns: 10, streamRuns: 5, historyConversations: 10_000, historyMessages: 100_000 });
  });

  it('reads --only, --runs, --quick and the build switches', () => {
    const o = parseOptions(['--only', 'open,history', '--runs', '3', '--no-build', '--exclusive']);
    expect(o).toMatchObject({ suites: ['open', 'history'], build: 'never', exclusive: true, openRuns: 3, freshRuns: 3, pacedRuns: 3 });
    expect(parseOptions(['--quick'])).toMatchObject({ quick: true, openRuns: 3, historyConversations: 500 });
    expect(parseOptions(['--rebuild']).build).toBe('always');
  });

  it('refuses what it does not know, instead of silently measuring something else', () => {
    expect(() => parseOptions(['--only', 'speed'])).toThrow(/unknown suite speed/);
    expect(() => parseOptions(['--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseOptions(['--runs', '0'])).toThrow(/--runs/);
    expect(() => parseOptions(['stray'])).toThrow(/unexpected argument/);
  });
});
