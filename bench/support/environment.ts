/** The machine a run happened on: numbers mean little without it, on a shared 2-core box even less. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { CHROMIUM_PATH } from '../../test/e2e/support/browsers';
import { REPO_ROOT } from './paths';

export interface Environment {
  startedAt: string;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  /** 1, 5 and 15-minute load averages when the run started and ended. */
  loadAtStart: number[];
  loadAtEnd?: number[];
  node: string;
  chromium: string;
  commit: string;
  /** Uncommitted changes in the tree the build came from. */
  dirty: boolean;
}

function quiet(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function describeEnvironment(): Environment {
  return {
    startedAt: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAtStart: os.loadavg().map((n) => Math.round(n * 100) / 100),
    node: process.version,
    chromium: quiet(CHROMIUM_PATH, ['--version']),
    commit: quiet('git', ['rev-parse', '--short', 'HEAD']),
    dirty: quiet('git', ['status', '--porcelain']) !== '',
  };
}

export function environmentLines(env: Environment): string[] {
  return [
    `${env.startedAt}  commit ${env.commit}${env.dirty ? ' + uncommitted changes' : ''}`,
    `${env.cpus} × ${env.cpuModel}, ${env.memoryGiB} GiB; load average at start ${env.loadAtStart.join(' / ')}${env.loadAtEnd ? `, at end ${env.loadAtEnd.join(' / ')}` : ''}`,
    `${env.chromium} (headless), Node ${env.node}`,
  ];
}
