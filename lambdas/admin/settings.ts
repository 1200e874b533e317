// The admin Lambda's settings, read once from the environment the stack (or the local gateway) sets.
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../../contract/password-policy.js';

export interface AdminSettings {
  bucket: string;
  /** The portal's origin, no trailing slash (https://portal.example.com); also the CSRF reference origin. */
  portalUrl: string;
  /** The customer pool in which logins are created. */
  userPoolId: string;
  /**
   * Lifetime of the presigned GET behind a download redirect.
   * @default 900 (15 minutes, as the issue asks: long enough to start a large download, short if leaked)
   */
  downloadExpiresSeconds: number;
  /**
   * Let Cognito e-mail the invitation with the temporary password.
   * @default false (the admin hands the credentials over, as with the original portal)
   */
  sendInvite: boolean;
  /** The customer pool's password policy; generated passwords must satisfy it. */
  passwordPolicy: PasswordPolicy;
}

export function adminSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AdminSettings {
  const problems: string[] = [];
  const need = (name: string): string => {
    const value = env[name];
    if (!value) problems.push(`${name} is required`);
    return value ?? '';
  };
  const bucket = need('BUCKET_NAME');
  const portalUrl = need('PORTAL_URL').replace(/\/+$/, '');
  const userPoolId = need('USER_POOL_ID');
  const rawExpires = env.DOWNLOAD_EXPIRES_SECONDS ?? '900';
  const downloadExpiresSeconds = Number(rawExpires);
  if (!Number.isInteger(downloadExpiresSeconds) || downloadExpiresSeconds < 1 || downloadExpiresSeconds > 604_800) {
    problems.push('DOWNLOAD_EXPIRES_SECONDS must be an integer from 1 to 604800');
  }
  const invite = env.COGNITO_SEND_INVITE ?? 'false';
  if (invite !== 'true' && invite !== 'false') problems.push("COGNITO_SEND_INVITE must be 'true' or 'false'");
  if (portalUrl && !/^https?:\/\/[^/]+$/.test(portalUrl)) problems.push('PORTAL_URL must be an origin such as https://portal.example.com');
  // All problems at once, so a broken deployment is fixed in one round.
  if (problems.length) throw new Error(`Admin settings: ${problems.join('; ')}`);
  return { bucket, portalUrl, userPoolId, downloadExpiresSeconds, sendInvite: invite === 'true', passwordPolicy: DEFAULT_PASSWORD_POLICY };
}
