/**
 * Deterministic made-up prose for the history bench: a 3,000-word vocabulary
 * used with a skewed (Zipf-like) frequency, as real text is, so search
 * queries range from words in most conversations to words in a few.
 */
const SYLLABLES = 'ka lo mi ne ru sa ti vo pe da gi ho lu ze fa bi co mo nu re si ta ve wu xa yo'.split(' ');
const VOCABULARY_SIZE = 3_000;

export interface WordSource {
  /** A whole number from `lo` to `hi`, inclusive. */
  int(lo: number, hi: number): number;
  sentence(minWords: number, maxWords: number): string;
  /** Prose of `minChars`–`maxChars` characters, in sentences. */
  text(minChars: number, maxChars: number): string;
  /** `count` distinct search queries: common, mid and rare words, prefixes, and pairs. */
  queries(count: number): string[];
}

/** mulberry32: small, fast, good enough to make the same history on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The same vocabulary for every seed, so queries made with any seed find words of every slice. */
const VOCABULARY_SEED = 0x5eed;

/** `seed` varies the text; the vocabulary is always the same. */
export function createWords(seed: number): WordSource {
  const next = random(seed);
  const pick = random(VOCABULARY_SEED);
  const vocabulary: string[] = [];
  const seen = new Set<string>();
  while (vocabulary.length < VOCABULARY_SIZE) {
    const length = 2 + Math.floor(pick() * 3);
    let word = '';
    for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(pick() * SYLLABLES.length)];
    if (!seen.has(word)) {
      seen.add(word);
      vocabulary.push(word);
    }
  }
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  // u³ puts most picks on the first words: rank 1 is in most texts, rank 3,000 in few.
  const word = () => vocabulary[Math.floor(next() ** 3 * VOCABULARY_SIZE)]!;
  const sentence = (minWords: number, maxWords: number) => {
    const words = Array.from({ length: int(minWords, maxWords) }, word);
    words[0] = words[0]![0]!.toUpperCase() + words[0]!.slice(1);
    return words.join(' ');
  };
  return {
    int,
    sentence,
    text(minChars, maxChars) {
      const target = int(minChars, maxChars);
      let text = '';
      while (text.length < target) text += `${text ? ' ' : ''}${sentence(4, 14)}.`;
      return text;
    },
    queries(count) {
      const ranks = [1, 4, 12, 30, 60, 120, 250, 500, 900, 1_400, 2_000, 2_900];
      const out: string[] = ranks.map((r) => vocabulary[r]!);
      out.push(vocabulary[40]!.slice(0, 3), vocabulary[700]!.slice(0, 4), vocabulary[5]!.slice(0, 2));
      out.push(`${vocabulary[2]} ${vocabulary[300]}`, `${vocabulary[10]} ${vocabulary[20]}`, `${vocabulary[100]} ${vocabulary[1_000]}`);
      out.push(`${vocabulary[0]!.slice(0, 3)} ${vocabulary[50]}`, 'nothingmatchesthis');
      return [...new Set(out)].slice(0, count);
    },
  };
}
