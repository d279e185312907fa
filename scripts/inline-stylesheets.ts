/**
 * Build step for the pages whose first frame is their HTML (the chat's frame, entrypoints/popup-chat): their
 * stylesheet is written into the page, so that frame needs no second file from the package. An extension page
 * gets its files one after another from the browser's busy main thread while it opens; a linked stylesheet held
 * the first frame back by ~20 ms (bench/README.md). Each inlined sheet is allowed by its SHA-256 in the CSP.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const STYLESHEET_LINK = /<link rel="stylesheet"[^>]*? href="(\/[^"]+\.css)"[^>]*>/g;

/** The CSP source that allows exactly this `<style>` text. */
export function styleHashSource(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/**
 * Replaces the stylesheet links of `pages` (file names in `outDir`) with the sheets' text, and returns the CSP
 * sources that allow them. A page that is missing or links no sheet (the dev server's pages) is left as it is.
 */
export async function inlineStylesheets(outDir: string, pages: readonly string[]): Promise<string[]> {
  const sources = new Set<string>();
  for (const page of pages) {
    const file = join(outDir, page);
    const html = await readFile(file, 'utf8').catch(() => undefined);
    if (html === undefined) continue;
    let out = html;
    for (const [tag, href] of html.matchAll(STYLESHEET_LINK)) {
      const css = await readFile(join(outDir, href!), 'utf8');
      if (/<\/style/i.test(css)) throw new Error(`${href} cannot be inlined: it contains "</style"`);
      sources.add(styleHashSource(css));
      out = out.replace(tag, () => `<style>${css}</style>`);
    }
    if (out !== html) await writeFile(file, out);
  }
  return [...sources];
}
