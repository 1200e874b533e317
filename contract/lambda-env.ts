// THE Lambda environment: every variable a function reads, with its type, default and bounds, and one
// parser. The stack renders each function's environment from here (infra/function-environment.ts), the
// local portal does the same for the handlers it runs in process (local/handler-env.ts), each handler
// parses its variables once when it starts and fails with a message naming the variable, and the
// deployment config takes the bounds of the keys it passes on from the same definitions
// (infra/config.ts). A variable is listed for a function only if that function reads it.
import { parseAdminAllowList, type AdminAllowList } from './admin-allow-list.js';
import { DEFAULT_MAX_OPEN_UPLOADS_PER_LOGIN, S3_MAX_PART_BYTES, S3_MIN_PART_BYTES, UPLOAD_DEFAULTS } from './limits.js';
import { NOTIFICATION_QUIET_DEFAULT_SECONDS, NOTIFICATION_QUIET_MAX_SECONDS } from './notifications.js';
import { DEFAULT_MALWARE_SCAN, MALWARE_SCAN_MODES, type MalwareScanMode } from './malware-scan.js';

export type FunctionName = 'web' | 'uploads' | 'admin' | 'events' | 'notify';
export const FUNCTION_NAMES: readonly FunctionName[] = ['web', 'uploads', 'admin', 'events', 'notify'];

/** How one variable is read. `parse` gets the raw value (undefined when unset or empty) and throws EnvValueError. */
export interface EnvVar<T, I = T> {
  readonly doc: string;
  parse(raw: string | undefined): T;
  /** The variable's text for a value (the stack's and the local portal's input). */
  render(value: I): string;
}

export interface IntegerVar extends EnvVar<number> {
  readonly kind: 'integer';
  readonly min: number;
  readonly max: number;
  readonly default: number;
  readonly unit: string;
}

/** A value the parser refused: `expected` says what it should have been. */
export class EnvValueError extends Error {
  override readonly name = 'EnvValueError';
}

