/** What every suite gets: the options, the build, the service, and a progress line. */
import type { Page } from 'puppeteer';
import type { BenchOptions } from './options';
import type { BenchService } from './service';

export interface BenchContext {
  options: BenchOptions;
  extensionDir: string;
  service: BenchService;
  /** Progress, on stderr, so stdout carries only the table. */
  log(line: string): void;
}

/** Resolves once `name` was seen by the page's probe, with its time (ms since navigation start). */
export async function waitForSeen(page: Page, names: readonly string[], timeoutMs: number): Promise<{ name: string; at: number }> {
  const handle = await page.waitForFunction(
    (wanted: string[]) => {
      const seen = (globalThis as unknown as { __benchProbe: { seen: Record<string, number> } }).__benchProbe.seen;
      const name = wanted.find((n) => n in seen);
      return name ? { name, at: seen[name]! } : false;
    },
    { timeout: timeoutMs, polling: 100 },
    [...names],
  );
  return (await handle.jsonValue()) as { name: string; at: number };
}

/** Runs `task` `count` times, keeping the values that were measured; a failed sample is logged and skipped. */
export async function sample(ctx: BenchContext, what: string, count: number, task: (i: number) => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    try {
      out.push(await task(i));
    } catch (error) {
      ctx.log(`  ${what}: sample ${i + 1} failed: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return out;
}
