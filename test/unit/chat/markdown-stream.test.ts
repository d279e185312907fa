import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MarkdownStream } from '@/utils/chat/markdown-stream';
import { renderMarkdown } from '@/utils/chat/markdown-setup';
import { StreamingMarkdown } from '@/utils/chat/streaming-markdown';
import { markdownText, splitAt } from './markdown-corpus';

function streamed(chunks: string[], budgets: number[] = []): { html: string; stream: MarkdownStream } {
  const stream = new MarkdownStream();
  chunks.forEach((chunk, i) => {
    stream.append(chunk);
    stream.flush(budgets[i % Math.max(1, budgets.length)] ?? Number.POSITIVE_INFINITY);
  });
  stream.end();
  for (let guard = 0; stream.dirty && guard < 10_000; guard++) stream.flush(budgets[0] ?? Number.POSITIVE_INFINITY);
  expect(stream.dirty).toBe(false);
  return { html: stream.html, stream };
}

describe('MarkdownStream', () => {
  it('renders a streamed answer exactly like the whole answer at once (property)', () => {
    fc.assert(
      fc.property(
        markdownText,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 4 }),
        (text, cuts, budgets) => {
          expect(streamed(splitAt(text, cuts), budgets).html).toBe(renderMarkdown(text));
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 400) },
    );
  }, 120_000);

  it('renders a streamed answer in 1-character chunks like the whole answer', () => {
    fc.assert(
      fc.property(markdownText, (text) => {
        expect(streamed([...text]).html).toBe(renderMarkdown(text));
      }),
      { numRuns: 100 },
    );
  });
});

function syncRenderer(host: HTMLElement) {
  return new StreamingMarkdown(host, { schedule: (run) => (run(), () => {}) });
}

function normalized(html: string): string {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div.innerHTML;
}

