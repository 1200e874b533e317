// Lives with the admin tests because the admin API is the generator's user; the module is lambdas/shared.
import { describe, expect, it } from 'vitest';
import { checkPassword, COGNITO_SYMBOLS, DEFAULT_PASSWORD_POLICY } from '../../../contract/password-policy.js';
import { generatePassword } from '../../../lambdas/admin/temporary-password.js';

const codes = (pw: string, policy = DEFAULT_PASSWORD_POLICY) => checkPassword(pw, policy).map((p) => p.code);

describe('checkPassword', () => {
  it.each([
    ['Abcdefgh1!xy', []],
    ['abcdefgh1!xy', ['no_uppercase']],
    ['ABCDEFGH1!XY', ['no_lowercase']],
    ['Abcdefghi!xy', ['no_number']],
    ['Abcdefgh12xy', ['no_symbol']],
    ['Ab1!', ['too_short']],
    ['', ['too_short', 'no_uppercase', 'no_lowercase', 'no_number', 'no_symbol']],
    ['Abcdef gh1xy', []], // an inner space counts as Cognito's special character
    [' Abcdefgh1xy', ['no_symbol', 'edge_whitespace']],
    ['Abcdefgh1xy€', ['no_symbol']], // Cognito's classes are ASCII: € is no symbol
    ['Äbcdefgh1!xy', ['no_uppercase']],
  ])('%j -> %j', (pw, expected) => {
    expect(codes(pw)).toEqual(expected);
  });

  it('honours a relaxed policy', () => {
    expect(codes('abcdefgh', { minLength: 8, requireUppercase: false, requireLowercase: true, requireNumbers: false, requireSymbols: false })).toEqual([]);
  });

  it('accepts every Cognito symbol', () => {
    for (const symbol of COGNITO_SYMBOLS) expect(codes(`Abcdefgh1x${symbol}y`)).toEqual([]);
  });
});

describe('generatePassword', () => {
  it('meets the default policy, is at least 16 characters and uses Cognito symbols, over many draws', () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const pw = generatePassword();
      const ok = pw.length >= 16 && checkPassword(pw).length === 0 && [...pw].every((ch) => /[A-Za-z0-9]/.test(ch) || COGNITO_SYMBOLS.includes(ch));
      if (!ok) bad.push(pw);
      seen.add(pw);
    }
    expect(bad).toEqual([]);
    expect(seen.size).toBe(5000);
  });

  it('grows with a longer policy minimum', () => {
    const policy = { ...DEFAULT_PASSWORD_POLICY, minLength: 40 };
    const pw = generatePassword(policy);
    expect(pw).toHaveLength(40);
    expect(checkPassword(pw, policy)).toEqual([]);
  });

  it('spreads the guaranteed characters: no class is always at a fixed position', () => {
    const firstIsUpper = Array.from({ length: 400 }, () => /[A-Z]/.test(generatePassword()[0]!)).filter(Boolean).length;
    // Uniform over 62ish characters: about 24/64 of first characters are upper case, never all.
    expect(firstIsUpper).toBeGreaterThan(60);
    expect(firstIsUpper).toBeLessThan(260);
  });

  it('draws every character of its alphabet (no class silently missing)', () => {
    const chars = new Set<string>();
    for (let i = 0; i < 2000; i++) for (const ch of generatePassword()) chars.add(ch);
    expect(chars.size).toBe(24 + 24 + 8 + 12);
    for (const ambiguous of 'Il1O0') expect(chars.has(ambiguous)).toBe(false);
  });
});
