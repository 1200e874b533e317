// The Lambda environment for the local portal: each function's variables rendered from the one schema
// (contract/lambda-env.ts), as the stack renders them, with the local endpoints, issuers and keys URL,
// and merged for the handlers that share this process. What is not set takes the schema's default.
import type { MalwareScanMode } from '../contract/malware-scan.js';
import { FUNCTION_NAMES, LAMBDA_ENV, renderLambdaEnv, type EnvInput, type FunctionName } from '../contract/lambda-env.js';

export interface LocalHandlerEnvInputs {
  portalUrl: string;
  albArn: string;
  keysUrl: string;
  region: string;
  bucketName: string;
  /** Unset = real AWS S3 with the usual credential chain. */
  s3Endpoint?: string;
  /** Origins the browser uploads to (CSP connect-src). */
  s3Origins: string[];
  /** Unset = real Cognito. */
  cognitoEndpoint?: string;
  /** The file catalog: dynalite's URL and the table in it. */
  catalog: { endpoint: string; table: string };
  userPoolId: string;
  customer: { issuer: string; clientId: string; logoutUrl: string };
  admin: { issuer: string; clientId: string; logoutUrl: string };
  /** Who is an admin (config key `adminAllowList`, ADMIN_ALLOWED_EMAILS): locally, the dev admin's e-mail. */
  adminAllowList: readonly string[];
  webRoot: string;
  /** Access keys for the local S3 server; unset to keep the caller's AWS credentials. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  logLevel?: string;
  /** The notification stand-ins: SES (aws-ses-v2-local), the SQS stand-in and its two queue URLs. */
  notifications: { sesEndpoint: string; sqsEndpoint: string; digestQueueUrl: string; webhookQueueUrl: string; sender: string; quietSeconds: number };
  /** Part URL lifetime (PRESIGN_EXPIRES_SECONDS). @default the stack's default */
  presignExpiresSeconds?: number;
  /** Multipart threshold and part size; absent = the stack's defaults. */
  partSizeBytes?: number;
  /** Open multipart uploads per login (MAX_OPEN_UPLOADS_PER_LOGIN). @default the stack's default */
  maxOpenUploadsPerLogin?: number;
  /** The stack's `malwareScan` (MALWARE_SCAN). @default 'block' */
  malwareScan?: MalwareScanMode;
}

export function localHandlerEnv(inputs: LocalHandlerEnvInputs): Record<string, string> {
  // Every variable any of them reads; each function takes only its own (renderLambdaEnv).
  const values = {
    // One process hosts every handler: POWERTOOLS_SERVICE_NAME stays unset, so each uses its own name.
    LOG_LEVEL: (inputs.logLevel ?? 'INFO').toUpperCase() as 'INFO',
    // EMF metric lines would drown the console; there is no CloudWatch to read them locally.
    POWERTOOLS_METRICS_DISABLED: true,
    AWS_REGION: inputs.region,
    ALB_ARN: inputs.albArn,
    ALB_KEYS_URL: inputs.keysUrl,
    CUSTOMER_ISSUER: inputs.customer.issuer,
    CUSTOMER_CLIENT_ID: inputs.customer.clientId,
    ADMIN_ISSUER: inputs.admin.issuer,
    ADMIN_CLIENT_ID: inputs.admin.clientId,
    ADMIN_ALLOWED_EMAILS: inputs.adminAllowList,
    // The local admin IdP sends email_verified, as a well-configured IdP does.
    ADMIN_REQUIRE_EMAIL_VERIFIED: true,
    BUCKET_NAME: inputs.bucketName,
    S3_ENDPOINT: inputs.s3Endpoint,
    COGNITO_ENDPOINT: inputs.cognitoEndpoint,
    CATALOG_TABLE: inputs.catalog.table,
    DYNAMODB_ENDPOINT: inputs.catalog.endpoint,
    PORTAL_URL: inputs.portalUrl,
    USER_POOL_ID: inputs.userPoolId,
    CUSTOMER_LOGOUT_URL: inputs.customer.logoutUrl,
    ADMIN_LOGOUT_URL: inputs.admin.logoutUrl,
    S3_ORIGINS: inputs.s3Origins,
    WEB_ROOT: inputs.webRoot,
    // What the stack sets from its config defaults, written out as it writes them.
    PRESIGN_EXPIRES_SECONDS: inputs.presignExpiresSeconds ?? LAMBDA_ENV.PRESIGN_EXPIRES_SECONDS.default,
    UPLOAD_CONCURRENCY: LAMBDA_ENV.UPLOAD_CONCURRENCY.default,
    MULTIPART_THRESHOLD_BYTES: inputs.partSizeBytes ?? LAMBDA_ENV.MULTIPART_THRESHOLD_BYTES.default,
    MIN_PART_SIZE_BYTES: inputs.partSizeBytes ?? LAMBDA_ENV.MIN_PART_SIZE_BYTES.default,
    MAX_OPEN_UPLOADS_PER_LOGIN: inputs.maxOpenUploadsPerLogin ?? LAMBDA_ENV.MAX_OPEN_UPLOADS_PER_LOGIN.default,
    INCOMPLETE_UPLOAD_DAYS: LAMBDA_ENV.INCOMPLETE_UPLOAD_DAYS.default,
    DOWNLOAD_EXPIRES_SECONDS: LAMBDA_ENV.DOWNLOAD_EXPIRES_SECONDS.default,
    COGNITO_SEND_INVITE: false,
    SES_ENDPOINT: inputs.notifications.sesEndpoint,
    SQS_ENDPOINT: inputs.notifications.sqsEndpoint,
    DIGEST_QUEUE_URL: inputs.notifications.digestQueueUrl,
    WEBHOOK_QUEUE_URL: inputs.notifications.webhookQueueUrl,
    NOTIFICATION_SENDER: inputs.notifications.sender,
    NOTIFICATION_QUIET_SECONDS: inputs.notifications.quietSeconds,
    // Local only: tests receive webhooks on 127.0.0.1 over http. The stack never sets it.
    WEBHOOK_ALLOW_LOOPBACK_HTTP: true,
    MALWARE_SCAN: inputs.malwareScan ?? 'block',
  } satisfies EnvInput<FunctionName> & EnvInput<'uploads'> & EnvInput<'admin'> & EnvInput<'web'> & EnvInput<'events'> & EnvInput<'notify'>;
  const env: Record<string, string> = Object.assign({}, ...FUNCTION_NAMES.map((name) => renderLambdaEnv(name, values))) as Record<string, string>;
  if (inputs.credentials) {
    env.AWS_ACCESS_KEY_ID = inputs.credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = inputs.credentials.secretAccessKey;
    // A session token from the developer's shell would be sent along and break the local signatures.
    env.AWS_SESSION_TOKEN = '';
  }
  return env;
}
