// The ALB's `x-amzn-oidc-data`: an ES256 JWT whose header carries kid, signer (the ALB ARN), iss,
// client and exp, and whose payload is the IdP's userinfo claims plus exp and iss. Signed with a
// local P-256 key whose public PEM the key server hands to AlbJwtVerifier at `<keysUrl>/<kid>`.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';

export interface AlbSigningKey {
  /** A UUID: AlbJwtVerifier refuses other key ids. */
  kid: string;
  privateKeyPem: string;
}

export function generateAlbSigningKey(): AlbSigningKey {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid: randomUUID(), privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

export function publicKeyPem(key: AlbSigningKey): string {
  return createPublicKey(createPrivateKey(key.privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

export interface AlbTokenInput {
  claims: Record<string, unknown>;
  issuer: string;
  clientId: string;
  expiresAt: number;
}

export type AlbTokenSigner = (input: AlbTokenInput) => string;

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function createAlbTokenSigner(key: AlbSigningKey, albArn: string): AlbTokenSigner {
  const privateKey: KeyObject = createPrivateKey(key.privateKeyPem);
  return ({ claims, issuer, clientId, expiresAt }) => {
    const header = { typ: 'JWT', kid: key.kid, alg: 'ES256', iss: issuer, client: clientId, signer: albArn, exp: expiresAt };
    const payload = { ...claims, exp: expiresAt, iss: issuer };
    const input = `${b64(header)}.${b64(payload)}`;
    // JWS wants the raw r||s form, not DER.
    const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  };
}
