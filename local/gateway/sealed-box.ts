// Authenticated encryption for the gateway's cookies (AES-256-GCM), like the ALB's opaque session
// cookie: the browser holds the session but can neither read nor alter it.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SealedBox {
  seal(value: unknown): string;
  /** undefined when the token was tampered with, sealed with another key, or for another purpose. */
  open(token: string): unknown;
}

/**
 * `purpose` is bound in as additional data, so a cookie sealed for one use (say the admin session)
 * cannot be replayed as another (the customer session, the sign-in state).
 */
export function createSealedBox(key: Buffer, purpose: string): SealedBox {
  if (key.length !== 32) throw new Error('Session key must be 32 bytes');
  const aad = Buffer.from(purpose, 'utf8');
  return {
    seal(value) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(token) {
      try {
        const raw = Buffer.from(token, 'base64url');
        if (raw.length < IV_BYTES + TAG_BYTES) return undefined;
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(aad);
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const body = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
        return JSON.parse(body.toString('utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
  };
}
