// The environment of each Lambda, exactly as the portal contract lists it (the local gateway sets
// the same names). Pure: the values may be CDK tokens, resolved by CloudFormation.
import type { PortalConfig } from './config.js';
import { portalUrl } from './config.js';

export type FunctionName = 'web' | 'uploads' | 'admin';
export const FUNCTION_NAMES: readonly FunctionName[] = ['web', 'uploads', 'admin'];

/** Multipart from this size on (the uploads Lambda tells the page via /api/me). */
export const MULTIPART_THRESHOLD_BYTES = 100 * 1024 * 1024;
/** Smallest part the page uses (S3 allows 5 MiB; bigger parts mean fewer signing calls). */
export const MIN_PART_SIZE_BYTES = 16 * 1024 * 1024;
/** CloudWatch metrics namespace for the Powertools Metrics of all three Lambdas. */
export const METRICS_NAMESPACE = 'UploadPortal';

export interface EnvironmentInputs {
  readonly config: Pick<
    PortalConfig,
    'domainName' | 'region' | 'albKeysUrl' | 'adminAllowList' | 'presignExpiresSeconds' | 'uploadConcurrency' | 'downloadExpiresSeconds' | 'sendInvitationEmail' | 'auditRetentionDays'
  >;
  readonly albArn: string;
  readonly bucketName: string;
  readonly customerIssuer: string;
  readonly customerClientId: string;
  readonly adminIssuer: string;
  readonly adminClientId: string;
  readonly customerPoolId: string;
  readonly customerLogoutUrl: string;
  readonly adminLogoutUrl: string;
}

/** The variables every Lambda reads (identity verification, bucket, origin, logging). */
export function commonEnvironment(name: FunctionName, inputs: EnvironmentInputs): Record<string, string> {
  const { config } = inputs;
  return {
    ALB_ARN: inputs.albArn,
    // Unset means the region's public-keys.auth.elb endpoint (lambdas/shared/identity.ts).
    ...(config.albKeysUrl ? { ALB_KEYS_URL: config.albKeysUrl } : {}),
    CUSTOMER_ISSUER: inputs.customerIssuer,
    CUSTOMER_CLIENT_ID: inputs.customerClientId,
    ADMIN_ISSUER: inputs.adminIssuer,
    ADMIN_CLIENT_ID: inputs.adminClientId,
    BUCKET_NAME: inputs.bucketName,
    PORTAL_URL: portalUrl(config),
    LOG_LEVEL: 'INFO',
    POWERTOOLS_SERVICE_NAME: `portal-${name}`,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    // Stack traces in the logs point at the TypeScript sources (the bundles ship .map files).
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/**
 * ADMIN_ALLOWED_EMAILS: the allow-list comma-joined, or `*` for everyone the admin IdP admits. Always
 * set, because the Lambdas refuse every admin when it is missing (fail closed).
 */
export const adminAllowedEmails = (allowList: readonly string[] | null): string => (allowList === null ? '*' : allowList.join(','));

/** The browser talks to the bucket at these origins (CSP connect-src): regional and global virtual-hosted style. */
export const s3Origins = (bucketName: string, region: string): string =>
  `https://${bucketName}.s3.${region}.amazonaws.com https://${bucketName}.s3.amazonaws.com`;

/** The whole environment of one Lambda. */
export function functionEnvironment(name: FunctionName, inputs: EnvironmentInputs): Record<string, string> {
  const { config } = inputs;
  const common = commonEnvironment(name, inputs);
  switch (name) {
    case 'uploads':
      return {
        ...common,
        // Admins use /api/* too (their session cookie routes them there), so uploads checks the list as well.
        ADMIN_ALLOWED_EMAILS: adminAllowedEmails(config.adminAllowList),
        PRESIGN_EXPIRES_SECONDS: String(config.presignExpiresSeconds),
        UPLOAD_CONCURRENCY: String(config.uploadConcurrency),
        MULTIPART_THRESHOLD_BYTES: String(MULTIPART_THRESHOLD_BYTES),
        MIN_PART_SIZE_BYTES: String(MIN_PART_SIZE_BYTES),
      };
    case 'admin':
      return {
        ...common,
        ADMIN_ALLOWED_EMAILS: adminAllowedEmails(config.adminAllowList),
        USER_POOL_ID: inputs.customerPoolId,
        DOWNLOAD_EXPIRES_SECONDS: String(config.downloadExpiresSeconds),
        COGNITO_SEND_INVITE: String(config.sendInvitationEmail),
        AUDIT_RETENTION_DAYS: String(config.auditRetentionDays),
      };
    case 'web':
      // WEB_ROOT stays unset: its default, `web` beside the handler, is where the bundle puts the pages.
      return {
        ...common,
        CUSTOMER_LOGOUT_URL: inputs.customerLogoutUrl,
        ADMIN_LOGOUT_URL: inputs.adminLogoutUrl,
        S3_ORIGINS: s3Origins(inputs.bucketName, config.region),
      };
  }
}
