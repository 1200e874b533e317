// The web Lambda's settings, from its parsed environment (contract/lambda-env.ts validates each variable).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EnvValues } from '../../contract/lambda-env.js';

export interface WebSettings {
  /** Folder of the built pages (dist/web). @default `web` beside the bundle, i.e. /var/task/web */
  webRoot: string;
  /** Cognito hosted-UI logout URL; empty = straight to /signed-out. */
  customerLogoutUrl: string;
  /** Admin IdP end-session URL; empty = straight to /signed-out. */
  adminLogoutUrl: string;
  /** Bucket origins for CSP connect-src. */
  s3Origins: string[];
}

export const WEB_SETTINGS_ENV = ['S3_ORIGINS', 'WEB_ROOT', 'CUSTOMER_LOGOUT_URL', 'ADMIN_LOGOUT_URL'] as const;

export function webSettings(env: EnvValues<(typeof WEB_SETTINGS_ENV)[number]>, defaultRoot = defaultWebRoot()): WebSettings {
  return {
    webRoot: resolve(env.WEB_ROOT ?? defaultRoot),
    customerLogoutUrl: env.CUSTOMER_LOGOUT_URL,
    adminLogoutUrl: env.ADMIN_LOGOUT_URL,
    s3Origins: env.S3_ORIGINS,
  };
}

function defaultWebRoot(): string {
  // In the bundle (/var/task/index.mjs) this is /var/task/web.
  return resolve(dirname(fileURLToPath(import.meta.url)), 'web');
}
