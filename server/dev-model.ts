/**
 * `expressai-dev`, the development model. It is not AI: it describes the last
 * user message in deterministic markdown (paragraphs, lists, a table, fenced
 * code) so the chat UI and the tests have real, repeatable content to render.
 * The same conversation always gets the same answer.
 */
export const DEV_MODEL_ID = 'expressai-dev';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const QUOTE_LIMIT = 200;

export function devModelAnswer(messages: readonly ChatMessage[]): string {
  const prompt = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const words = prompt.match(/[\p{L}\p{N}]+/gu) ?? [];
  const turn = messages.filter((m) => m.role === 'user').length;
  if (words.length === 0) {
    return [
      '## Nothing to describe',
      'Your message has no words in it, so `expressai-dev` (the development model, not AI) has nothing to count.',
      '- Try a sentence.',
      '- Or paste some code.',
    ].join('\n\n');
  }

  const counts = new Map<string, number>();
  for (const w of words) counts.set(w.toLowerCase(), (counts.get(w.toLowerCase()) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5);
  const byLength = [...counts.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const firstLine = prompt.split('\n').find((l) => l.trim() !== '') ?? '';
  const quote = firstLine.length > QUOTE_LIMIT ? `${firstLine.slice(0, QUOTE_LIMIT)}…` : firstLine;
  const stats = { words: words.length, distinctWords: counts.size, characters: prompt.length, turn, checksum: fnv1a(prompt) };

  return [
    '## About your message',
    `You wrote **${words.length} ${plural(words.length, 'word')}** in ${prompt.length} characters. ` +
      'This answer comes from `expressai-dev`, the development model of the local ExpressAI service. ' +
      'It is not AI: it only describes your message, so the chat has real markdown to render.',
    `> ${quote}`,
    '### Words you used most',
    top.map(([w, n], i) => `${i + 1}. **${w}**: ${n} ${plural(n, 'time')}`).join('\n'),
    [
      `- Longest word: \`${byLength[0]}\` (${byLength[0]!.length} characters)`,
      `- Shortest word: \`${byLength.at(-1)}\` (${byLength.at(-1)!.length} characters)`,
      `- This is message ${turn} of the conversation`,
    ].join('\n'),
    '### Word lengths',
    ['| Word | Characters | Count |', '|---|---:|---:|', ...top.map(([w, n]) => `| ${w} | ${w.length} | ${n} |`)].join('\n'),
    '### The same, as data',
    ['```json', JSON.stringify(stats, null, 2), '```'].join('\n'),
    'Ask again with other words and the numbers change; ask the same thing and they stay the same.',
  ].join('\n\n');
}

/** Splits an answer into small pieces, about three words each, as a model would stream them. */
export function splitIntoChunks(text: string, wordsPerChunk = 3): string[] {
  const pieces = text.match(/\s*\S+\s*/g) ?? [text];
  const chunks: string[] = [];
  for (let i = 0; i < pieces.length; i += wordsPerChunk) chunks.push(pieces.slice(i, i + wordsPerChunk).join(''));
  return chunks;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
