import { describe, expect, it } from 'vitest';
import { readEnv } from '../../../contract/lambda-env.js';
import { ADMIN_SETTINGS_ENV, adminSettings } from '../../../lambdas/admin/settings.js';
import { DEFAULT_PASSWORD_POLICY } from '../../../contract/password-policy.js';

const adminSettingsFromEnv = (env: Record<string, string>) => adminSettings(readEnv('admin', ADMIN_SETTINGS_ENV, env));

const BASE = { BUCKET_NAME: 'b', CATALOG_TABLE: 'portal-catalog', PORTAL_URL: 'https://portal.example.com/', USER_POOL_ID: 'eu-west-1_X' };

describe('adminSettingsFromEnv', () => {
  it('applies the defaults: 15-minute downloads, no Cognito e-mail', () => {
    expect(adminSettingsFromEnv(BASE)).toEqual({
      bucket: 'b',
      catalogTable: 'portal-catalog',
      portalUrl: 'https://portal.example.com',
      userPoolId: 'eu-west-1_X',
      downloadExpiresSeconds: 900,
      sendInvite: false,
      passwordPolicy: DEFAULT_PASSWORD_POLICY,
      emailEnabled: false,
      allowLoopbackWebhooks: false,
      malwareScan: 'block',
    });
  });

  it('reads the malware scan mode', () => {
    expect(adminSettingsFromEnv({ ...BASE, MALWARE_SCAN: 'tag' })).toMatchObject({ malwareScan: 'tag' });
    expect(() => adminSettingsFromEnv({ ...BASE, MALWARE_SCAN: 'scan' })).toThrow(/MALWARE_SCAN must be one of block, tag, off/);
  });

  it('reads the switches', () => {
    expect(adminSettingsFromEnv({ ...BASE, DOWNLOAD_EXPIRES_SECONDS: '60', COGNITO_SEND_INVITE: 'true' })).toMatchObject({ downloadExpiresSeconds: 60, sendInvite: true });
  });

  it('reports every problem at once', () => {
    expect(() => adminSettingsFromEnv({ PORTAL_URL: 'portal.example.com', DOWNLOAD_EXPIRES_SECONDS: '0', COGNITO_SEND_INVITE: 'yes' })).toThrow(
      /BUCKET_NAME is required; CATALOG_TABLE is required; USER_POOL_ID is required; DOWNLOAD_EXPIRES_SECONDS .*; COGNITO_SEND_INVITE .*; PORTAL_URL must be an origin/,
    );
  });
});