describe('MarkdownStream: work per update stays bounded', () => {
  const answer = Array.from({ length: 60 }, (_, i) => `## Part ${i}\n\nSome text for part ${i} with a [link](https://example.com/${i}).\n\n- a\n- b\n`).join('\n');

  it('commits finished blocks as it goes, keeping the tail small, and never re-renders them', () => {
    const stream = new MarkdownStream();
    const seen = new Map<number, string>();
    let maxTail = 0;
    for (let i = 0; i < answer.length; i += 4) {
      stream.append(answer.slice(i, i + 4));
      const patch = stream.flush();
      expect(patch.changed).toEqual([]);
      for (const segment of patch.added) {
        expect(seen.has(segment.id)).toBe(false);
        seen.set(segment.id, segment.html);
      }
      maxTail = Math.max(maxTail, stream.tailLength);
    }
    expect(maxTail).toBeLessThan(120);
    expect(seen.size).toBeGreaterThan(100);
    stream.end();
    stream.flush();
    expect(stream.html).toBe(renderMarkdown(answer));
  });

  it('splits a long single block (a huge list) into display pieces, then renders it exactly at the end', () => {
    const list = Array.from({ length: 2000 }, (_, i) => `- item ${i} [l](https://a.example/${i})`).join('\n');
    const stream = new MarkdownStream();
    let largestRender = 0;
    for (let i = 0; i < list.length; i += 64) {
      stream.append(list.slice(i, i + 64));
      const { tail } = stream.flush();
      if (tail.kind === 'pieces') largestRender = Math.max(largestRender, ...tail.add.map((h) => h.length));
    }
    // Each update renders one piece of a few KB, not the whole list again.
    expect(largestRender).toBeLessThan(renderMarkdown(list).length / 3);
    stream.end();
    stream.flush();
    expect(stream.html).toBe(renderMarkdown(list));
  }, 30_000);

  it('never shows half of a character when a frame budget ends inside a surrogate pair', () => {
    const stream = new MarkdownStream();
    stream.append('ab😀c');
    const { tail } = stream.flush(3);
    expect(tail).toEqual({ kind: 'pieces', keep: 0, add: ['<p>ab</p>\n'] });
    expect(stream.flush(2).tail).toEqual({ kind: 'pieces', keep: 0, add: ['<p>ab😀</p>\n'] });
  });

  it('streams an open code block as appended plain text, then renders it whole once closed', () => {
    const stream = new MarkdownStream();
    stream.append('Intro\n\n```js\nconst a = 1;\n');
    let patch = stream.flush();
    expect(patch.added.map((s) => s.html)).toEqual(['<p>Intro</p>\n']);
    expect(patch.tail).toMatchObject({ kind: 'code', language: 'js', append: 'const a = 1;\n', partial: '' });
    stream.append('const b = "<b>');
    patch = stream.flush();
    expect(patch.tail).toMatchObject({ kind: 'code', append: '', partial: 'const b = "<b>' });
    stream.append('";\n```\nAfter');
    patch = stream.flush();
    expect(patch.added).toHaveLength(1);
    // Plain and escaped, marked with its language: the page highlights it once shown (code-highlighter.ts).
    expect(patch.added[0]!.html).toContain('<code class="hljs language-js">const a = 1;\nconst b = &quot;&lt;b&gt;&quot;;\n</code>');
    expect(patch.tail).toEqual({ kind: 'pieces', keep: 0, add: ['<p>After</p>\n'] });
  });

  it('re-renders an earlier segment when a link definition arrives later', () => {
    const text = 'See [the docs][d].\n\nMore text.\n\n[d]: https://docs.example\n\nEnd.\n';
    const stream = new MarkdownStream();
    const changed: number[] = [];
    for (let i = 0; i < text.length; i += 3) {
      stream.append(text.slice(i, i + 3));
      changed.push(...stream.flush().changed.map((s) => s.id));
    }
    stream.end();
    changed.push(...stream.flush().changed.map((s) => s.id));
    expect(changed).toEqual([1]);
    expect(stream.html).toBe(renderMarkdown(text));
    expect(stream.html).toContain('<a href="https://docs.example"');
  });

  it('renders a large answer streamed in random chunks exactly like the whole (property)', () => {
    fc.assert(
      fc.property(markdownText, fc.integer({ min: 20, max: 60 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 200 }), (text, times, cuts) => {
        const big = Array.from({ length: times }, () => text).join('\n');
        expect(streamed(splitAt(big, cuts), [4096]).html).toBe(renderMarkdown(big));
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe('StreamingMarkdown in the DOM', () => {
  it('ends with exactly the one-shot DOM, and keeps finished nodes untouched while streaming (property)', () => {
    fc.assert(
      fc.property(markdownText, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), (text, cuts) => {
        const host = document.createElement('div');
        const renderer = syncRenderer(host);
        let sofar = '';
        for (const piece of splitAt(text, cuts)) {
          sofar += piece;
          renderer.update(sofar, true);
        }
        renderer.update(text, false);
        expect(host.innerHTML).toBe(normalized(renderMarkdown(text)));
      }),
      { numRuns: 150 },
    );
  });

  it('appends new blocks without replacing the nodes already shown', () => {
    const host = document.createElement('div');
    const renderer = syncRenderer(host);
    renderer.update('First paragraph.\n\nSecond paragraph.\n\nThi', true);
    const first = host.querySelector('p')!;
    expect(first.textContent).toBe('First paragraph.');
    renderer.update('First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n\nFourth', true);
    renderer.update('First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n\nFourth.', false);
    expect(host.querySelector('p')).toBe(first);
    expect([...host.querySelectorAll('p')].map((p) => p.textContent)).toEqual(['First paragraph.', 'Second paragraph.', 'Third paragraph.', 'Fourth.']);
  });

  it('starts over when the text is replaced instead of extended', () => {
    const host = document.createElement('div');
    const renderer = syncRenderer(host);
    renderer.update('Old answer.\n\nMore', true);
    renderer.update('New', true);
    expect(host.innerHTML).toBe('<p>New</p>\n');
    renderer.update('New answer', false);
    expect(host.innerHTML).toBe('<p>New answer</p>\n');
  });

  it('waits for a frame and renders everything received by then in one go', () => {
    const host = document.createElement('div');
    const frames: (() => void)[] = [];
    const renderer = new StreamingMarkdown(host, { schedule: (run) => (frames.push(run), () => {}) });
    renderer.update('a', true);
    renderer.update('ab', true);
    renderer.update('abc', true);
    expect(frames).toHaveLength(1);
    expect(host.innerHTML).toBe('');
    frames.shift()!();
    expect(host.innerHTML).toBe('<p>abc</p>\n');
  });

  it('renders a finished answer (history) that fits a frame at once, without waiting for a frame', () => {
    const host = document.createElement('div');
    const renderer = new StreamingMarkdown(host, { schedule: () => () => {} });
    renderer.update('# Saved\n\nanswer', false);
    expect(host.innerHTML).toBe(normalized(renderMarkdown('# Saved\n\nanswer')));
  });

  it('renders a long finished answer a frame budget at a time, the first part at once', () => {
    const host = document.createElement('div');
    const frames: (() => void)[] = [];
    const renderer = new StreamingMarkdown(host, { schedule: (run) => (frames.push(run), () => {}), budgetChars: 100 });
    const text = Array.from({ length: 20 }, (_, i) => `Paragraph ${i} of a saved answer.`).join('\n\n');
    renderer.update(text, false);
    const first = host.querySelector('p');
    expect(first?.textContent).toBe('Paragraph 0 of a saved answer.');
    expect(host.querySelectorAll('p').length).toBeLessThan(5);
    expect(host.getAttribute('aria-busy')).toBe('true');
    let ran = 0;
    while (frames.length > 0) {
      frames.shift()!();
      ran += 1;
    }
    expect(ran).toBeGreaterThanOrEqual(Math.ceil(text.length / 100) - 1);
    expect(host.innerHTML).toBe(normalized(renderMarkdown(text)));
    expect(host.querySelector('p')).toBe(first);
    expect(host.hasAttribute('aria-busy')).toBe(false);
  });

  it('is busy only while a finished answer is not all shown: never while streaming, nor for a short saved answer', () => {
    const host = document.createElement('div');
    const frames: (() => void)[] = [];
    const renderer = new StreamingMarkdown(host, { schedule: (run) => (frames.push(run), () => {}), budgetChars: 10 });
    const text = 'A streamed answer, longer than one frame of ten characters.';
    renderer.update(text, true);
    frames.shift()!();
    expect(host.hasAttribute('aria-busy')).toBe(false);
    renderer.update(text, false);
    expect(host.getAttribute('aria-busy')).toBe('true');
    while (frames.length > 0) frames.shift()!();
    expect(host.hasAttribute('aria-busy')).toBe(false);
    renderer.update('Short.', false);
    expect(host.innerHTML).toBe('<p>Short.</p>\n');
    expect(host.hasAttribute('aria-busy')).toBe(false);
  });

  it('stops rendering a long saved answer when it is taken away, and starts over for another one', () => {
    const host = document.createElement('div');
    const frames: (() => void)[] = [];
    let cancelled = 0;
    const renderer = new StreamingMarkdown(host, { schedule: (run) => (frames.push(run), () => void (cancelled += 1)), budgetChars: 50 });
    renderer.update('Old saved answer, long enough to need more than a single frame to render.', false);
    renderer.dispose();
    expect(cancelled).toBe(1);
    renderer.update('New', false);
    expect(host.innerHTML).toBe('<p>New</p>\n');
  });

  it('ends with exactly the one-shot DOM for any saved answer and frame budget (property)', () => {
    fc.assert(
      fc.property(markdownText, fc.integer({ min: 1, max: 400 }), (text, budgetChars) => {
        const host = document.createElement('div');
        const frames: (() => void)[] = [];
        const renderer = new StreamingMarkdown(host, { schedule: (run) => (frames.push(run), () => {}), budgetChars });
        renderer.update(text, false);
        while (frames.length > 0) frames.shift()!();
        expect(host.innerHTML).toBe(normalized(renderMarkdown(text)));
      }),
      { numRuns: 150 },
    );
  });
});