/** Every problem of one function's environment, named by variable, at once. */
export class LambdaEnvError extends Error {
  override readonly name = 'LambdaEnvError';
  constructor(
    readonly scope: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid ${scope} environment: ${problems.join('; ')}`);
  }
}

const HTTP_URL = /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i;
/** A logout URL carries its parameters in the query (Cognito's `/logout?client_id=...&logout_uri=...`). */
const HTTP_URL_WITH_QUERY = /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?(\?[^\s#]*)?$/i;
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

const required = (doc: string, pattern?: RegExp, expected = 'a value'): EnvVar<string> => ({
  doc,
  parse(raw) {
    if (raw === undefined) throw new EnvValueError('is required');
    if (pattern && !pattern.test(raw)) throw new EnvValueError(`must be ${expected}, got "${raw}"`);
    return raw;
  },
  render: (value) => value,
});

const optional = (doc: string, pattern?: RegExp, expected = 'a value'): EnvVar<string | undefined, string> => ({
  doc,
  parse(raw) {
    if (raw === undefined) return undefined;
    if (pattern && !pattern.test(raw)) throw new EnvValueError(`must be ${expected}, got "${raw}"`);
    return raw;
  },
  render: (value) => value,
});

/** Unset means '' (a feature switched off), otherwise an http(s) URL. */
const urlOrEmpty = (doc: string): EnvVar<string> => ({
  doc,
  parse(raw) {
    const value = (raw ?? '').trim();
    if (value && !HTTP_URL_WITH_QUERY.test(value)) throw new EnvValueError('must be an http(s) URL or empty');
    return value;
  },
  render: (value) => value,
});

export const integer = (spec: { doc: string; min: number; max: number; default: number; unit: string }): IntegerVar => ({
  kind: 'integer',
  ...spec,
  parse(raw) {
    if (raw === undefined) return spec.default;
    const value = /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
      throw new EnvValueError(`must be an integer from ${spec.min} to ${spec.max} (${spec.unit}), got "${raw}"`);
    }
    return value;
  },
  render: (value) => String(value),
});

const boolean = (doc: string, fallback: boolean): EnvVar<boolean> => ({
  doc,
  parse(raw) {
    if (raw === undefined) return fallback;
    if (raw !== 'true' && raw !== 'false') throw new EnvValueError(`must be 'true' or 'false', got "${raw}"`);
    return raw === 'true';
  },
  render: (value) => String(value),
});

/** The CloudWatch namespace of the portal's EMF metrics (the uploads Lambda's Powertools Metrics). */
export const METRICS_NAMESPACE = 'UploadPortal';

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT', 'CRITICAL'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LAMBDA_ENV = {
  // Identity: who signed the request (lambdas/shared/identity.ts).
  ALB_ARN: required('The load balancer that must have signed x-amzn-oidc-data (the JWT header `signer`)', /^arn:aws[a-z-]*:elasticloadbalancing:/, 'a load balancer ARN'),
  ALB_KEYS_URL: optional("Where the ALB's token keys are served (`${url}/${kid}`); unset = the region's public-keys.auth.elb endpoint", /^https?:\/\/[^\s?#]+[^/\s?#]$/, 'an http(s) URL without a trailing slash'),
  AWS_REGION: optional('Set by the Lambda runtime; picks the default ALB keys endpoint'),
  CUSTOMER_ISSUER: required('Issuer of customer tokens (the Cognito user pool)'),
  CUSTOMER_CLIENT_ID: required("The ALB's Cognito app client"),
  ADMIN_ISSUER: required("Issuer of admin tokens (the company's OIDC IdP, or the admin pool)"),
  ADMIN_CLIENT_ID: required("The ALB's client at the admin IdP"),
  ADMIN_REQUIRE_EMAIL_VERIFIED: boolean(
    "Admit an admin only when the admin IdP marks the e-mail verified (email_verified true); false for an IdP that never sends the claim (Entra ID), whose addresses the company itself assigns",
    true,
  ),
  ADMIN_ALLOWED_EMAILS: {
    doc: 'Who of the admin IdP\'s users is an admin: comma-separated addresses and @domain entries, or `*` for everyone the IdP admits; unset = nobody',
    parse(raw: string | undefined): AdminAllowList {
      try {
        return parseAdminAllowList(raw);
      } catch (error) {
        throw new EnvValueError((error as Error).message.replace(/^ADMIN_ALLOWED_EMAILS: /, ''));
      }
    },
    render: (entries: readonly string[] | null) => (entries === null ? '*' : entries.join(',')),
  } satisfies EnvVar<AdminAllowList, readonly string[] | null>,

  // Data and clients.
  BUCKET_NAME: required('The data bucket'),
  S3_ENDPOINT: optional('An S3-compatible endpoint instead of AWS S3 (the local portal, MinIO); path-style addressing', HTTP_URL, 'an http(s) URL'),
  COGNITO_ENDPOINT: optional('A Cognito-compatible endpoint instead of AWS Cognito (cognito-local)', HTTP_URL, 'an http(s) URL'),
  CATALOG_TABLE: required('The file catalog\'s DynamoDB table (contract/catalog-table.ts)', /^[a-zA-Z0-9_.-]{3,255}$/, 'a DynamoDB table name'),
  DYNAMODB_ENDPOINT: optional('A DynamoDB-compatible endpoint instead of AWS DynamoDB (dynalite in the local portal)', HTTP_URL, 'an http(s) URL'),
  PORTAL_URL: {
    doc: "The portal's origin (https://portal.example.com): links handed to customers and the CSRF reference origin",
    parse(raw: string | undefined): string {
      const value = (raw ?? '').replace(/\/+$/, '');
      if (!value) throw new EnvValueError('is required');
      if (!/^https?:\/\/[^/]+$/.test(value)) throw new EnvValueError('must be an origin such as https://portal.example.com');
      return value;
    },
    render: (value: string) => value,
  } satisfies EnvVar<string>,

  // Uploads.
  PRESIGN_EXPIRES_SECONDS: integer({
    doc: 'Lifetime of presigned part URLs (small-file upload URLs live at most 5 minutes of it). At most an hour: a URL signed before a login is removed or an endpoint disabled can stage parts until it expires, and the page re-signs expired ones as it needs them',
    min: 60,
    max: 3_600,
    default: UPLOAD_DEFAULTS.presignExpiresSeconds,
    unit: 'seconds',
  }),
  MAX_OPEN_UPLOADS_PER_LOGIN: integer({
    doc: 'Open multipart uploads one login may have at a time (a create beyond it is answered 429 too_many_open_uploads)',
    min: 1,
    max: 1000,
    default: DEFAULT_MAX_OPEN_UPLOADS_PER_LOGIN,
    unit: 'uploads',
  }),
  INCOMPLETE_UPLOAD_DAYS: integer({
    doc: "Days after which the bucket's lifecycle rule aborts an unfinished upload (the stack's incompleteUploadDays): told to the page so it can show each upload's deadline, and when the uploads Lambda releases its quota hold",
    min: 1,
    max: 365,
    default: UPLOAD_DEFAULTS.incompleteUploadDays,
    unit: 'days',
  }),
  UPLOAD_CONCURRENCY: integer({ doc: 'Parallel part uploads per file, told to the page', min: 1, max: 20, default: UPLOAD_DEFAULTS.concurrency, unit: 'parallel parts' }),
  MULTIPART_THRESHOLD_BYTES: integer({
    doc: 'Files from this size on use multipart; smaller ones one presigned request',
    min: S3_MIN_PART_BYTES,
    max: S3_MAX_PART_BYTES,
    default: UPLOAD_DEFAULTS.multipartThresholdBytes,
    unit: 'bytes',
  }),
  MIN_PART_SIZE_BYTES: integer({
    doc: 'Smallest part size the page uses',
    min: S3_MIN_PART_BYTES,
    max: S3_MAX_PART_BYTES,
    default: UPLOAD_DEFAULTS.minPartSizeBytes,
    unit: 'bytes',
  }),

  // Admin.
  USER_POOL_ID: required('The customer pool in which logins are created', /^[\w-]+_[0-9a-zA-Z]+$/, 'a Cognito user pool id'),
  DOWNLOAD_EXPIRES_SECONDS: integer({ doc: 'Lifetime of the presigned GET behind an admin download', min: 60, max: 43_200, default: 900, unit: 'seconds' }),
  COGNITO_SEND_INVITE: boolean('Let Cognito e-mail new customers their temporary password (otherwise the admin hands it over)', false),

  // Notifications (contract/notifications.ts).
  DIGEST_QUEUE_URL: optional('The SQS queue of digest checks and infected-file alerts; unset = no notifications are queued', HTTP_URL, 'an SQS queue URL'),
  WEBHOOK_QUEUE_URL: optional('The SQS queue of webhook deliveries; unset = webhooks are not sent', HTTP_URL, 'an SQS queue URL'),
  SQS_ENDPOINT: optional('An SQS-compatible endpoint instead of AWS SQS (the local portal\'s stand-in)', HTTP_URL, 'an http(s) URL'),
  NOTIFICATION_SENDER: optional('The verified SES identity e-mails are sent from (an address, or `Name <address>`); unset = e-mail is off'),
  SES_ENDPOINT: optional('An SES-compatible endpoint instead of AWS SES (aws-ses-v2-local in the local portal)', HTTP_URL, 'an http(s) URL'),
  NOTIFICATION_QUIET_SECONDS: integer({
    doc: 'Quiet period after the last arrival before a digest is sent (SQS DelaySeconds: at most 900)',
    min: 0,
    max: NOTIFICATION_QUIET_MAX_SECONDS,
    default: NOTIFICATION_QUIET_DEFAULT_SECONDS,
    unit: 'seconds',
  }),
  WEBHOOK_ALLOW_LOOPBACK_HTTP: boolean('Local portal only: accept http webhook URLs and loopback receivers (tests receive webhooks on 127.0.0.1); never set in AWS', false),
  // Malware scanning (contract/malware-scan.ts).
  MALWARE_SCAN: {
    doc: 'block: downloads wait for a clean scan; tag: scanned, not gated; off: no scanning (new files are not_scanned)',
    parse(raw: string | undefined): MalwareScanMode {
      const value = raw ?? DEFAULT_MALWARE_SCAN;
      if (!(MALWARE_SCAN_MODES as readonly string[]).includes(value)) throw new EnvValueError(`must be one of ${MALWARE_SCAN_MODES.join(', ')}, got "${value}"`);
      return value as MalwareScanMode;
    },
    render: (value: MalwareScanMode) => value,
  } satisfies EnvVar<MalwareScanMode>,

  // Web.
  CUSTOMER_LOGOUT_URL: urlOrEmpty('Cognito hosted-UI logout URL; empty = straight to /signed-out'),
  ADMIN_LOGOUT_URL: urlOrEmpty("The admin IdP's end-session URL; empty = straight to /signed-out"),
  S3_ORIGINS: {
    doc: 'Bucket origins for the pages\' CSP connect-src, space-separated',
    parse(raw: string | undefined): string[] {
      const origins = (raw ?? '').split(/\s+/).filter(Boolean);
      // Anything but a bare origin could smuggle directives into the CSP.
      const bad = origins.filter((origin) => !ORIGIN.test(origin));
      if (bad.length) throw new EnvValueError(`"${bad.join('", "')}" is not an origin (scheme://host[:port])`);
      return origins;
    },
    render: (origins: readonly string[]) => origins.join(' '),
  } satisfies EnvVar<string[], readonly string[]>,
  WEB_ROOT: optional('Folder of the built pages; unset = `web` beside the bundle (/var/task/web)'),

