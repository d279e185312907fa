/**
 * Splits text into search tokens: NFKC, lower case, accents dropped, split on
 * anything that is not a letter or digit. Chinese and Japanese are written
 * without spaces, so each of their characters is its own token.
 */
const NOT_WORD = /[^\p{L}\p{N}]+/u;
const ACCENTS = /\p{M}+/gu;
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const UNSPACED_ALL = /([\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])/u;

/** Long runs (hashes, base64 in code) are cut: prefix search still finds them. */
export const MAX_TOKEN_LENGTH = 32;

export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().normalize('NFD').replace(ACCENTS, '').normalize('NFC');
}

const ASCII = /^[\x00-\x7f]*$/;
const NOT_ASCII_WORD = /[^a-z0-9]+/;

/** Tokens in order of appearance, repeats included. */
export function tokenize(text: string): string[] {
  // Fast path with the same result: for ASCII, normalisation is only lower-casing.
  if (ASCII.test(text)) {
    return text
      .toLowerCase()
      .split(NOT_ASCII_WORD)
      .filter((word) => word !== '')
      .map((word) => word.slice(0, MAX_TOKEN_LENGTH));
  }
  const tokens: string[] = [];
  for (const word of normalizeText(text).split(NOT_WORD)) {
    if (!word) continue;
    const parts = UNSPACED.test(word) ? word.split(UNSPACED_ALL) : [word];
    for (const part of parts) if (part) tokens.push(part.slice(0, MAX_TOKEN_LENGTH));
  }
  return tokens;
}
