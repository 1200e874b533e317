// The web Lambda's settings from the environment, validated once at start-up.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

export function webSettingsFromEnv(env: NodeJS.ProcessEnv, defaultRoot = defaultWebRoot()): WebSettings {
  const problems: string[] = [];
  const s3Origins = (env.S3_ORIGINS ?? '').split(/\s+/).filter(Boolean);
  // Anything but a bare origin could smuggle directives into the CSP.
  for (const origin of s3Origins) if (!ORIGIN.test(origin)) problems.push(`S3_ORIGINS: "${origin}" is not an origin (scheme://host[:port])`);
  const logoutUrl = (name: string) => {
    const value = (env[name] ?? '').trim();
    if (value && !/^https?:\/\//i.test(value)) problems.push(`${name}: must be an http(s) URL or empty`);
    return value;
  };
  const settings: WebSettings = {
    webRoot: resolve(env.WEB_ROOT || defaultRoot),
    customerLogoutUrl: logoutUrl('CUSTOMER_LOGOUT_URL'),
    adminLogoutUrl: logoutUrl('ADMIN_LOGOUT_URL'),
    s3Origins,
  };
  if (problems.length) throw new ConfigError(`Invalid web settings:\n- ${problems.join('\n- ')}`);
  return settings;
}

function defaultWebRoot(): string {
  // In the bundle (/var/task/index.mjs) this is /var/task/web.
  return resolve(dirname(fileURLToPath(import.meta.url)), 'web');
}
