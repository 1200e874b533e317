// Everything secret the local portal generates once and keeps in `<data>/secrets.json`: with the
// same keys, a restart keeps browsers signed in to the portal and the dev admin's password stable.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadOrCreateJson } from './data-dir.js';
import { generateAlbSigningKey, type AlbSigningKey } from './gateway/alb-token.js';
import { generateIdpKeys, isIdpKeys, type IdpKeys } from './idp/idp-keys.js';

export interface LocalSecrets {
  version: 1;
  /** AES-256-GCM key of the gateway's session cookies (base64). */
  sessionKey: string;
  albKey: AlbSigningKey;
  adminIdp: IdpKeys;
  customerIdp: IdpKeys;
  adminClientSecret: string;
  /** The dev admin's password unless LOCAL_ADMIN_PASSWORD is set. */
  adminPassword: string;
  /** Secret access key the local S3 server accepts (its key id is fixed). */
  s3SecretAccessKey: string;
}

/** Readable and pasteable: 4 groups of 5 from an alphabet without look-alikes (about 115 bits). */
export function generateReadablePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]!);
  return [0, 5, 10, 15].map((i) => chars.slice(i, i + 5).join('')).join('-');
}

function isSecrets(value: unknown): boolean {
  const v = value as Partial<LocalSecrets> | undefined;
  return v?.version === 1 && typeof v.sessionKey === 'string' && typeof v.albKey?.kid === 'string' && isIdpKeys(v.adminIdp) && isIdpKeys(v.customerIdp) && typeof v.adminPassword === 'string' && typeof v.s3SecretAccessKey === 'string';
}

export function loadLocalSecrets(dataDir: string): Promise<LocalSecrets> {
  return loadOrCreateJson<LocalSecrets>(
    join(dataDir, 'secrets.json'),
    () => ({
      version: 1,
      sessionKey: randomBytes(32).toString('base64'),
      albKey: generateAlbSigningKey(),
      adminIdp: generateIdpKeys(),
      customerIdp: generateIdpKeys(),
      adminClientSecret: randomBytes(24).toString('base64url'),
      adminPassword: generateReadablePassword(),
      s3SecretAccessKey: randomBytes(30).toString('base64url'),
    }),
    isSecrets,
  );
}
