/**
 * 1. Bytes: the JS and CSS the popup and the side panel actually load (every
 * script and stylesheet response while the page opens signed in and
 * unlocked, then settles for a second), raw and gzip (level 9, as a store
 * would serve it), and the whole unpacked build (bench-only pages excluded).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readyToChat } from '../support/account';
import { launchBench, PANEL_SIZE, POPUP_SIZE, type BenchBrowser, type PageSize } from '../support/chrome';
import type { BenchContext } from '../support/context';
import { BENCH_PAGES_DIR } from '../support/paths';
import { installProbe } from '../support/probe';
import { measured, type Measure } from '../support/results';
import { streamOnce } from '../support/stream-run';
import { settledSurfacePages } from '../support/surfaces';

const KB = 1024;
const CODE = /\.(m?js|css)$/;

interface Weighed {
  /** Each file with its gzip size, biggest first. */
  files: { file: string; gzip: number }[];
  raw: number;
  gzip: number;
}

async function weigh(dir: string, files: readonly string[]): Promise<Weighed> {
  const out: Weighed = { files: [], raw: 0, gzip: 0 };
  for (const file of files) {
    const bytes = await readFile(path.join(dir, file));
    const gzip = gzipSync(bytes, { level: 9 }).length;
    out.raw += bytes.length;
    out.gzip += gzip;
    out.files.push({ file, gzip });
  }
  out.files.sort((a, b) => b.gzip - a.gzip);
  return out;
}

/**
 * Paths (relative to the build) of the scripts and stylesheets `pagePath`
 * loads; with `answer`, also while it then shows a streamed answer (the
 * markdown renderer and code highlighting load on demand).
 */
async function loadedCode(bench: BenchBrowser, pagePath: string, size: PageSize, answer?: () => Promise<number>): Promise<string[]> {
  const page = await bench.browser.newPage();
  const loaded = new Set<string>();
  page.on('response', (response) => {
    const url = response.url();
    if (url.startsWith(bench.baseUrl) && CODE.test(new URL(url).pathname)) loaded.add(decodeURIComponent(new URL(url).pathname.slice(1)));
  });
  await page.setViewport(size);
  await page.evaluateOnNewDocument('globalThis.__name ??= (fn) => fn;');
  await page.evaluateOnNewDocument(installProbe);
  await page.goto(bench.url(pagePath), { waitUntil: 'networkidle0' });
  // Code that loads after the first render (lazy chunks) counts too.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  if (answer) {
    await streamOnce(page, { prompt: 'bench bytes', chunks: await answer(), timeoutMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  // A page that carries its stylesheet inline (the chat-ready pages) loads that CSS with its HTML: count the HTML.
  if (await page.evaluate(() => document.querySelector('style') !== null).catch(() => false)) loaded.add(pagePath);
  await page.close();
  return [...loaded].sort();
}

export async function sizesSuite(ctx: BenchContext): Promise<Measure[]> {
  ctx.log('1. bytes');
  const out: Measure[] = [];
  const bench = await launchBench(ctx.extensionDir);
  try {
    await (await readyToChat(bench)).close();
    const pages = await settledSurfacePages(bench);
    for (const [key, label, pagePath, size] of [
      ['popup', 'popup', pages.popup, POPUP_SIZE],
      ['panel', 'side panel', pages.panel, PANEL_SIZE],
    ] as const) {
      const weighed = await weigh(ctx.extensionDir, await loadedCode(bench, pagePath, size));
      const files = weighed.files.map((f) => `${f.file} ${(f.gzip / KB).toFixed(1)} KB`).join(', ');
      const base = { section: 1, unit: 'bytes' as const, variant: 'signed in, unlocked', note: `${weighed.files.length} files (gzip): ${files}` };
      out.push(
        measured({ ...base, id: `bytes.${key}.gzip`, label: `${label} JS + CSS, gzip`, budget: '≤ 100 KB', check: (m) => m <= 100 * KB, pageAssist: '2.74 MB' }, [weighed.gzip]),
        measured({ ...base, id: `bytes.${key}.raw`, label: `${label} JS + CSS, raw`, pageAssist: '13.0 MB' }, [weighed.raw]),
      );
    }
    // The same side panel, then an answer with headings, a table and TypeScript code: all it loads by then.
    const answered = await weigh(
      ctx.extensionDir,
      await loadedCode(bench, 'sidepanel.html', PANEL_SIZE, async () => (await ctx.service.benchNext({ bytes: 16 * KB, chunkChars: 4 })).chunks),
    );
    out.push(
      measured(
        {
          id: 'bytes.panel-answer.gzip',
          section: 1,
          label: 'side panel JS + CSS after showing an answer, gzip',
          unit: 'bytes',
          variant: 'signed in, unlocked, one answer with code',
          note: `${answered.files.length} files (gzip): ${answered.files.map((f) => `${f.file} ${(f.gzip / KB).toFixed(1)} KB`).join(', ')}`,
          budget: '≤ 100 KB',
          check: (m) => m <= 100 * KB,
          pageAssist: '2.74 MB',
        },
        [answered.gzip],
      ),
    );
  } finally {
    await bench.close();
  }
  const all = (await readdir(ctx.extensionDir, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile())
    .map((d) => path.relative(ctx.extensionDir, path.join(d.parentPath, d.name)))
    .filter((f) => !f.startsWith(`${BENCH_PAGES_DIR}${path.sep}`));
  const build = await weigh(ctx.extensionDir, all);
  out.push(
    measured({ id: 'bytes.build.raw', section: 1, label: 'whole unpacked build, raw', unit: 'bytes', note: `${all.length} files` }, [build.raw]),
    measured({ id: 'bytes.build.gzip', section: 1, label: 'whole unpacked build, gzip per file', unit: 'bytes' }, [build.gzip]),
  );
  return out;
}
