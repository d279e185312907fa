/**
 * Highlights code blocks once they are on the page. highlight.js is loaded
 * the first time a block names a language (a chat without code never loads
 * it), and blocks are highlighted a few milliseconds' worth per task, so
 * neither the download nor a long block holds up a frame of a streaming answer.
 */
type Highlighter = typeof import('./code-highlight');

/** Work per task before yielding to the page (input, paint, the stream). */
const SLICE_MS = 8;
const LANGUAGE_CLASS = /(?:^|\s)language-([\w+#.-]{1,32})(?:\s|$)/;

let loading: Promise<Highlighter> | undefined;
const queue: HTMLElement[] = [];
const seen = new WeakSet<HTMLElement>();
let running: Promise<void> | null = null;

/** Queues every `<pre><code class="language-…">` in `nodes` for highlighting. */
export function highlightCodeIn(nodes: readonly Node[]): void {
  for (const node of nodes) {
    if (node.nodeType !== 1) continue;
    for (const code of (node as Element).querySelectorAll<HTMLElement>('pre > code[class*="language-"]')) {
      if (!seen.has(code)) queue.push(code);
      seen.add(code);
    }
  }
  if (queue.length > 0) running ??= drain().finally(() => (running = null));
}

/** Resolves once every queued block is highlighted (tests and benchmarks). */
export function codeHighlighted(): Promise<void> {
  return running ?? Promise.resolve();
}

async function drain(): Promise<void> {
  let highlighter: Highlighter;
  try {
    highlighter = await (loading ??= import('./code-highlight'));
  } catch {
    // Not loaded (the extension was updated underneath the page?): the code stays plain, still readable.
    loading = undefined;
    queue.length = 0;
    return;
  }
  let until = performance.now() + SLICE_MS;
  while (queue.length > 0) {
    if (performance.now() >= until) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      until = performance.now() + SLICE_MS;
    }
    const code = queue.shift()!;
    const language = LANGUAGE_CLASS.exec(code.className)?.[1] ?? '';
    if (!code.isConnected || !(await highlighter.loadLanguage(language)) || !code.isConnected) continue;
    // highlight.js escapes the code: its output holds only `<span class>` markup around text.
    const html = highlighter.highlightCode(code.textContent ?? '', language);
    if (html !== undefined) code.innerHTML = html;
  }
}
