/**
 * Where a streamed markdown text can be cut so that the part before the cut
 * renders the same whatever comes after it. Works on markdown-it's block
 * tokens for the complete lines of the open tail.
 */
import type { Token } from 'markdown-it';
import { languageOf } from './code-language';

/** A top-level fenced code block whose closing fence has not arrived. Offsets are into the parsed source. */
export interface OpenFence {
  start: number;
  /** Just after the opening line's newline: where the code starts. */
  openingEnd: number;
  /** Spaces before the opening fence; the same are removed from each code line. */
  indent: number;
  language: string;
  /** Whether a line closes this fence (same character, at least as long, nothing after). */
  closes: (line: string) => boolean;
}

/** Offset of each line's first character; one more entry than there are newlines. */
export function lineStarts(source: string): number[] {
  const starts = [0];
  for (let nl = source.indexOf('\n'); nl !== -1; nl = source.indexOf('\n', nl + 1)) starts.push(nl + 1);
  return starts;
}

/**
 * The last line before which everything is final, or 0. Safe cuts:
 * - before a top-level block that follows a blank line (the block before it has ended and no later line can reopen it);
 * - before a fenced code block or an ATX heading (one line decides them and they interrupt any paragraph);
 * - after a closed fence or an ATX heading (nothing continues them).
 * Only complete lines may be given: a partial last line could still change meaning.
 */
export function findCommitLine(tokens: Token[], source: string, starts: number[]): number {
  let best = 0;
  for (const token of tokens) {
    if (token.level !== 0 || token.nesting === -1 || !token.map) continue;
    const [start, end] = token.map;
    const fence = token.type === 'fence';
    const heading = token.type === 'heading_open' && token.markup.startsWith('#');
    if (start > 0 && isBlank(lineAt(source, starts, start - 1))) best = Math.max(best, start);
    if (fence || heading) best = Math.max(best, start);
    if (heading || (fence && fenceIsClosed(token, source, starts))) best = Math.max(best, end);
  }
  return best;
}

/** The last top-level block if it is a fenced code block still open at the end of the source. */
export function openFenceOf(tokens: Token[], source: string, starts: number[]): OpenFence | null {
  let last: Token | undefined;
  for (const token of tokens) if (token.level === 0 && token.nesting !== -1 && token.map) last = token;
  if (!last || last.type !== 'fence' || fenceIsClosed(last, source, starts)) return null;
  const line = last.map![0];
  const opening = lineAt(source, starts, line);
  return {
    start: starts[line]!,
    openingEnd: starts[line + 1] ?? source.length,
    indent: opening.length - opening.trimStart().length,
    language: languageOf(last.info.replace(/\\(.)/g, '$1')),
    closes: closingFence(last.markup),
  };
}

function fenceIsClosed(token: Token, source: string, starts: number[]): boolean {
  const [start, end] = token.map!;
  return end - 1 > start && closingFence(token.markup)(lineAt(source, starts, end - 1));
}

/** Mirrors markdown-it's rule: up to 3 spaces, the fence character at least as many times, then only spaces or tabs. */
function closingFence(markup: string): (line: string) => boolean {
  const char = markup[0] === '~' ? '~' : '`';
  const pattern = new RegExp(`^ {0,3}\\${char}{${markup.length},}[ \\t]*$`);
  return (line) => pattern.test(line);
}

function lineAt(source: string, starts: number[], line: number): string {
  const from = starts[line] ?? source.length;
  const next = starts[line + 1];
  return source.slice(from, next === undefined ? source.length : next - 1);
}

function isBlank(line: string): boolean {
  return /^[ \t]*$/.test(line);
}
