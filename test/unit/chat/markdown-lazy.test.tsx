import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadMarkdownRenderer, MarkdownMessage } from '@/components/chat/markdown-message';
import { codeHighlighted, highlightCodeIn } from '@/utils/chat/code-highlighter';
import { renderMarkdown } from '@/utils/chat/markdown-setup';

const sync = (run: () => void) => (run(), () => {});
let root: HTMLElement;

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
});
afterEach(() => {
  act(() => render(null, root));
  root.remove();
});

// This file's module instance starts without the renderer: the first test sees the page before it loads.
describe('MarkdownMessage before its renderer has loaded', () => {
  it('shows the answer as plain text, never as markup, then renders it once loaded', async () => {
    const text = '**bold** <img src=x onerror=alert(1)>\n\n```js\nconst a = 1;\n```\n';
    act(() => render(<MarkdownMessage text={text} streaming schedule={sync} />, root));
    const plain = root.querySelector('.md-plain')!;
    expect(plain.textContent).toBe(text);
    expect(root.querySelector('strong, img, code')).toBeNull();

    await act(() => loadMarkdownRenderer().then(() => undefined));
    act(() => render(<MarkdownMessage text={text} streaming={false} schedule={sync} />, root));
    expect(root.querySelector('.md-plain')).toBeNull();
    expect(root.querySelector('.md strong')?.textContent).toBe('bold');
    expect(root.querySelector('img')).toBeNull();
  });
});

describe('code highlighting after the code is shown', () => {
  it('highlights a block with a known language, escaped, and leaves others plain', async () => {
    root.innerHTML = renderMarkdown('```js\nconst s = "<b>";\n```\n\n```nosuchlang\nconst x;\n```\n\n```\nplain\n```\n');
    const [js, unknown, none] = [...root.querySelectorAll('pre > code')];
    expect(js!.innerHTML).toBe('const s = "&lt;b&gt;";\n');
    highlightCodeIn([root]);
    await codeHighlighted();
    expect(js!.querySelector('.hljs-keyword')?.textContent).toBe('const');
    expect(js!.textContent).toBe('const s = "<b>";\n');
    expect(js!.querySelector('b')).toBeNull();
    expect(unknown!.innerHTML).toBe('const x;\n');
    expect(none!.innerHTML).toBe('plain\n');
  });

  it('skips a block that left the page before its turn', async () => {
    root.innerHTML = renderMarkdown('```js\nconst a = 1;\n```\n');
    const code = root.querySelector('pre > code')!;
    highlightCodeIn([root]);
    root.replaceChildren();
    await codeHighlighted();
    expect(code.querySelector('span')).toBeNull();
  });
});
