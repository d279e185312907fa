import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '@/utils/chat/markdown-setup';
import { StreamingMarkdown } from '@/utils/chat/streaming-markdown';
import { HOSTILE_MARKDOWN, splitAt } from './markdown-corpus';

const ALLOWED_TAGS = new Set([
  'p', 'a', 'span', 'strong', 'em', 's', 'code', 'pre', 'div', 'button', 'ul', 'ol', 'li', 'blockquote',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
]);
const ALLOWED_ATTRIBUTES = new Set(['href', 'title', 'target', 'rel', 'class', 'type', 'start']);

function fragment(html: string): HTMLElement {
  const host = document.createElement('div');
  host.innerHTML = html;
  return host;
}

/** Everything the page could be attacked with through rendered model output. */
function expectSafe(root: HTMLElement): void {
  expect(root.querySelectorAll('script, iframe, object, embed, img, svg, math, style, link, meta, base, form, input, video, audio, frame')).toHaveLength(0);
  for (const element of root.querySelectorAll('*')) {
    expect(ALLOWED_TAGS, `<${element.localName}>`).toContain(element.localName);
    for (const { name, value } of element.attributes) {
      expect(name.startsWith('on'), `${name} on <${element.localName}>`).toBe(false);
      expect(ALLOWED_ATTRIBUTES, `${name} on <${element.localName}>`).toContain(name);
      if (name === 'href') expect(value).toMatch(/^(https:\/\/[^/]|mailto:)/);
    }
    if (element.localName === 'a') {
      expect(element.getAttribute('href')).toMatch(/^(https:\/\/[^/]|mailto:)/);
      expect(element.getAttribute('target')).toBe('_blank');
      expect(element.getAttribute('rel')).toBe('noopener noreferrer');
      // Where the link goes is shown right after it.
      expect(element.nextElementSibling?.className).toBe('md-link-host');
    }
    if (element.localName === 'button') expect(element.getAttribute('type')).toBe('button');
  }
}

describe('safe markdown: a hostile corpus', () => {
  it.each(HOSTILE_MARKDOWN)('renders %j without anything executable or fetched', (markdown) => {
    expectSafe(fragment(renderMarkdown(markdown)));
  });

  it('keeps only https: and mailto: links live, showing their destination', () => {
    const root = fragment(renderMarkdown('[a](https://example.com/x) [b](mailto:me@example.com) [c](http://example.com) [d](javascript:alert(1))'));
    const links = [...root.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com/x', 'mailto:me@example.com']);
    expect(root.textContent).toContain('a (example.com)');
    expect(root.textContent).toContain('b (me@example.com)');
    expect(root.textContent).toContain('[c](http://example.com)');
    expect(root.textContent).toContain('[d](javascript:alert(1))');
  });

  it('shows the real host of a link whose text or user-info pretends otherwise', () => {
    const root = fragment(renderMarkdown('[https://bank.example](https://bank.example@evil.example/login)'));
    expect(root.querySelector('.md-link-host')?.textContent).toBe(' (evil.example)');
  });

  it('shows a look-alike (IDN) host in its punycode form', () => {
    const root = fragment(renderMarkdown('[paypal](https://pаypal.com/)')); // Cyrillic "а"
    expect(root.querySelector('.md-link-host')?.textContent).toBe(' (xn--pypal-4ve.com)');
  });

  it('never fetches an image: an https image becomes a link, anything else stays text', () => {
    const root = fragment(renderMarkdown('![chart *one*](https://attacker.example/p.png?u=1) ![x](http://a.example/p.png) ![y](data:image/png;base64,AA==)'));
    expect(root.querySelector('img')).toBeNull();
    const link = root.querySelector('a')!;
    expect(link.getAttribute('href')).toBe('https://attacker.example/p.png?u=1');
    expect(link.textContent).toBe('Image: chart one');
    expect(root.textContent).toContain('![x](http://a.example/p.png)');
  });

  it('shows raw HTML as text', () => {
    const root = fragment(renderMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)> &lt;b&gt;'));
    expect(root.textContent).toContain('<script>alert(1)</script>');
    expect(root.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(root.textContent).toContain('<b>');
  });

  it('makes reference links, autolinks and bare URLs follow the same policy', () => {
    const root = fragment(renderMarkdown('[ok][r] [bad][s] <https://auto.example> https://bare.example/p\n\n[r]: https://ref.example\n[s]: javascript:alert(1)'));
    expect([...root.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([
      'https://ref.example',
      'https://auto.example',
      'https://bare.example/p',
    ]);
    expectSafe(root);
  });

  it('stays safe at every step of a stream, whatever the chunk boundaries (property)', () => {
    const everything = HOSTILE_MARKDOWN.join('\n\n');
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 60 }), (cuts) => {
        const host = document.createElement('div');
        const renderer = new StreamingMarkdown(host, { schedule: (run) => (run(), () => {}) });
        let text = '';
        for (const piece of splitAt(everything, cuts)) {
          text += piece;
          renderer.update(text, true);
          expectSafe(host);
        }
        renderer.update(text, false);
        expectSafe(host);
        expect(host.innerHTML).toBe(fragment(renderMarkdown(everything)).innerHTML);
      }),
      { numRuns: 60 },
    );
  });
});
