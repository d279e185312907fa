/**
 * `npm run bench`: builds the extension for the bench (when sources
 * changed), starts the local service in test mode, runs each suite in
 * headless Chromium, prints the table and writes it under bench/results/.
 * A suite that fails is reported as failed; the others still run.
 * Options: see support/options.ts.
 */
import os from 'node:os';
import { writeBenchPages } from './support/bench-pages';
import { ensureBuild } from './support/build';
import type { BenchContext } from './support/context';
import { describeEnvironment } from './support/environment';
import { parseOptions, type SuiteName } from './support/options';
import { textTable, writeResults, type RunReport } from './support/report';
import { failed, type Measure } from './support/results';
import { startBenchService } from './support/service';
import { historySuite } from './suites/history';
import { openTimeSuite } from './suites/open-time';
import { sizesSuite } from './suites/sizes';
import { streamingSuite } from './suites/streaming';
import { unlockSuite } from './suites/unlock';

const SUITE_RUNNERS: Record<SuiteName, { section: number; run: (ctx: BenchContext) => Promise<Measure[]> }> = {
  sizes: { section: 1, run: sizesSuite },
  open: { section: 2, run: openTimeSuite },
  stream: { section: 3, run: streamingSuite },
  unlock: { section: 4, run: unlockSuite },
  history: { section: 5, run: historySuite },
};

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const environment = describeEnvironment();
  const started = Date.now();
  log(`bench: ${environment.cpus} CPUs, load average ${environment.loadAtStart.join(' / ')}${options.quick ? ' (quick: a smoke test, not figures)' : ''}`);
  // The e2e suite's machine-wide lock: while the bench holds it, no e2e run starts (and the bench waits for one running).
  const release = options.exclusive ? await (await import('../test/e2e/support/run-lock')).acquireRunLock() : undefined;
  log('building (skipped when nothing changed)…');
  const build = await ensureBuild(options.build);
  await writeBenchPages(build.dir);
  const service = await startBenchService();
  const ctx: BenchContext = { options, extensionDir: build.dir, service, log };
  const measures: Measure[] = [];
  try {
    for (const name of options.suites) {
      const suite = SUITE_RUNNERS[name];
      const suiteStarted = Date.now();
      log(`[${name}] load average ${os.loadavg().map((n) => n.toFixed(2)).join(' / ')}`);
      try {
        await service.reset();
        measures.push(...(await suite.run(ctx)));
      } catch (error) {
        log(`suite ${name} failed: ${(error as Error).stack ?? error}`);
        measures.push(failed({ id: `${name}.suite`, section: suite.section, label: `suite "${name}"`, unit: 'ms' }, error));
      }
      log(`  (${name}: ${((Date.now() - suiteStarted) / 1000).toFixed(0)} s)`);
    }
  } finally {
    await service.close();
    release?.();
  }
  environment.loadAtEnd = os.loadavg().map((n) => Math.round(n * 100) / 100);
  const report: RunReport = { environment, options, build: { rebuilt: build.rebuilt, ms: build.ms }, durationMs: Date.now() - started, measures };
  process.stdout.write(`${textTable(report)}\n`);
  log(`results: ${await writeResults(report)}`);
}

main().then(
  // Browser-process cleanup timers must not keep the process alive.
  () => process.exit(0),
  (error: unknown) => {
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