  // Logging and the runtime.
  LOG_LEVEL: {
    doc: 'Powertools log level',
    parse(raw: string | undefined): LogLevel {
      const value = (raw ?? 'INFO').toUpperCase();
      if (!(LOG_LEVELS as readonly string[]).includes(value)) throw new EnvValueError(`must be one of ${LOG_LEVELS.join(', ')}`);
      return value as LogLevel;
    },
    render: (value: LogLevel) => value,
  } satisfies EnvVar<LogLevel>,
  POWERTOOLS_SERVICE_NAME: optional('Powertools service name on every log line and metric; unset = the function\'s own name'),
  POWERTOOLS_METRICS_NAMESPACE: {
    doc: `CloudWatch namespace of the EMF metrics; unset = ${METRICS_NAMESPACE}`,
    parse: (raw: string | undefined): string => raw ?? METRICS_NAMESPACE,
    render: (value: string) => value,
  } satisfies EnvVar<string>,
  POWERTOOLS_METRICS_DISABLED: boolean('Silences the EMF metric lines (local runs and tests); read by Powertools Metrics itself', false),
  NODE_OPTIONS: optional('Read by Node.js: the stack sets --enable-source-maps, so stack traces point at the TypeScript sources'),
} as const;

export type EnvName = keyof typeof LAMBDA_ENV;
type Parsed<N extends EnvName> = ReturnType<(typeof LAMBDA_ENV)[N]['parse']>;
type RenderInput<N extends EnvName> = Parameters<(typeof LAMBDA_ENV)[N]['render']>[0];

