/**
 * 3. Streaming and 6. memory. The service's bench answer (a fixed markdown
 * document, 4-character chunks) of 60 KB and 240 KB as fast as possible, and
 * 240 KB paced at 1,000 chunks/s, through:
 * - `real chat UI`: the side panel (400×900), when it has the message box;
 * - `chat components`: the bench page that assembles the product's chat
 *   components and SSE client with no background in between (always runs,
 *   so there are figures before the chat UI is wired).
 * After each fast 240 KB answer: the JS heap of that page and of the
 * background after garbage collection.
 */
import type { Page } from 'puppeteer';
import { readyToChat } from '../support/account';
import { heapAfterGc, launchBench, PANEL_SIZE, type BenchBrowser } from '../support/chrome';
import { waitForSeen, type BenchContext } from '../support/context';
import { BENCH_PAGES_DIR } from '../support/paths';
import { unavailable, type Measure } from '../support/results';
import { chatRequestTiming, streamOnce, type StreamRun } from '../support/stream-run';
import { streamMeasures, type VariantRuns } from './streaming-measures';

export const KB = 1024;
const CHUNK = 4;

interface Variant {
  key: 'ui' | 'components';
  label: string;
  open(bench: BenchBrowser): Promise<Page>;
  prepare?: (page: Page) => Promise<void>;
}

/**
 * The side panel reopens the last conversation, and asking on in it would
 * send the previous 240 KB answer back (the service refuses content over
 * 32,000 characters): start a new conversation, as a person would.
 */
async function newConversation(page: Page): Promise<void> {
  await waitForSeen(page, ['message box'], 30_000);
  // Restoring the last conversation marks the chat busy (answers being streamed are busy too, hence :not(article)).
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]:not(article)'), { timeout: 15_000, polling: 100 });
  const button = await page.$('::-p-aria([name="New chat"][role="button"])');
  if (!button || (await button.evaluate((b) => (b as HTMLButtonElement).disabled))) return;
  await button.click();
  await page.waitForFunction(() => Array.from(document.querySelectorAll('button')).some((b) => b.textContent?.trim() === 'New chat' && b.disabled), {
    timeout: 15_000,
    polling: 100,
  });
}

async function backgroundHeap(bench: BenchBrowser): Promise<number> {
  const target = bench.browser.targets().find((t) => t.type() === 'service_worker' && t.url().startsWith(bench.baseUrl));
  if (!target) return Number.NaN; // stopped while idle: it holds nothing then
  return heapAfterGc(await target.createCDPSession());
}

async function backgroundTiming(bench: BenchBrowser) {
  const target = bench.browser.targets().find((t) => t.type() === 'service_worker' && t.url().startsWith(bench.baseUrl));
  const worker = await target?.worker();
  return worker ? chatRequestTiming((fn) => worker.evaluate(fn)) : undefined;
}

async function runVariant(ctx: BenchContext, bench: BenchBrowser, variant: Variant): Promise<VariantRuns> {
  const runs: VariantRuns = { fast60: [], fast240: [], paced240: [], pageHeap: [], backgroundHeap: [] };
  const plan = [
    ...Array.from({ length: ctx.options.streamRuns }, () => ({ bytes: 60 * KB, paced: false })),
    ...Array.from({ length: ctx.options.streamRuns }, () => ({ bytes: 240 * KB, paced: false })),
    ...Array.from({ length: ctx.options.pacedRuns }, () => ({ bytes: 240 * KB, paced: true })),
  ];
  let n = 0;
  for (const step of plan) {
    n += 1;
    const page = await variant.open(bench);
    try {
      const spec = { bytes: step.bytes, chunkChars: CHUNK, ...(step.paced && { chunksPerSecond: 1000 }) };
      const { chunks } = await ctx.service.benchNext(spec);
      const run: StreamRun = await streamOnce(page, {
        prompt: `bench run ${n}`,
        chunks,
        timeoutMs: step.paced ? 240_000 : 120_000,
        otherTiming: () => backgroundTiming(bench),
        prepare: variant.prepare,
      });
      const list = step.paced ? runs.paced240 : step.bytes === 60 * KB ? runs.fast60 : runs.fast240;
      list.push(run);
      if (!step.paced && step.bytes === 240 * KB) {
        runs.pageHeap.push(await heapAfterGc(await page.createCDPSession()));
        runs.backgroundHeap.push(await backgroundHeap(bench));
      }
      ctx.log(`  ${variant.key} ${step.bytes / KB} KB${step.paced ? ' paced' : ''}: last chunk ${run.lastMs.toFixed(0)} ms, longest task ${run.longestTaskMs.toFixed(0)} ms, ${run.fps.toFixed(0)} fps`);
    } catch (error) {
      ctx.log(`  ${variant.key} run ${n} failed: ${(error as Error).message.split('\n')[0]}`);
      await fetch(`${ctx.service.url}/__test/bench`, { method: 'DELETE' }).catch(() => undefined);
    } finally {
      await page.close();
    }
  }
  return runs;
}

export async function streamingSuite(ctx: BenchContext): Promise<Measure[]> {
  ctx.log('3. streaming, 6. memory');
  const bench = await launchBench(ctx.extensionDir);
  try {
    await (await readyToChat(bench)).close();
    const components: Variant = {
      key: 'components',
      label: 'bench page: product chat components, stream parsed on the page, no background',
      async open(b) {
        const page = await b.open(`${BENCH_PAGES_DIR}/stream.html`, { size: PANEL_SIZE });
        const token = await ctx.service.accessToken();
        await page.evaluate((url, t) => void ((globalThis as { __benchChat?: unknown }).__benchChat = { url, token: t }), `${ctx.service.url}/v1/chat/completions`, token);
        return page;
      },
    };
    const ui: Variant = {
      key: 'ui',
      label: 'real chat UI (side panel, answer streamed by the background)',
      open: (b) => b.open('sidepanel.html', { size: PANEL_SIZE, readyCheck: true }),
      prepare: newConversation,
    };

    // Whether the side panel has a message box yet: the real chat path needs it.
    const probe = await ui.open(bench);
    const hasChat = await waitForSeen(probe, ['message box'], 15_000).then(() => true, () => false);
    await probe.close();

    const out: Measure[] = [];
    if (hasChat) out.push(...streamMeasures(ui.key, ui.label, await runVariant(ctx, bench, ui), true));
    else out.push(unavailable({ id: 'stream.ui', section: 3, label: 'streaming through the real chat UI', unit: 'ms' }, 'the side panel shows no "Message" box yet (chat UI not wired); the chat-components figures stand in'));
    // Budgets are the product's: the components page stands in for them only while the side panel has no chat.
    const label = hasChat ? `${components.label} (a reference: no budgets)` : components.label;
    out.push(...streamMeasures(components.key, label, await runVariant(ctx, bench, components), !hasChat));
    return out;
  } finally {
    await bench.close();
  }
}
