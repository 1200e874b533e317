// An IdP's secrets: cookie-signing keys and the RSA key that signs its id tokens (RS256, what
// Cognito and Entra ID use). Generated once and saved in the data folder.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

export interface IdpKeys {
  cookieKeys: string[];
  /** Private JWKs (with kid, alg, use). */
  jwks: Record<string, unknown>[];
}

export function generateIdpKeys(): IdpKeys {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    cookieKeys: [randomBytes(32).toString('base64url')],
    jwks: [{ ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' }],
  };
}

export function isIdpKeys(value: unknown): value is IdpKeys {
  const v = value as Partial<IdpKeys> | undefined;
  return Array.isArray(v?.cookieKeys) && v.cookieKeys.length > 0 && Array.isArray(v.jwks) && v.jwks.length > 0;
}