/** What identity verification reads (uploads and admin). */
export const IDENTITY_ENV = ['ALB_ARN', 'ALB_KEYS_URL', 'AWS_REGION', 'CUSTOMER_ISSUER', 'CUSTOMER_CLIENT_ID', 'ADMIN_ISSUER', 'ADMIN_CLIENT_ID', 'ADMIN_ALLOWED_EMAILS', 'ADMIN_REQUIRE_EMAIL_VERIFIED'] as const;
/** What every function's logger and runtime read. */
export const LOGGING_ENV = ['LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME', 'NODE_OPTIONS'] as const;
/** What a function that creates a Powertools Metrics reads (only the uploads Lambda does). */
export const METRICS_ENV = ['POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_METRICS_DISABLED'] as const;

/** The variables each function reads; nothing else is set on it. */
export const FUNCTION_ENV = {
  uploads: [...IDENTITY_ENV, ...LOGGING_ENV, ...METRICS_ENV, 'BUCKET_NAME', 'S3_ENDPOINT', 'CATALOG_TABLE', 'DYNAMODB_ENDPOINT', 'PRESIGN_EXPIRES_SECONDS', 'UPLOAD_CONCURRENCY', 'MULTIPART_THRESHOLD_BYTES', 'MIN_PART_SIZE_BYTES', 'MAX_OPEN_UPLOADS_PER_LOGIN', 'INCOMPLETE_UPLOAD_DAYS'],
  admin: [...IDENTITY_ENV, ...LOGGING_ENV, 'BUCKET_NAME', 'S3_ENDPOINT', 'CATALOG_TABLE', 'DYNAMODB_ENDPOINT', 'COGNITO_ENDPOINT', 'PORTAL_URL', 'USER_POOL_ID', 'DOWNLOAD_EXPIRES_SECONDS', 'COGNITO_SEND_INVITE', 'MALWARE_SCAN', 'NOTIFICATION_SENDER', 'WEBHOOK_ALLOW_LOOPBACK_HTTP'],
  web: [...LOGGING_ENV, 'CUSTOMER_LOGOUT_URL', 'ADMIN_LOGOUT_URL', 'S3_ORIGINS', 'WEB_ROOT'],
  // Not behind the ALB: no identity. S3 and GuardDuty events from EventBridge -> the catalog, and each arrival -> the endpoint's pending digest plus a delayed digest check.
  events: [...LOGGING_ENV, 'BUCKET_NAME', 'S3_ENDPOINT', 'CATALOG_TABLE', 'DYNAMODB_ENDPOINT', 'MALWARE_SCAN', 'DIGEST_QUEUE_URL', 'SQS_ENDPOINT', 'NOTIFICATION_QUIET_SECONDS'],
  // SQS consumer: digest checks and alerts -> SES e-mail and webhook messages; webhook messages -> receivers.
  notify: [
    ...LOGGING_ENV,
    'BUCKET_NAME',
    'S3_ENDPOINT',
    'CATALOG_TABLE',
    'DYNAMODB_ENDPOINT',
    'PORTAL_URL',
    'DIGEST_QUEUE_URL',
    'WEBHOOK_QUEUE_URL',
    'SQS_ENDPOINT',
    'NOTIFICATION_SENDER',
    'SES_ENDPOINT',
    'NOTIFICATION_QUIET_SECONDS',
    'WEBHOOK_ALLOW_LOOPBACK_HTTP',
  ],
} as const satisfies Record<FunctionName, readonly EnvName[]>;

