/**
 * The "bench" answer for performance work: a fixed markdown document of an
 * exact size in bytes, with headings, paragraphs, ten fenced code blocks,
 * lists and a table. Same size, same document, every time. ASCII only, so
 * characters and bytes are the same count and chunks never split a character.
 */
export const BENCH_CODE_BLOCKS = 10;

const CODE = [
  '```ts',
  'export function fibonacci(n: number): number[] {',
  '  const out = [0, 1];',
  '  for (let i = 2; i < n; i += 1) out.push(out[i - 1]! + out[i - 2]!);',
  '  return out.slice(0, n);',
  '}',
  '```',
].join('\n');

const TABLE = ['| Metric | Value | Unit |', '|---|---:|---|', '| First token | 420 | ms |', '| Throughput | 1800 | chars/s |', '| Chunks | 512 | count |'].join('\n');

const WORDS =
  'the quick service streams markdown to the panel while the renderer keeps pace and the reader scrolls through paragraphs lists tables and code'.split(' ');

function section(i: number, filler: string): string {
  const parts = [`## Section ${i + 1}`, filler, CODE, `- Point one of section ${i + 1}\n- Point two\n  - A nested point\n- Point three`];
  if (i === 4) parts.push(TABLE);
  return parts.join('\n\n');
}

const HEADER = '# Bench document\n\nA fixed document for measuring rendering speed.\n\n';

/** The smallest size the skeleton allows (every paragraph one character long). */
export const BENCH_MIN_BYTES = documentFor(Array.from({ length: BENCH_CODE_BLOCKS }, () => 'x')).length;

export function benchDocument(bytes: number): string {
  if (bytes < BENCH_MIN_BYTES) throw new RangeError(`bytes must be at least ${BENCH_MIN_BYTES}`);
  const fillerTotal = bytes - (BENCH_MIN_BYTES - BENCH_CODE_BLOCKS);
  const base = Math.floor(fillerTotal / BENCH_CODE_BLOCKS);
  const lengths = Array.from({ length: BENCH_CODE_BLOCKS }, (_, i) => base + (i < fillerTotal % BENCH_CODE_BLOCKS ? 1 : 0));
  return documentFor(lengths.map((n, i) => filler(n, i)));
}

function documentFor(fillers: string[]): string {
  return `${HEADER}${fillers.map((f, i) => section(i, f)).join('\n\n')}\n`;
}

/** Prose of exactly `length` characters, in paragraphs of about 600, never ending in whitespace. */
function filler(length: number, seed: number): string {
  let text = '';
  let paragraph = 0;
  for (let w = seed; text.length < length; w += 1) {
    const word = WORDS[w % WORDS.length]!;
    if (paragraph > 600) {
      text += '.\n\n';
      paragraph = 0;
    } else if (text !== '') {
      text += ' ';
    }
    text += paragraph === 0 ? word[0]!.toUpperCase() + word.slice(1) : word;
    paragraph += word.length + 1;
  }
  text = text.slice(0, length);
  return /\s$/.test(text) ? `${text.slice(0, -1)}.` : text;
}

/** Cuts the document into pieces of `size` characters (the last may be shorter). */
export function chunksOf(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
