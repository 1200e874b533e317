// Temporary passwords for new and reset customer logins, from the crypto RNG, meeting the pool's policy.
import { randomInt } from 'node:crypto';
import { COGNITO_MAX_PASSWORD_LENGTH, DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../../contract/password-policy.js';

// The generator's alphabets leave out look-alikes (I/l/1, O/0) and characters that are awkward to
// read out or paste into a shell (quotes, backslash, backtick, brackets, `$`, space): the admin
// hands these passwords over by hand.
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#%*+-=?@^_~';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

/** Temporary passwords are at least this long whatever the policy's minimum. */
export const GENERATED_PASSWORD_MIN_LENGTH = 16;

const pick = (alphabet: string): string => alphabet[randomInt(alphabet.length)]!;

/**
 * A temporary password from the crypto RNG (`randomInt` is unbiased) with one character of every
 * class, whatever the policy requires, and at least 16 characters: about 6.1 bits per character.
 */
export function generatePassword(policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY): string {
  const length = Math.min(COGNITO_MAX_PASSWORD_LENGTH, Math.max(GENERATED_PASSWORD_MIN_LENGTH, policy.minLength));
  const chars = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < length) chars.push(pick(ALL));
  // Fisher-Yates, so the guaranteed characters are not always at the front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