export type EnvNamesOf<F extends FunctionName> = (typeof FUNCTION_ENV)[F][number];
/** A function's parsed environment. */
export type LambdaEnv<F extends FunctionName> = { readonly [N in EnvNamesOf<F>]: Parsed<N> };
/** Some variables, parsed. */
export type EnvValues<N extends EnvName> = { readonly [K in N]: Parsed<K> };
/** What the stack or the local portal sets: every variable it has a value for (the rest take their defaults). */
export type EnvInput<F extends FunctionName> = { readonly [N in EnvNamesOf<F>]?: RenderInput<N> };

/** Parses the named variables from `env` (empty counts as unset); throws LambdaEnvError naming every bad one. */
export function readEnv<N extends EnvName>(scope: string, names: readonly N[], env: Readonly<Record<string, string | undefined>>): EnvValues<N> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const name of names) {
    const raw = env[name];
    try {
      values[name] = (LAMBDA_ENV[name].parse as (raw: string | undefined) => unknown)(raw === '' ? undefined : raw);
    } catch (error) {
      if (!(error instanceof EnvValueError)) throw error;
      problems.push(`${name} ${error.message}`);
    }
  }
  if (problems.length) throw new LambdaEnvError(scope, problems);
  return values as EnvValues<N>;
}

/** One function's whole environment, parsed once when its handler starts. */
export const parseLambdaEnv = <F extends FunctionName>(fn: F, env: Readonly<Record<string, string | undefined>>): LambdaEnv<F> =>
  readEnv(fn, FUNCTION_ENV[fn], env);

/** The environment variables for `values`; a value that is undefined leaves its variable unset. */
export function renderLambdaEnv<F extends FunctionName>(fn: F, values: EnvInput<F>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FUNCTION_ENV[fn] as readonly EnvName[]) {
    const value = (values as Record<string, unknown>)[name];
    if (value === undefined) continue;
    out[name] = (LAMBDA_ENV[name].render as (value: unknown) => string)(value);
  }
  return out;
}
