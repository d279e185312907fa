/**
 * Unlock → conversation list shown, in the real side panel: from the moment
 * the data key lands in storage.session (the unlock is done) to the first
 * painted frame showing one of the newest conversations' titles. The side
 * panel is opened locked and unlocked through its own form, each run.
 */
import type { Page } from 'puppeteer';
import { BENCH_PASSWORD, clickButton, lockNow, typeInto } from '../support/account';
import type { BenchBrowser, PageSize } from '../support/chrome';
import { waitForSeen, type BenchContext } from '../support/context';
import type { ProbeState } from '../support/probe';

type Host = { __benchProbe: ProbeState & { checks: ((t: number) => void)[] } };

/** Installs, in the page, the two marks: `keyStored` and `listShown`. */
function watchUnlockAndList(keyName: string, titles: string[]): void {
  const probe = (globalThis as unknown as Host).__benchProbe;
  const ext = (globalThis as unknown as { chrome: { storage: { session: { onChanged: { addListener(f: (c: Record<string, { newValue?: unknown }>) => void): void } } } } }).chrome;
  ext.storage.session.onChanged.addListener((changes) => {
    if (changes[keyName]?.newValue && !('keyStored' in probe.seen)) probe.seen.keyStored = performance.now();
  });
  probe.checks.push((t) => {
    if ('listShown' in probe.seen || !('keyStored' in probe.seen)) return;
    const where = document.querySelector('nav[aria-label="Conversations"]') ?? document.body;
    const text = where.textContent ?? '';
    if (titles.some((title) => text.includes(title))) probe.seen.listShown = t;
  });
}

async function once(page: Page, hash: string, titles: string[]): Promise<number | undefined> {
  await waitForSeen(page, ['unlock form'], 30_000);
  await page.evaluate(watchUnlockAndList, `vault_key_${hash}`, titles);
  await typeInto(page, 'Master password', BENCH_PASSWORD);
  await clickButton(page, 'Unlock');
  await waitForSeen(page, ['keyStored'], 60_000);
  const shown = await waitForSeen(page, ['listShown'], 15_000).catch(() => undefined);
  const seen = await page.evaluate(() => (globalThis as unknown as Host).__benchProbe.seen);
  return shown ? shown.at - seen.keyStored! : undefined;
}

/** Samples in ms, or undefined when the panel never showed the list (no conversation list in the UI yet). */
export async function unlockToList(ctx: BenchContext, bench: BenchBrowser, hash: string, titles: string[], size: PageSize): Promise<number[] | undefined> {
  const samples: number[] = [];
  for (let i = 0; i < ctx.options.unlockRuns; i++) {
    const page = await bench.open('sidepanel.html', { size, readyCheck: true });
    try {
      const ms = await once(page, hash, titles);
      if (ms === undefined) return i === 0 ? undefined : samples;
      samples.push(ms);
      ctx.log(`  side panel: unlock → list ${ms.toFixed(0)} ms`);
      await lockNow(page);
    } finally {
      await page.close();
    }
  }
  return samples;
}

/** Marks `results:<n>` at the first painted frame where the list is no longer busy (the query's results are shown). */
function watchResults(mark: string): void {
  const probe = (globalThis as unknown as Host).__benchProbe;
  probe.checks.push((t) => {
    if (mark in probe.seen) return;
    if (document.querySelector('nav[aria-label="Conversations"]')?.getAttribute('aria-busy') === 'false') probe.seen[mark] = t;
  });
}

/**
 * Search in the real side panel, unlocked: each query is typed into "Search
 * conversations" at once (one input event), and timed from that event to the
 * first painted frame showing its results. The list waits for typing to stop
 * (`pauseMs`) before it asks the background; that pause is reported apart.
 */
export async function searchInPanel(bench: BenchBrowser, queries: string[], size: PageSize, pauseMs: number): Promise<number[]> {
  const page = await bench.open('sidepanel.html', { size, readyCheck: true });
  try {
    await waitForSeen(page, ['unlock form'], 30_000);
    await typeInto(page, 'Master password', BENCH_PASSWORD);
    await clickButton(page, 'Unlock');
    await page.waitForSelector('nav[aria-label="Conversations"][aria-busy="false"] ul', { timeout: 60_000 });
    const samples: number[] = [];
    for (const [i, query] of queries.entries()) {
      const started: number = await page.evaluate((text) => {
        const box = document.querySelector<HTMLInputElement>('input[aria-label="Search conversations"]')!;
        box.value = text;
        const at = performance.now();
        box.dispatchEvent(new Event('input', { bubbles: true }));
        return at;
      }, query);
      // Installed after the input event: by the next frame the list is busy with this query.
      await page.evaluate(watchResults, `results:${i}`);
      const shown = await waitForSeen(page, [`results:${i}`], 15_000);
      samples.push(shown.at - started - pauseMs);
    }
    await lockNow(page);
    return samples;
  } finally {
    await page.close();
  }
}
