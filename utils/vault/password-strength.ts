/**
 * A rough, honest strength estimate for a new master password: length and
 * character variety, discounted for repeats, keyboard-free sequences and the
 * most common passwords. It is a guide for the meter, not a guarantee, and it
 * never rejects anything the vault accepts (only the minimum length does).
 */
import { MIN_PASSWORD_LENGTH } from './vault-session';

export type StrengthLevel = 'too-short' | 'weak' | 'fair' | 'strong';

export interface PasswordStrength {
  level: StrengthLevel;
  /** 0 (too short) to 3 (strong), for the meter. */
  score: 0 | 1 | 2 | 3;
  /** Estimated guessing entropy in bits, after discounts. */
  bits: number;
  /** One short suggestion, or undefined when there is nothing to suggest. */
  hint?: string;
}

/** Below this many bits a password is weak; from STRONG_BITS on it is strong. */
export const FAIR_BITS = 50;
export const STRONG_BITS = 75;

// The start of every published "most common passwords" list; a password built on one is weak whatever its length.
const COMMON = [
  'password', 'passwort', 'motdepasse', 'qwerty', 'azerty', 'qwertz', 'letmein', 'iloveyou', 'welcome', 'admin', 'monkey', 'dragon',
  'football', 'baseball', 'sunshine', 'princess', 'master', 'shadow', 'superman', 'trustno1', 'starwars', 'whatever', 'freedom',
  'secret', 'login', 'changeme', 'expressai', 'asdfgh', 'zxcvbn', 'qazwsx', 'michael', 'jennifer', 'hello',
];

const CLASSES: { test: RegExp; size: number }[] = [
  { test: /\p{Ll}/u, size: 26 },
  { test: /\p{Lu}/u, size: 26 },
  { test: /\p{Nd}/u, size: 10 },
  { test: /[\p{P}\p{S}\p{Zs}]/u, size: 33 },
  // Letters outside A–Z (accents, other scripts) widen the search space a lot.
  { test: /[^\p{ASCII}]/u, size: 32 },
];

/** Characters that repeat the previous one or continue a run like "abc" / "321" count a quarter. */
function effectiveLength(chars: readonly string[]): number {
  let length = 0;
  for (let i = 0; i < chars.length; i++) {
    const code = chars[i]!.codePointAt(0)!;
    const previous = i > 0 ? chars[i - 1]!.codePointAt(0)! : undefined;
    const predictable = previous !== undefined && Math.abs(code - previous) <= 1;
    length += predictable ? 0.25 : 1;
  }
  return length;
}

function commonCore(password: string): boolean {
  const letters = password.toLowerCase().replace(/[^\p{L}]/gu, '');
  const leet = password.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l').replace(/3/g, 'e').replace(/[4@]/g, 'a').replace(/[5$]/g, 's').replace(/[^\p{L}]/gu, '');
  // Built on a common password when one covers most of its letters ("Password123!", "dragon2024").
  return [letters, leet].some((core) => COMMON.some((word) => core.includes(word) && word.length * 2 > core.length));
}

/** Estimates how hard `password` is to guess. */
export function estimateStrength(password: string): PasswordStrength {
  const chars = [...password.normalize('NFKC')];
  if (chars.length < MIN_PASSWORD_LENGTH) {
    return { level: 'too-short', score: 0, bits: 0, hint: `Use at least ${MIN_PASSWORD_LENGTH} characters.` };
  }
  const pool = CLASSES.filter((c) => c.test.test(password)).reduce((sum, c) => sum + c.size, 0);
  const effective = effectiveLength(chars);
  const common = commonCore(password);
  // Whole bits, rounded down, decide the level: the number shown and the level always agree.
  const raw = Math.floor(effective * Math.log2(pool));
  const bits = common ? Math.min(raw, FAIR_BITS - 1) : raw;
  if (common) return { level: 'weak', score: 1, bits, hint: 'Avoid common passwords, even with numbers or symbols added.' };
  if (bits < FAIR_BITS) {
    const hint = effective < chars.length * 0.75 ? 'Avoid repeated characters and sequences like “abc” or “123”.' : 'Make it longer: a few unrelated words work well.';
    return { level: 'weak', score: 1, bits, hint };
  }
  if (bits < STRONG_BITS) return { level: 'fair', score: 2, bits, hint: 'Longer is stronger: add another word.' };
  return { level: 'strong', score: 3, bits };
}
