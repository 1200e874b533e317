// The Lambda environment for the local portal: the names and values the stack sets
// (infra/function-environment.ts), merged for the three handlers that share this process, with the
// local endpoints, issuers and keys URL.
import { CONFIG_DEFAULTS } from '../infra/config.js';
import { FUNCTION_NAMES, functionEnvironment } from '../infra/function-environment.js';

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
  userPoolId: string;
  customer: { issuer: string; clientId: string; logoutUrl: string };
  admin: { issuer: string; clientId: string; logoutUrl: string };
  /** Who is an admin (config key `adminAllowList`, ADMIN_ALLOWED_EMAILS): locally, the dev admin's e-mail. */
  adminAllowList: readonly string[];
  webRoot: string;
  /** Access keys for the local S3 server; unset to keep the caller's AWS credentials. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  logLevel?: string;
}

export function localHandlerEnv(inputs: LocalHandlerEnvInputs): Record<string, string> {
  const common = {
    config: {
      domainName: new URL(inputs.portalUrl).hostname,
      region: inputs.region,
      albKeysUrl: inputs.keysUrl,
      adminAllowList: inputs.adminAllowList,
      presignExpiresSeconds: CONFIG_DEFAULTS.presignExpiresSeconds,
      uploadConcurrency: CONFIG_DEFAULTS.uploadConcurrency,
      downloadExpiresSeconds: CONFIG_DEFAULTS.downloadExpiresSeconds,
      sendInvitationEmail: false,
      auditRetentionDays: CONFIG_DEFAULTS.auditRetentionDays,
    },
    albArn: inputs.albArn,
    bucketName: inputs.bucketName,
    customerIssuer: inputs.customer.issuer,
    customerClientId: inputs.customer.clientId,
    adminIssuer: inputs.admin.issuer,
    adminClientId: inputs.admin.clientId,
    customerPoolId: inputs.userPoolId,
    customerLogoutUrl: inputs.customer.logoutUrl,
    adminLogoutUrl: inputs.admin.logoutUrl,
  };
  const env: Record<string, string> = Object.assign({}, ...FUNCTION_NAMES.map((name) => functionEnvironment(name, common)));
  // One process hosts all three: each handler falls back to its own service name.
  delete env.POWERTOOLS_SERVICE_NAME;
  // Already running; and child processes (vite, cognito-local) must not inherit it.
  delete env.NODE_OPTIONS;
  Object.assign(env, {
    PORTAL_URL: inputs.portalUrl,
    S3_ORIGINS: inputs.s3Origins.join(' '),
    WEB_ROOT: inputs.webRoot,
    AWS_REGION: inputs.region,
    LOG_LEVEL: inputs.logLevel ?? 'INFO',
    // EMF metric lines would drown the console; there is no CloudWatch to read them locally.
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  if (inputs.s3Endpoint) env.S3_ENDPOINT = inputs.s3Endpoint;
  if (inputs.cognitoEndpoint) env.COGNITO_ENDPOINT = inputs.cognitoEndpoint;
  if (inputs.credentials) {
    env.AWS_ACCESS_KEY_ID = inputs.credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = inputs.credentials.secretAccessKey;
    // A session token from the developer's shell would be sent along and break the local signatures.
    env.AWS_SESSION_TOKEN = '';
  }
  return env;
}
