/**
 * The pages the browser opens for the toolbar popup and the side panel at a given moment: the background points
 * them at the chat-ready pages while signed in and unlocked (utils/chat-surfaces.ts), so the bench measures what a
 * click would open, asked from the extension itself.
 */
import type { BenchBrowser } from './chrome';

export interface SurfacePages {
  popup: string;
  panel: string;
}

/** The pages the toolbar popup and the side panel open now, as paths from the extension's root. */
export async function surfacePages(bench: BenchBrowser): Promise<SurfacePages> {
  const worker = await (await bench.worker()).worker();
  if (!worker) throw new Error('the extension has no running service worker');
  const got = await worker.evaluate(async () => {
    const api = (globalThis as unknown as { chrome: { action: { getPopup(d: object): Promise<string> }; sidePanel: { getOptions(o: object): Promise<{ path?: string }> } } }).chrome;
    return { popup: await api.action.getPopup({}), panel: (await api.sidePanel.getOptions({})).path ?? '' };
  });
  const relative = (path: string) => path.replace(bench.baseUrl, '').replace(/^\//, '');
  return { popup: relative(got.popup), panel: relative(got.panel) };
}

/**
 * The surfaces' pages once they settled on `expected` (by default the chat-ready pages: the background follows an
 * unlock a moment later), or as they are after `timeoutMs`.
 */
export async function settledSurfacePages(bench: BenchBrowser, expected = (pages: SurfacePages) => pages.popup !== 'popup.html' && pages.panel !== 'sidepanel.html', timeoutMs = 5_000): Promise<SurfacePages> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const pages = await surfacePages(bench);
    if (expected(pages) || Date.now() > until) return pages;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
