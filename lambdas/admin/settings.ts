// The admin Lambda's settings, from its parsed environment (contract/lambda-env.ts).
import type { EnvValues } from '../../contract/lambda-env.js';
import { DEFAULT_MALWARE_SCAN, type MalwareScanMode } from '../../contract/malware-scan.js';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../../contract/password-policy.js';

export interface AdminSettings {
  bucket: string;
  /** The file catalog's table (CATALOG_TABLE). */
  catalogTable: string;
  /** The portal's origin, no trailing slash (https://portal.example.com); also the CSRF reference origin. */
  portalUrl: string;
  /** The customer pool in which logins are created. */
  userPoolId: string;
  /**
   * Lifetime of the presigned GET behind a download redirect.
   * @default 900 (15 minutes: long enough to start a large download, short enough that a leaked link soon stops working)
   */
  downloadExpiresSeconds: number;
  /**
   * Let Cognito e-mail the invitation with the temporary password.
   * @default false (the admin hands the credentials over, as with the original portal)
   */
  sendInvite: boolean;
  /** The customer pool's password policy; generated passwords must satisfy it. */
  passwordPolicy: PasswordPolicy;
  /** Whether the deployment can e-mail (config notificationSender); the console says so when it cannot. @default false */
  emailEnabled?: boolean;
  /** Local portal only: webhook URLs may be http on loopback (WEBHOOK_ALLOW_LOOPBACK_HTTP). @default false */
  allowLoopbackWebhooks?: boolean;
  /** The deployment's malware scanning: which files S3 lets a download through (contract/malware-scan.ts). @default 'block' */
  malwareScan?: MalwareScanMode;
}

export const malwareScanOf = (settings: Pick<AdminSettings, 'malwareScan'>): MalwareScanMode => settings.malwareScan ?? DEFAULT_MALWARE_SCAN;

export const ADMIN_SETTINGS_ENV = ['BUCKET_NAME', 'CATALOG_TABLE', 'USER_POOL_ID', 'DOWNLOAD_EXPIRES_SECONDS', 'COGNITO_SEND_INVITE', 'PORTAL_URL', 'NOTIFICATION_SENDER', 'WEBHOOK_ALLOW_LOOPBACK_HTTP', 'MALWARE_SCAN'] as const;

export function adminSettings(env: EnvValues<(typeof ADMIN_SETTINGS_ENV)[number]>): AdminSettings {
  return {
    bucket: env.BUCKET_NAME,
    catalogTable: env.CATALOG_TABLE,
    portalUrl: env.PORTAL_URL,
    userPoolId: env.USER_POOL_ID,
    downloadExpiresSeconds: env.DOWNLOAD_EXPIRES_SECONDS,
    sendInvite: env.COGNITO_SEND_INVITE,
    passwordPolicy: DEFAULT_PASSWORD_POLICY,
    emailEnabled: Boolean(env.NOTIFICATION_SENDER),
    allowLoopbackWebhooks: env.WEBHOOK_ALLOW_LOOPBACK_HTTP,
    malwareScan: env.MALWARE_SCAN,
  };
}
