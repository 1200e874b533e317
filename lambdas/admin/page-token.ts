// Opaque pagination tokens: base64url JSON, checked on the way back in (400 `invalid_token`).
import { PortalError } from '../shared/errors.js';

export const encodeToken = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export function decodeToken<T>(token: string, isValid: (value: unknown) => value is T): T {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (isValid(value)) return value;
  } catch {
    // fall through to the same answer as a well-formed but wrong token
  }
  throw new PortalError('invalid_token', 'continuationToken is not valid here');
}

/** `pageSize` query value: absent -> default; else an integer within [1, max]. */
export function parsePageSize(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new PortalError('invalid_page_size', `pageSize must be a whole number from 1 to ${max}`);
  return n;
}
