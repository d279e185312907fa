import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inlineStylesheets, styleHashSource } from '@/scripts/inline-stylesheets';

// Dollar signs and a quote: the text must land as it is, not read as a replacement pattern.
const CSS = ".shell{color:#c8102e}\n.chat::before{content:'$& $1 $$'}\n";

/** The CSP source for `css`, computed without the code under test. */
function expectedSource(css: string): string {
  return `'sha256-${Buffer.from(sha256(new TextEncoder().encode(css))).toString('base64')}'`;
}

/** A page as Vite writes it. */
const page = (links: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <script type="module" crossorigin src="/popup-chat.js"></script>
    <link rel="modulepreload" crossorigin href="/chunks/mount.js">
${links}
  </head>
  <body><div id="app" hidden></div></body>
</html>
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'inline-stylesheets-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'assets/mount-Ab12.css'), CSS);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('inlineStylesheets', () => {
  it('replaces the stylesheet link with a <style> holding exactly the sheet, and returns its CSP hash', async () => {
    await writeFile(join(dir, 'popup-chat.html'), page('    <link rel="stylesheet" crossorigin href="/assets/mount-Ab12.css">'));
    const sources = await inlineStylesheets(dir, ['popup-chat.html']);
    const html = await readFile(join(dir, 'popup-chat.html'), 'utf8');
    expect(html).toBe(page(`    <style>${CSS}</style>`));
    expect(html).not.toContain('rel="stylesheet"');
    expect(sources).toEqual([expectedSource(CSS)]);
    expect(styleHashSource(CSS)).toBe(expectedSource(CSS));
  });

  it('inlines every sheet of every page, one source per distinct sheet', async () => {
    const other = 'main{display:flex}';
    await writeFile(join(dir, 'assets/chat-Cd34.css'), other);
    const links = '    <link rel="stylesheet" crossorigin href="/assets/mount-Ab12.css">\n    <link rel="stylesheet" crossorigin href="/assets/chat-Cd34.css">';
    await writeFile(join(dir, 'popup-chat.html'), page(links));
    await writeFile(join(dir, 'sidepanel-chat.html'), page(links));
    const sources = await inlineStylesheets(dir, ['popup-chat.html', 'sidepanel-chat.html']);
    expect(sources.sort()).toEqual([expectedSource(CSS), expectedSource(other)].sort());
    for (const name of ['popup-chat.html', 'sidepanel-chat.html']) {
      expect(await readFile(join(dir, name), 'utf8')).toBe(page(`    <style>${CSS}</style>\n    <style>${other}</style>`));
    }
  });

  it('skips a page that is missing', async () => {
    await writeFile(join(dir, 'popup-chat.html'), page('    <link rel="stylesheet" crossorigin href="/assets/mount-Ab12.css">'));
    const sources = await inlineStylesheets(dir, ['sidepanel-chat.html', 'popup-chat.html']);
    expect(sources).toEqual([expectedSource(CSS)]);
  });

  it('leaves a page with no stylesheet link as it is', async () => {
    // The dev server's page: its styles come from the script.
    const html = page('    <link rel="icon" href="/icon/16.png">');
    await writeFile(join(dir, 'popup-chat.html'), html);
    expect(await inlineStylesheets(dir, ['popup-chat.html'])).toEqual([]);
    expect(await readFile(join(dir, 'popup-chat.html'), 'utf8')).toBe(html);
  });

  it.each(['</style>', '</STYLE >'])('refuses a sheet containing %s, which would end the <style> early', async (end) => {
    await writeFile(join(dir, 'assets/mount-Ab12.css'), `.a{content:"${end}<script>"}`);
    const html = page('    <link rel="stylesheet" crossorigin href="/assets/mount-Ab12.css">');
    await writeFile(join(dir, 'popup-chat.html'), html);
    await expect(inlineStylesheets(dir, ['popup-chat.html'])).rejects.toThrow(/cannot be inlined/);
    expect(await readFile(join(dir, 'popup-chat.html'), 'utf8')).toBe(html);
  });
});
