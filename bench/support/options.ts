/**
 * `npm run bench -- [options]`:
 *   --only sizes,open,stream,unlock,history   run some suites (default: all)
 *   --quick                                   fewer runs and a smaller history: a smoke test of the bench itself
 *   --runs N                                  samples per timing (default 10 for open times, 5 elsewhere)
 *   --rebuild / --no-build                    always / never rebuild the bench's extension build
 *   --exclusive                               wait for, and hold, the machine's e2e run lock, so no e2e run shares the CPUs
 */
export const SUITES = ['sizes', 'open', 'stream', 'unlock', 'history'] as const;
export type SuiteName = (typeof SUITES)[number];

export interface BenchOptions {
  suites: SuiteName[];
  build: 'auto' | 'always' | 'never';
  quick: boolean;
  exclusive: boolean;
  /** Opens per page in a running browser. */
  openRuns: number;
  /** Fresh browsers per page. */
  freshRuns: number;
  /** Answers per size, sent as fast as possible. */
  streamRuns: number;
  /** Paced 240 KB answers (about a minute each). */
  pacedRuns: number;
  unlockRuns: number;
  historyConversations: number;
  historyMessages: number;
}

export function parseOptions(argv: readonly string[]): BenchOptions {
  const flag = (name: string) => argv.includes(`--${name}`);
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const known = new Set(['--only', '--quick', '--runs', '--rebuild', '--no-build', '--exclusive']);
  argv.forEach((arg, i) => {
    if (arg.startsWith('--') && !known.has(arg)) throw new Error(`unknown option ${arg} (see bench/support/options.ts)`);
    if (!arg.startsWith('--') && !['--only', '--runs'].includes(argv[i - 1] ?? '')) throw new Error(`unexpected argument ${arg}`);
  });
  const only = value('only')?.split(',').map((s) => s.trim()) ?? [...SUITES];
  for (const s of only) if (!(SUITES as readonly string[]).includes(s)) throw new Error(`unknown suite ${s}; known: ${SUITES.join(', ')}`);
  const quick = flag('quick');
  const runs = value('runs') === undefined ? undefined : Number(value('runs'));
  if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1)) throw new Error('--runs takes a whole number ≥ 1');
  return {
    suites: only as SuiteName[],
    build: flag('rebuild') ? 'always' : flag('no-build') ? 'never' : 'auto',
    quick,
    exclusive: flag('exclusive'),
    openRuns: runs ?? (quick ? 3 : 10),
    freshRuns: runs ?? (quick ? 2 : 5),
    streamRuns: runs ?? (quick ? 2 : 5),
    pacedRuns: runs === undefined ? (quick ? 1 : 3) : Math.min(runs, 3),
    unlockRuns: runs ?? (quick ? 2 : 5),
    historyConversations: quick ? 500 : 10_000,
    historyMessages: quick ? 5_000 : 100_000,
  };
}
