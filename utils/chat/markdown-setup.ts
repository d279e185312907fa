/**
 * The one markdown-it configuration for answers: no raw HTML, linkified URLs,
 * the strict link policy, images as links, code with a Copy button. Code is
 * rendered plain, marked with its language; the page highlights it once shown
 * (code-highlighter.ts), so rendering never waits for or runs highlight.js.
 */
import markdownIt from 'markdown-it';
import type { MarkdownIt, StateCore, Token } from 'markdown-it';
import { languageOf } from './code-language';
import { liveLink, type LiveLink } from './link-policy';

/** A configured markdown-it instance; rendering with it never yields script, style, image or frame elements. */
export function createChatMarkdown(): MarkdownIt {
  const md = markdownIt({ html: false, linkify: true, typographer: false });
  md.validateLink = (url) => liveLink(url) !== null;
  md.core.ruler.after('linkify', 'expressai_links', secureLinks);
  md.renderer.rules.link_destination = (tokens, idx) =>
    `<span class="md-link-host"> (${md.utils.escapeHtml(tokens[idx]!.content)})</span>`;
  const codeBlock = (code: string, language: string) => {
    const body = md.utils.escapeHtml(code);
    const cls = language ? `hljs language-${language}` : 'hljs';
    return (
      `<div class="md-code"><div class="md-code-bar"><span class="md-code-lang">${language || 'code'}</span>` +
      `<button type="button" class="md-copy">Copy</button></div>` +
      `<pre><code class="${cls}">${body}</code></pre></div>\n`
    );
  };
  md.renderer.rules.fence = (tokens, idx) => {
    const token = tokens[idx]!;
    return codeBlock(token.content, languageOf(md.utils.unescapeAll(token.info)));
  };
  md.renderer.rules.code_block = (tokens, idx) => codeBlock(tokens[idx]!.content, '');
  return md;
}

let shared: MarkdownIt | undefined;

/** The page-wide instance (building one compiles linkify's patterns). */
export function chatMarkdown(): MarkdownIt {
  shared ??= createChatMarkdown();
  return shared;
}

/** One-shot rendering of a whole answer. */
export function renderMarkdown(text: string): string {
  return chatMarkdown().render(text, {});
}

/**
 * Makes every link safe and honest: opens in a new tab without an opener,
 * shows its destination, and images become links that are never fetched.
 * `validateLink` already refused other schemes; this re-checks each link.
 */
function secureLinks(state: StateCore): void {
  for (const block of state.tokens) {
    if (block.type === 'th_open' || block.type === 'td_open') alignByClass(block);
    if (block.type !== 'inline' || !block.children) continue;
    const out: Token[] = [];
    const open: (LiveLink | null)[] = [];
    for (const token of block.children) {
      if (token.type === 'link_open') {
        const link = liveLink(String(token.attrGet('href') ?? ''));
        open.push(link);
        if (link) out.push(withNewTab(token));
      } else if (token.type === 'link_close') {
        const link = open.pop();
        if (link) out.push(token, destinationToken(state, link, token.level));
      } else if (token.type === 'image') {
        out.push(...imageAsLink(state, token, open.length > 0));
      } else {
        out.push(token);
      }
    }
    block.children = out;
  }
}

function imageAsLink(state: StateCore, image: Token, insideLink: boolean): Token[] {
  const alt = plainText(image.children ?? []);
  const text = new state.Token('text', '', 0);
  text.content = alt ? `Image: ${alt}` : 'Image';
  const src = String(image.attrGet('src') ?? '');
  const link = liveLink(src);
  // A link inside a link is not valid HTML; the outer link already goes somewhere.
  if (!link || insideLink) return [text];
  const open = withNewTab(new state.Token('link_open', 'a', 1));
  open.attrSet('href', src);
  const title = image.attrGet('title');
  if (title) open.attrSet('title', String(title));
  const close = new state.Token('link_close', 'a', -1);
  return [open, text, close, destinationToken(state, link, image.level)];
}

function withNewTab(token: Token): Token {
  token.attrSet('target', '_blank');
  token.attrSet('rel', 'noopener noreferrer');
  return token;
}

function destinationToken(state: StateCore, link: LiveLink, level: number): Token {
  const token = new state.Token('link_destination', 'span', 0);
  token.content = link.destination;
  token.level = level;
  return token;
}

function plainText(tokens: Token[]): string {
  return tokens.map((t) => (t.children ? plainText(t.children) : t.type === 'text' || t.type === 'code_inline' ? t.content : '')).join('');
}

/** Table alignment as a class: the extension pages' CSP forbids inline styles. */
function alignByClass(token: Token): void {
  const style = token.attrGet('style');
  if (style === null) return;
  const align = String(style).match(/^text-align:(left|right|center)$/)?.[1];
  token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
  if (align) token.attrJoin('class', `md-align-${align}`);
}
