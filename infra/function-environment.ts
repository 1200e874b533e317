// The environment of each Lambda, rendered from the one schema (contract/lambda-env.ts): only the
// variables each function reads, with the values of this deployment. Pure: the values may be CDK
// tokens, resolved by CloudFormation.
import { FUNCTION_NAMES, METRICS_NAMESPACE, renderLambdaEnv, type EnvInput, type FunctionName } from '../contract/lambda-env.js';
import { s3BucketOrigins } from '../contract/bucket-layout.js';
import { UPLOAD_DEFAULTS } from '../contract/limits.js';
import { PASSED_ON_TO_LAMBDAS, type PassedOnKey, type PortalConfig, portalUrl } from './config.js';
import type { AudienceTokens } from './identity.js';

export { FUNCTION_NAMES, type FunctionName };

export interface EnvironmentInputs {
  readonly config: Pick<
    PortalConfig,
    'domainName' | 'region' | 'albKeysUrl' | 'adminAllowList' | 'adminRequireEmailVerified' | 'presignExpiresSeconds' | 'maxOpenUploadsPerLogin' | 'incompleteUploadDays' | 'uploadConcurrency' | 'downloadExpiresSeconds' | 'sendInvitationEmail' | 'malwareScan' | 'notificationSender' | 'notificationQuietSeconds'
  >;
  readonly albArn: string;
  readonly bucketName: string;
  readonly catalogTableName: string;
  readonly customer: AudienceTokens;
  readonly admin: AudienceTokens;
  readonly customerPoolId: string;
  /** The notification queues (infra/notifications.ts). */
  readonly digestQueueUrl: string;
  readonly webhookQueueUrl: string;
}

/** The config values the stack passes on (PASSED_ON_TO_LAMBDAS), by variable name. */
type PassedOnValues = { readonly [K in PassedOnKey as (typeof PASSED_ON_TO_LAMBDAS)[K]]: PortalConfig[K] };

/** The config keys passed on to the Lambdas, each under its variable's name, from the one table. */
function passedOnValues(config: Pick<PortalConfig, PassedOnKey>): PassedOnValues {
  const entries = Object.entries(PASSED_ON_TO_LAMBDAS) as [PassedOnKey, (typeof PASSED_ON_TO_LAMBDAS)[PassedOnKey]][];
  return Object.fromEntries(entries.map(([key, variable]) => [variable, config[key]])) as PassedOnValues;
}

/**
 * The whole environment of one Lambda: one set of this deployment's values for every variable any
 * function reads, of which each function takes only its own (renderLambdaEnv), as the local portal
 * does (local/handler-env.ts).
 */
export function functionEnvironment(name: FunctionName, inputs: EnvironmentInputs): Record<string, string> {
  const { config } = inputs;
  const values = {
    LOG_LEVEL: 'INFO',
    POWERTOOLS_SERVICE_NAME: `portal-${name}`,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    // Stack traces in the logs point at the TypeScript sources (the bundles ship .map files).
    NODE_OPTIONS: '--enable-source-maps',
    ALB_ARN: inputs.albArn,
    // Unset means the region's public-keys.auth.elb endpoint (lambdas/shared/identity.ts).
    ALB_KEYS_URL: config.albKeysUrl ?? undefined,
    CUSTOMER_ISSUER: inputs.customer.issuer,
    CUSTOMER_CLIENT_ID: inputs.customer.clientId,
    ADMIN_ISSUER: inputs.admin.issuer,
    ADMIN_CLIENT_ID: inputs.admin.clientId,
    // Always set (`*` for everyone the admin IdP admits), because the Lambdas refuse every admin when it
    // is missing (fail closed). Admins use /api/* too, so the uploads Lambda checks the list as well.
    ADMIN_ALLOWED_EMAILS: config.adminAllowList,
    ADMIN_REQUIRE_EMAIL_VERIFIED: config.adminRequireEmailVerified,
    BUCKET_NAME: inputs.bucketName,
    CATALOG_TABLE: inputs.catalogTableName,
    PORTAL_URL: portalUrl(config),
    USER_POOL_ID: inputs.customerPoolId,
    CUSTOMER_LOGOUT_URL: inputs.customer.logoutUrl,
    ADMIN_LOGOUT_URL: inputs.admin.logoutUrl,
    S3_ORIGINS: s3BucketOrigins(inputs.bucketName, config.region),
    // WEB_ROOT stays unset: its default, `web` beside the handler, is where the bundle puts the pages.
    MULTIPART_THRESHOLD_BYTES: UPLOAD_DEFAULTS.multipartThresholdBytes,
    MIN_PART_SIZE_BYTES: UPLOAD_DEFAULTS.minPartSizeBytes,
    // INCOMPLETE_UPLOAD_DAYS among them: the same number as the lifecycle rule (storage.ts), so the
    // page's deadline is the bucket's.
    ...passedOnValues(config),
    COGNITO_SEND_INVITE: config.sendInvitationEmail,
    MALWARE_SCAN: config.malwareScan,
    DIGEST_QUEUE_URL: inputs.digestQueueUrl,
    WEBHOOK_QUEUE_URL: inputs.webhookQueueUrl,
    NOTIFICATION_SENDER: config.notificationSender ?? undefined,
    // WEBHOOK_ALLOW_LOOPBACK_HTTP stays unset (false): in AWS a webhook is https to a public address.
  } satisfies EnvInput<FunctionName>;
  return renderLambdaEnv(name, values);
}
