import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateStrength, FAIR_BITS, STRONG_BITS } from '@/utils/vault/password-strength';
import { MIN_PASSWORD_LENGTH } from '@/utils/vault';

describe('the password strength estimate', () => {
  it.each([
    ['', 'too-short'],
    ['seven77', 'too-short'],
    ['password', 'weak'],
    ['Password123!', 'weak'],
    ['P@ssw0rd', 'weak'],
    ['Dr4g0n2024!', 'weak'],
    ['aaaaaaaaaaaa', 'weak'],
    ['abcdefgh12345678', 'weak'],
    ['hunter22', 'weak'],
    ['Tr0ub4dor&3', 'fair'],
    ['zebra lamp', 'fair'],
    ['zebra lamp quilt', 'strong'],
    ['correct horse battery', 'strong'],
    ['x7Gq-p2Lm_vR', 'strong'],
  ])('rates %j as %s', (password, level) => {
    expect(estimateStrength(password).level).toBe(level);
  });

  it('counts characters after normalisation, like the vault does', () => {
    // Eight decomposed "é" (e + combining accent) are eight characters after NFKC.
    expect(estimateStrength('e\u0301'.repeat(MIN_PASSWORD_LENGTH)).level).not.toBe('too-short');
    expect(estimateStrength('e\u0301'.repeat(MIN_PASSWORD_LENGTH - 1)).level).toBe('too-short');
  });

  it('gives a hint for everything but a strong password, and levels agree with scores and bits', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (password) => {
        const s = estimateStrength(password);
        expect(s.score).toBe({ 'too-short': 0, weak: 1, fair: 2, strong: 3 }[s.level]);
        expect(s.hint === undefined).toBe(s.level === 'strong');
        if (s.level === 'weak') expect(s.bits).toBeLessThan(FAIR_BITS);
        if (s.level === 'fair') expect(s.bits).toBeLessThan(STRONG_BITS);
        if (s.level === 'strong') expect(s.bits).toBeGreaterThanOrEqual(STRONG_BITS);
      }),
    );
  });

  it('never rates a password lower for adding a fresh character at the end', () => {
    const order = { 'too-short': 0, weak: 1, fair: 2, strong: 3 };
    fc.assert(
      fc.property(fc.string({ minLength: MIN_PASSWORD_LENGTH, maxLength: 30 }), fc.constantFrom('Q', '7', '#', 'z'), (password, extra) => {
        fc.pre(!password.endsWith(extra) && !/[\p{M}]/u.test(password));
        expect(order[estimateStrength(password + extra).level]).toBeGreaterThanOrEqual(order[estimateStrength(password).level]);
      }),
    );
  });
});
