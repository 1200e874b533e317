// The deployment config: typed and validated at synth time from cdk.json context (`context.portal`),
// each key overridable with a PORTAL_<KEY> environment variable (PORTAL_DOMAIN_NAME, PORTAL_MFA, ...;
// `null` unsets an optional key, JSON for adminIdp, comma-separated or JSON for adminAllowList).
// Unknown keys are refused and every problem is reported at once, naming the key and what is expected.
import { isAdminAllowed, parseAdminAllowList, parseAllowListEntry } from '../contract/admin-allow-list.js';
import { FUNCTION_NAMES, LAMBDA_ENV, type EnvName, type FunctionName, type IntegerVar } from '../contract/lambda-env.js';
import { isEmailAddress } from '../contract/email-address.js';
import { TEMPORARY_PASSWORD_VALIDITY_DAYS } from '../contract/password-policy.js';
import { SESSION_TIMEOUT_DEFAULTS } from '../contract/routes.js';
import { DEFAULT_MALWARE_SCAN, MALWARE_SCAN_MODES, type MalwareScanMode } from '../contract/malware-scan.js';
import { ConfigReader, type EnvKind, describeValue } from './config-reader.js';

export { ConfigError, type ConfigProblem, envNameOf } from './config-reader.js';

export type MfaMode = 'off' | 'optional' | 'required';

/** The company's OIDC identity provider for admins (e.g. Entra ID). */
export interface AdminOidcIdp {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly userInfoEndpoint: string;
  readonly clientId: string;
  /** Name (or ARN) of a Secrets Manager secret whose plain-text value is the client secret; the secret itself never appears in cdk.json. */
  readonly clientSecretName: string;
  /** The IdP's end-session (logout) endpoint; without it, admin sign-out only clears the ALB session. */
  readonly endSessionEndpoint?: string;
}

/** Keys as written in cdk.json `context.portal` (all optional here; `loadConfig` says which are required). */
export interface PortalConfigInput {
  /** CloudFormation stack name. @default "UploadPortal" */
  stackName?: string;
  /** AWS account id (12 digits). Required. */
  account?: string;
  /** AWS region, e.g. eu-west-1. Required. */
  region?: string;
  /** The portal's host name (lower case), e.g. portal.example.com. Required. */
  domainName?: string;
  /** ACM certificate for domainName in the same region. One of certificateArn or hostedZoneId+hostedZoneName is required. */
  certificateArn?: string | null;
  /** Route 53 zone: a DNS-validated certificate (unless certificateArn is set) and an alias record for domainName are created in it. */
  hostedZoneId?: string | null;
  hostedZoneName?: string | null;
  /** KMS key for bucket encryption. @default null (S3-managed keys, SSE-S3) */
  kmsKeyArn?: string | null;
  /**
   * Abort multipart uploads left incomplete this many days (their parts are billed while they exist).
   * @default 7 (a 100 GB file over a 2 Mbit/s hotel link takes about 5 days; pausing overnight must not lose it)
   */
  incompleteUploadDays?: number;
  /** Delete uploaded files this many days after upload. @default null (kept until an admin deletes them) */
  uploadExpiryDays?: number | null;
  /** Delete audit events this many days after they were written. @default 400 */
  auditRetentionDays?: number;
  /** ALB session lifetime of a customer. @default 28800 (8 h: a long upload must not lose its session) */
  customerSessionTimeoutSeconds?: number;
  /** ALB session lifetime of an admin. @default 3600 (1 h: admins hold more power) */
  adminSessionTimeoutSeconds?: number;
  /** How long a temporary password from the admin console stays valid. @default 7 */
  temporaryPasswordValidityDays?: number;
  /** Customer MFA (TOTP). The admin Cognito pool, when used, always requires it. @default "required" */
  mfa?: MfaMode;
  /** Cognito hosted-UI domain prefix (globally unique per region); the admin pool adds `-admin`. @default domainName with dots as dashes */
  cognitoDomainPrefix?: string;
  /** External OIDC IdP for admins. Exactly one of adminIdp and firstAdminEmail. */
  adminIdp?: AdminOidcIdp | null;
  /** Without adminIdp: a second Cognito pool for admins is created and this person invited by e-mail. */
  firstAdminEmail?: string | null;
  /**
   * Who, of the people the admin IdP lets sign in, is an admin: e-mail addresses and/or `@domain.example`
   * entries (lower-cased here, so a lower-cased e-mail claim can be compared as is), or null for everyone
   * the IdP admits (then restrict it at the IdP, e.g. Entra ID "user assignment required"). Required with
   * adminIdp (null must be written out: a whole tenant being admin is never the silent default).
   * @default null with firstAdminEmail (the admin pool holds only invited admins)
   */
  adminAllowList?: readonly string[] | null;
  /**
   * Admit an admin only when the admin IdP marks the e-mail verified (`email_verified`). Set false
   * only for an IdP that never sends the claim and whose addresses the company assigns (Entra ID).
   * @default true
   */
  adminRequireEmailVerified?: boolean;
  /**
   * Lifetime of presigned part URLs, at most 3,600. @default 600 (minutes, so a removed login's or
   * disabled endpoint's outstanding URLs stop soon; the page re-signs expired ones)
   */
  presignExpiresSeconds?: number;
  /**
   * Open multipart uploads one login may have at a time. @default 20 (more files queue in the page;
   * each open upload reserves quota and is billed for its parts until completed or aborted)
   */
  maxOpenUploadsPerLogin?: number;
  /** Lifetime of the presigned GET behind an admin download. @default 900 */
  downloadExpiresSeconds?: number;
  /** Parts uploaded in parallel per browser (told to the page). @default 6 (a browser's per-host HTTP/1.1 limit) */
  uploadConcurrency?: number;
  /** Let Cognito e-mail new customers their temporary password. @default false (the admin hands it over) */
  sendInvitationEmail?: boolean;
  /**
   * Concurrent executions reserved for each function, so a flood on one (page loads, a scripted
   * client) cannot take the capacity another needs; null for no reservations (accounts with a small
   * concurrency quota). @default RESERVED_CONCURRENCY_DEFAULTS
   */
  reservedConcurrency?: Partial<Record<FunctionName, number>> | null;
  /**
   * The account's concurrency quota in the region (Service Quotas, "Concurrent executions"). Lambda
   * refuses reservations that leave it fewer than 100 unreserved executions; synth checks that first.
   * @default 1000 (the usual quota; new accounts often start with 10)
   */
  accountConcurrency?: number;
  /**
   * An AWS WAF web ACL on the load balancer: a rate limit per client address and AWS managed rule
   * groups (infra/waf.ts). About $5 a month plus $0.60 per million requests. @default true
   */
  waf?: boolean;
  /** Requests one client address may send in 5 minutes before it gets 429s (WAF's minimum is 10). @default 3000 */
  wafRateLimitPer5Minutes?: number;
  /** Retention of the Lambdas' logs and of the ALB/S3/VPC access logs. @default 365 */
  logRetentionDays?: number;
  /**
   * The verified SES identity notifications are sent from: an address (`portal@example.com`, or one at
   * a verified domain) or `Name <address>`. @default null (e-mail is off; synth says so once; webhooks still work)
   */
  notificationSender?: string | null;
  /**
   * Quiet period after the last arrival before an endpoint's digest is sent (SQS DelaySeconds: at most 900).
   * @default 300 (a folder of 1,000 files becomes one message)
   */
  notificationQuietSeconds?: number;
  /** Where the ALB's token-signing keys are served (GovCloud differs). @default null (the region's public-keys.auth.elb endpoint) */
  albKeysUrl?: string | null;
  /**
   * Malware scanning of uploads by GuardDuty Malware Protection for S3 (billed per GB scanned and per
   * object; README "Scanning and notifications"): `block` lets a file be downloaded only once its scan
   * found nothing (or an admin released a file that could not be scanned), `tag` scans and shows the
   * result without gating downloads (infected files stay refused by the portal), `off` scans nothing.
   * @default "block" (a security team will not accept unscanned files from outside parties)
   */
  malwareScan?: MalwareScanMode;
  /**
   * An existing SNS topic (standard, in the stack's region) that every alarm of the stack notifies when
   * it goes off: the dead-letter queues of S3 events, digests and webhooks. Subscribe the operators'
   * e-mail, chat or paging to it. @default null (the alarms only show in the CloudWatch console)
   */
  alarmTopicArn?: string | null;
}

export type AdminIdentity = { kind: 'oidc'; idp: AdminOidcIdp } | { kind: 'cognito'; firstAdminEmail: string };

/** The validated config the stack is built from. */
export interface PortalConfig {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly domainName: string;
  readonly certificateArn: string | null;
  readonly hostedZone: { readonly id: string; readonly name: string } | null;
  readonly kmsKeyArn: string | null;
  readonly incompleteUploadDays: number;
  readonly uploadExpiryDays: number | null;
  readonly auditRetentionDays: number;
  readonly customerSessionTimeoutSeconds: number;
  readonly adminSessionTimeoutSeconds: number;
  readonly temporaryPasswordValidityDays: number;
  readonly mfa: MfaMode;
  readonly cognitoDomainPrefix: string;
  readonly admin: AdminIdentity;
  /** Lower-case e-mail addresses and `@domain` entries, no duplicates; null = everyone the admin IdP admits. */
  readonly adminAllowList: readonly string[] | null;
  readonly adminRequireEmailVerified: boolean;
  readonly presignExpiresSeconds: number;
  readonly maxOpenUploadsPerLogin: number;
  readonly downloadExpiresSeconds: number;
  readonly uploadConcurrency: number;
  readonly sendInvitationEmail: boolean;
  readonly logRetentionDays: number;
  readonly albKeysUrl: string | null;
  /** Per function; a function not listed, or null for all, has no reservation. */
  readonly reservedConcurrency: Readonly<Partial<Record<FunctionName, number>>> | null;
  readonly accountConcurrency: number;
  readonly waf: boolean;
  readonly wafRateLimitPer5Minutes: number;
  readonly notificationSender: string | null;
  readonly notificationQuietSeconds: number;
  readonly malwareScan: MalwareScanMode;
  /** The SNS topic every alarm notifies, or null. */
  readonly alarmTopicArn: string | null;
}

/**
 * Reservations that leave the uploads Lambda room under a flood of anonymous page loads: the web
 * Lambda gets a share of its own, the admin console few, uploads most.
 */
export const RESERVED_CONCURRENCY_DEFAULTS: Readonly<Record<FunctionName, number>> = { web: 20, uploads: 100, admin: 10, events: 10, notify: 5 };

/** The defaults, pinned by test/infra/config.test.ts; reasons are on PortalConfigInput. */
export const CONFIG_DEFAULTS = {
  stackName: 'UploadPortal',
  kmsKeyArn: null,
  incompleteUploadDays: LAMBDA_ENV.INCOMPLETE_UPLOAD_DAYS.default,
  uploadExpiryDays: null,
  auditRetentionDays: 400,
  customerSessionTimeoutSeconds: SESSION_TIMEOUT_DEFAULTS.customer,
  adminSessionTimeoutSeconds: SESSION_TIMEOUT_DEFAULTS.admin,
  temporaryPasswordValidityDays: TEMPORARY_PASSWORD_VALIDITY_DAYS,
  mfa: 'required',
  adminRequireEmailVerified: true,
  presignExpiresSeconds: LAMBDA_ENV.PRESIGN_EXPIRES_SECONDS.default,
  maxOpenUploadsPerLogin: LAMBDA_ENV.MAX_OPEN_UPLOADS_PER_LOGIN.default,
  downloadExpiresSeconds: LAMBDA_ENV.DOWNLOAD_EXPIRES_SECONDS.default,
  uploadConcurrency: LAMBDA_ENV.UPLOAD_CONCURRENCY.default,
  sendInvitationEmail: false,
  logRetentionDays: 365,
  albKeysUrl: null,
  reservedConcurrency: RESERVED_CONCURRENCY_DEFAULTS,
  accountConcurrency: 1000,
  waf: true,
  wafRateLimitPer5Minutes: 3000,
  notificationSender: null,
  notificationQuietSeconds: LAMBDA_ENV.NOTIFICATION_QUIET_SECONDS.default,
  malwareScan: DEFAULT_MALWARE_SCAN,
  alarmTopicArn: null,
} as const satisfies Partial<PortalConfig>;

/** The Lambda variables that are whole numbers with bounds (contract/lambda-env.ts `integer`). */
type IntegerEnvName = { [N in EnvName]: (typeof LAMBDA_ENV)[N] extends IntegerVar ? N : never }[EnvName];

/**
 * Config keys the stack passes on to a Lambda variable (infra/function-environment.ts): each takes its
 * bounds, unit and default from the variable's own definition, so synth accepts exactly what the
 * Lambda's parser accepts. A key passed on to a Lambda belongs here (test/infra/config.test.ts finds
 * any that is not).
 */
export const PASSED_ON_TO_LAMBDAS = {
  incompleteUploadDays: 'INCOMPLETE_UPLOAD_DAYS',
  presignExpiresSeconds: 'PRESIGN_EXPIRES_SECONDS',
  maxOpenUploadsPerLogin: 'MAX_OPEN_UPLOADS_PER_LOGIN',
  downloadExpiresSeconds: 'DOWNLOAD_EXPIRES_SECONDS',
  uploadConcurrency: 'UPLOAD_CONCURRENCY',
  notificationQuietSeconds: 'NOTIFICATION_QUIET_SECONDS',
} as const satisfies Partial<Record<keyof PortalConfigInput, IntegerEnvName>>;
export type PassedOnKey = keyof typeof PASSED_ON_TO_LAMBDAS;

/** Every key and how its PORTAL_* override is parsed. */
const KEYS = {
  stackName: 'string', account: 'string', region: 'string', domainName: 'string', certificateArn: 'string',
  hostedZoneId: 'string', hostedZoneName: 'string', kmsKeyArn: 'string', incompleteUploadDays: 'integer',
  uploadExpiryDays: 'integer', auditRetentionDays: 'integer', customerSessionTimeoutSeconds: 'integer',
  adminSessionTimeoutSeconds: 'integer', temporaryPasswordValidityDays: 'integer', mfa: 'string',
  cognitoDomainPrefix: 'string', adminIdp: 'json', firstAdminEmail: 'string', adminAllowList: 'list', adminRequireEmailVerified: 'boolean', presignExpiresSeconds: 'integer', maxOpenUploadsPerLogin: 'integer',
  downloadExpiresSeconds: 'integer', uploadConcurrency: 'integer', sendInvitationEmail: 'boolean',
  logRetentionDays: 'integer', albKeysUrl: 'string', reservedConcurrency: 'json', accountConcurrency: 'integer', waf: 'boolean', wafRateLimitPer5Minutes: 'integer',
  notificationSender: 'string', notificationQuietSeconds: 'integer', malwareScan: 'string', alarmTopicArn: 'string',
} as const satisfies Record<keyof PortalConfigInput, EnvKind>;

export const CONFIG_KEYS = Object.keys(KEYS) as (keyof PortalConfigInput)[];

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const DNS_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const HTTPS_URL = /^https:\/\/[^\s/?#]+(?:\/[^\s?#]*)?(?:\?[^\s#]*)?$/;
/** `a@b.example` or `Display Name <a@b.example>` (SES FromEmailAddress). */
const SENDER = /^(?:[^<>@\r\n]{1,80} <[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/;

/** The address inside a sender (`Name <a@b>` -> `a@b`). */
export const senderAddress = (sender: string): string => /<([^>]+)>$/.exec(sender)?.[1] ?? sender;
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SECRET_NAME = /^(?:arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+|[A-Za-z0-9/_+=.@-]{1,512})$/;
const ADMIN_IDP_KEYS = ['issuer', 'authorizationEndpoint', 'tokenEndpoint', 'userInfoEndpoint', 'clientId', 'clientSecretName', 'endSessionEndpoint'] as const;
const ALLOW_LIST_EXPECTED = 'an array of e-mail addresses and/or "@domain.example" entries, or null for everyone the admin IdP admits';
/** The list travels comma-joined in two Lambdas' environments, which hold 4 KB each in all. */
export const ADMIN_ALLOW_LIST_MAX_CHARS = 2048;
/** The admin pool's domain is `<prefix>-admin`, and a Cognito prefix is at most 63 characters. */
const ADMIN_DOMAIN_SUFFIX = '-admin';

const arnPattern = (service: string, resource: string): RegExp =>
  new RegExp(`^arn:aws[a-z-]*:${service}:([a-z0-9-]+):\\d{12}:${resource}$`);
const CERTIFICATE_ARN = arnPattern('acm', 'certificate/[0-9a-f-]{36}');
const KMS_KEY_ARN = arnPattern('kms', 'key/(?:mrk-[0-9a-f]{32}|[0-9a-f-]{36})');
/** A standard topic: CloudWatch alarm actions do not notify FIFO topics (`.fifo`). */
const SNS_TOPIC_ARN = arnPattern('sns', '[A-Za-z0-9_-]{1,256}');

/** Loads the config from `context.portal` and the environment; throws ConfigError listing every problem. */
export function loadConfig(context: unknown, env: Record<string, string | undefined> = process.env): PortalConfig {
  const r = new ConfigReader(context, env, KEYS);
  const v = (key: keyof PortalConfigInput): unknown => r.value(key);

  const stackName = r.string('stackName', v('stackName'), STACK_NAME, 'a CloudFormation stack name (letters, digits, hyphens, starting with a letter)') ?? CONFIG_DEFAULTS.stackName;
  const account = r.string('account', v('account'), /^\d{12}$/, 'a 12-digit AWS account id');
  const region = r.string('region', v('region'), REGION, 'an AWS region such as eu-west-1');
  const domainName = r.string('domainName', v('domainName'), DNS_NAME, 'a lower-case DNS name such as portal.example.com');
  if (v('account') === undefined) r.required('account', 'a 12-digit AWS account id');
  if (v('region') === undefined) r.required('region', 'an AWS region such as eu-west-1');
  if (v('domainName') === undefined) r.required('domainName', 'the portal host name, e.g. portal.example.com');

  // Regional resources (the ALB's certificate, the bucket's key) must live in the stack's region.
  const inRegion = (key: string, arn: string | undefined, pattern: RegExp): void => {
    const arnRegion = arn?.match(pattern)?.[1];
    if (arn && region && arnRegion !== region) r.problem(key, `an ARN in the stack's region ${region}`, JSON.stringify(arn));
  };
  const certificateArn = r.string('certificateArn', v('certificateArn'), CERTIFICATE_ARN, 'an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)') ?? null;
  inRegion('certificateArn', certificateArn ?? undefined, CERTIFICATE_ARN);
  const hostedZoneId = r.string('hostedZoneId', v('hostedZoneId'), /^Z[A-Z0-9]{1,31}$/, 'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ');
  // Route 53 shows zone names with the root dot ("example.com."): accept that spelling too.
  const rawZoneName = v('hostedZoneName');
  const hostedZoneName = r.string('hostedZoneName', typeof rawZoneName === 'string' ? rawZoneName.replace(/\.$/, '') : rawZoneName, DNS_NAME, 'the hosted zone\'s lower-case DNS name, e.g. example.com');
  let hostedZone: PortalConfig['hostedZone'] = null;
  const zoneIdGiven = v('hostedZoneId') != null;
  const zoneNameGiven = v('hostedZoneName') != null;
  if (zoneIdGiven !== zoneNameGiven) {
    r.problem(zoneIdGiven ? 'hostedZoneName' : 'hostedZoneId', 'hostedZoneId and hostedZoneName to be set together');
  } else if (hostedZoneId && hostedZoneName) {
    hostedZone = { id: hostedZoneId, name: hostedZoneName };
    if (domainName && domainName !== hostedZoneName && !domainName.endsWith(`.${hostedZoneName}`)) {
      r.problem('hostedZoneName', `a zone that contains domainName ${domainName}`, JSON.stringify(hostedZoneName));
    }
  }
  if (v('certificateArn') == null && !zoneIdGiven && !zoneNameGiven) {
    r.problem('certificateArn', 'a certificate ARN, or hostedZoneId + hostedZoneName to create a DNS-validated certificate (one of the two is required)');
  }

  const kmsKeyArn = r.string('kmsKeyArn', v('kmsKeyArn'), KMS_KEY_ARN, 'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), or null for S3-managed encryption') ?? null;
  inRegion('kmsKeyArn', kmsKeyArn ?? undefined, KMS_KEY_ARN);

  const days = (key: keyof PortalConfigInput, min: number, max: number) => r.integer(key, v(key), min, max, 'days');
  const seconds = (key: keyof PortalConfigInput, min: number, max: number) => r.integer(key, v(key), min, max, 'seconds');
  // Keys passed on to a Lambda take their bounds from the Lambda environment's own definition.
  const passedOn = (key: PassedOnKey): number => {
    const variable: IntegerVar = LAMBDA_ENV[PASSED_ON_TO_LAMBDAS[key]];
    return r.integer(key, v(key), variable.min, variable.max, variable.unit) ?? CONFIG_DEFAULTS[key];
  };
  const incompleteUploadDays = passedOn('incompleteUploadDays');
  const uploadExpiryDays = days('uploadExpiryDays', 1, 36500) ?? CONFIG_DEFAULTS.uploadExpiryDays;
  const auditRetentionDays = days('auditRetentionDays', 1, 36500) ?? CONFIG_DEFAULTS.auditRetentionDays;
  // The ALB allows 1 s to 7 days; under a minute would mean a sign-in loop.
  const customerSessionTimeoutSeconds = seconds('customerSessionTimeoutSeconds', 60, 604_800) ?? CONFIG_DEFAULTS.customerSessionTimeoutSeconds;
  const adminSessionTimeoutSeconds = seconds('adminSessionTimeoutSeconds', 60, 604_800) ?? CONFIG_DEFAULTS.adminSessionTimeoutSeconds;
  // Cognito: 0 to 365 days; 0 would make every temporary password useless.
  const temporaryPasswordValidityDays = days('temporaryPasswordValidityDays', 1, 365) ?? CONFIG_DEFAULTS.temporaryPasswordValidityDays;
  const mfa = r.oneOf<MfaMode>('mfa', v('mfa'), ['off', 'optional', 'required']) ?? CONFIG_DEFAULTS.mfa;
  const presignExpiresSeconds = passedOn('presignExpiresSeconds');
  const maxOpenUploadsPerLogin = passedOn('maxOpenUploadsPerLogin');
  const downloadExpiresSeconds = passedOn('downloadExpiresSeconds');
  const uploadConcurrency = passedOn('uploadConcurrency');
  const sendInvitationEmail = r.boolean('sendInvitationEmail', v('sendInvitationEmail')) ?? CONFIG_DEFAULTS.sendInvitationEmail;
  const logRetentionDays = r.oneOf('logRetentionDays', v('logRetentionDays'), LOG_RETENTION_DAYS) ?? CONFIG_DEFAULTS.logRetentionDays;
  const albKeysUrl = r.string('albKeysUrl', v('albKeysUrl'), HTTPS_URL, 'an https URL without a trailing slash') ?? null;
  if (albKeysUrl?.endsWith('/')) r.problem('albKeysUrl', 'an https URL without a trailing slash', JSON.stringify(albKeysUrl));

  const accountConcurrency = r.integer('accountConcurrency', v('accountConcurrency'), 10, 1_000_000, 'concurrent executions') ?? CONFIG_DEFAULTS.accountConcurrency;
  const reservedConcurrency = readReservedConcurrency(r, v('reservedConcurrency'), accountConcurrency);
  const waf = r.boolean('waf', v('waf')) ?? CONFIG_DEFAULTS.waf;
  const wafRateLimitPer5Minutes = r.integer('wafRateLimitPer5Minutes', v('wafRateLimitPer5Minutes'), 10, 2_000_000_000, 'requests') ?? CONFIG_DEFAULTS.wafRateLimitPer5Minutes;

  const notificationSender = r.string('notificationSender', v('notificationSender'), SENDER, 'an e-mail address or `Name <address>` of a verified SES identity, or null') ?? null;
  const notificationQuietSeconds = passedOn('notificationQuietSeconds');
  const malwareScan = r.oneOf<MalwareScanMode>('malwareScan', v('malwareScan'), MALWARE_SCAN_MODES) ?? CONFIG_DEFAULTS.malwareScan;
  // CloudWatch notifies a topic in the alarm's own region only.
  const alarmTopicArn = r.string('alarmTopicArn', v('alarmTopicArn'), SNS_TOPIC_ARN, 'a standard SNS topic ARN (arn:aws:sns:<region>:<account>:<name>), or null') ?? CONFIG_DEFAULTS.alarmTopicArn;
  inRegion('alarmTopicArn', alarmTopicArn ?? undefined, SNS_TOPIC_ARN);

  const admin = readAdmin(r, v('adminIdp'), v('firstAdminEmail'));
  const adminAllowList = readAdminAllowList(r, v('adminAllowList'), v('adminIdp') != null, admin);
  const adminRequireEmailVerified = r.boolean('adminRequireEmailVerified', v('adminRequireEmailVerified')) ?? CONFIG_DEFAULTS.adminRequireEmailVerified;
  const cognitoDomainPrefix = readDomainPrefix(r, v('cognitoDomainPrefix'), domainName, admin?.kind === 'cognito');

  r.finish();
  return {
    stackName, account: account!, region: region!, domainName: domainName!, certificateArn, hostedZone, kmsKeyArn,
    incompleteUploadDays, uploadExpiryDays, auditRetentionDays, customerSessionTimeoutSeconds, adminSessionTimeoutSeconds,
    temporaryPasswordValidityDays, mfa, cognitoDomainPrefix: cognitoDomainPrefix!, admin: admin!, adminAllowList, adminRequireEmailVerified, presignExpiresSeconds,
    maxOpenUploadsPerLogin, downloadExpiresSeconds, uploadConcurrency, sendInvitationEmail, logRetentionDays, albKeysUrl, reservedConcurrency, accountConcurrency, waf, wafRateLimitPer5Minutes,
    notificationSender, notificationQuietSeconds, malwareScan, alarmTopicArn,
  };
}

function readAdmin(r: ConfigReader, idpValue: unknown, emailValue: unknown): AdminIdentity | undefined {
  const hasIdp = idpValue != null;
  const hasEmail = emailValue != null;
  if (hasIdp && hasEmail) {
    r.problem('firstAdminEmail', 'no firstAdminEmail when adminIdp is set (admins then come from the external IdP)');
    return undefined;
  }
  if (!hasIdp && !hasEmail) {
    r.problem('adminIdp', 'adminIdp (the admins\' OIDC IdP) or firstAdminEmail (an admin Cognito pool is created); one of the two is required');
    return undefined;
  }
  if (hasEmail) {
    // The admin API's address rule (contract/email-address.ts), on the address as written.
    const firstAdminEmail = r.string('firstAdminEmail', emailValue, { test: (text) => text === text.trim() && isEmailAddress(text) }, 'an e-mail address');
    return firstAdminEmail === undefined ? undefined : { kind: 'cognito', firstAdminEmail };
  }
  const idp = r.object('adminIdp', idpValue, ADMIN_IDP_KEYS);
  if (!idp) return undefined;
  const url = (name: (typeof ADMIN_IDP_KEYS)[number], required = true): string | undefined => {
    if (idp[name] == null) {
      if (required) r.required(`adminIdp.${name}`, 'an https URL');
      return undefined;
    }
    return r.string(`adminIdp.${name}`, idp[name], HTTPS_URL, 'an https URL');
  };
  const issuer = url('issuer');
  const authorizationEndpoint = url('authorizationEndpoint');
  const tokenEndpoint = url('tokenEndpoint');
  const userInfoEndpoint = url('userInfoEndpoint');
  const endSessionEndpoint = url('endSessionEndpoint', false);
  const clientId = r.string('adminIdp.clientId', idp.clientId, /^\S{1,255}$/, 'the client id registered at the IdP');
  if (idp.clientId == null) r.required('adminIdp.clientId', 'the client id registered at the IdP');
  const clientSecretName = r.string('adminIdp.clientSecretName', idp.clientSecretName, SECRET_NAME, 'the name or ARN of a Secrets Manager secret holding the client secret');
  if (idp.clientSecretName == null) r.required('adminIdp.clientSecretName', 'the name or ARN of a Secrets Manager secret holding the client secret');
  if (!issuer || !authorizationEndpoint || !tokenEndpoint || !userInfoEndpoint || !clientId || !clientSecretName) return undefined;
  if (idp.endSessionEndpoint != null && !endSessionEndpoint) return undefined;
  return {
    kind: 'oidc',
    idp: { issuer, authorizationEndpoint, tokenEndpoint, userInfoEndpoint, clientId, clientSecretName, ...(endSessionEndpoint ? { endSessionEndpoint } : {}) },
  };
}

/**
 * The admin allow-list: required with an external IdP (which may admit a whole tenant), null by default
 * with the admin pool (only invited admins), validated entry by entry, normalised to lower case.
 */
function readAdminAllowList(r: ConfigReader, value: unknown, hasIdp: boolean, admin: AdminIdentity | undefined): readonly string[] | null {
  const key = 'adminAllowList';
  if (value === undefined) {
    if (hasIdp && !r.reported(key)) {
      r.required(key, `${ALLOW_LIST_EXPECTED}; with adminIdp it must be written out, null only when the IdP itself restricts who can sign in`);
    }
    return null;
  }
  if (value === null) return null;
  if (!Array.isArray(value)) {
    r.problem(key, ALLOW_LIST_EXPECTED, describeValue(value));
    return null;
  }
  if (value.length === 0) {
    r.problem(key, `${ALLOW_LIST_EXPECTED}; an empty list would lock every admin out`, '[]');
    return null;
  }
  const entries: string[] = [];
  let valid = true;
  value.forEach((entry: unknown, index) => {
    // The Lambdas' own rule for ADMIN_ALLOWED_EMAILS entries (contract/admin-allow-list.ts): ASCII
    // only, checked before lower-casing, so no look-alike folds into an address.
    const parsed = typeof entry === 'string' && entry === entry.trim() ? parseAllowListEntry(entry) : null;
    if (!parsed) {
      r.problem(`${key}[${index}]`, 'an ASCII e-mail address (admin@example.com) or a domain entry (@example.com)', describeValue(entry));
      valid = false;
      return;
    }
    const normalised = parsed.kind === 'email' ? parsed.address : `@${parsed.domain}`;
    if (!entries.includes(normalised)) entries.push(normalised);
  });
  if (!valid) return null;
  if (entries.join(',').length > ADMIN_ALLOW_LIST_MAX_CHARS) {
    r.problem(key, `at most ${ADMIN_ALLOW_LIST_MAX_CHARS} characters in all (it is passed in Lambda environments); use @domain entries or restrict at the IdP`);
    return null;
  }
  // The Lambdas' own check (contract/admin-allow-list.ts), over the list as they will parse it.
  if (admin?.kind === 'cognito' && !isAdminAllowed(parseAdminAllowList(entries.join(',')), admin.firstAdminEmail)) {
    r.problem(key, `a list that admits firstAdminEmail ${admin.firstAdminEmail} (or null), else the first admin is locked out`, describeValue(value));
  }
  return entries;
}

/** Lambda keeps at least this many concurrent executions of an account unreserved. */
export const UNRESERVED_MINIMUM = 100;

function readReservedConcurrency(r: ConfigReader, value: unknown, accountConcurrency: number): PortalConfig['reservedConcurrency'] {
  const key = 'reservedConcurrency';
  if (value === null) return null;
  const given = r.object(key, value, FUNCTION_NAMES);
  if (value !== undefined && !given) return null;
  const reservations: Partial<Record<FunctionName, number>> = { ...RESERVED_CONCURRENCY_DEFAULTS };
  for (const name of FUNCTION_NAMES) {
    if (given?.[name] === null) delete reservations[name];
    else if (given?.[name] !== undefined) {
      const count = r.integer(`${key}.${name}`, given[name], 1, accountConcurrency, 'concurrent executions');
      if (count !== undefined) reservations[name] = count;
    }
  }
  const total = Object.values(reservations).reduce((sum, n) => sum + n, 0);
  if (total > accountConcurrency - UNRESERVED_MINIMUM) {
    r.problem(
      key,
      `reservations that leave at least ${UNRESERVED_MINIMUM} of the account's ${accountConcurrency} concurrent executions unreserved (Lambda refuses the deploy otherwise): ` +
        `lower them, set reservedConcurrency to null (no reservations), or raise the account's quota (Service Quotas) and set accountConcurrency`,
      `${total} reserved`,
    );
  }
  return reservations;
}

/** Cognito refuses prefixes containing these words. */
const RESERVED_PREFIX_WORDS = ['aws', 'amazon', 'cognito'];

function readDomainPrefix(r: ConfigReader, value: unknown, domainName: string | undefined, adminPool: boolean): string | undefined {
  const maxLength = adminPool ? 63 - ADMIN_DOMAIN_SUFFIX.length : 63;
  const expected = `a Cognito domain prefix: lower-case letters, digits and hyphens, at most ${maxLength} characters, without ${RESERVED_PREFIX_WORDS.join('/')}`;
  const explicit = value != null;
  const prefix = explicit ? r.string('cognitoDomainPrefix', value, DOMAIN_PREFIX, expected) : domainName?.replace(/\./g, '-');
  if (!prefix) return undefined;
  if (prefix.length > maxLength || RESERVED_PREFIX_WORDS.some((word) => prefix.includes(word))) {
    r.problem('cognitoDomainPrefix', explicit ? expected : `${expected} (the default derived from domainName, "${prefix}", is not one: set cognitoDomainPrefix)`, explicit ? JSON.stringify(prefix) : undefined);
    return undefined;
  }
  return prefix;
}

export const adminDomainPrefix = (config: Pick<PortalConfig, 'cognitoDomainPrefix'>): string => `${config.cognitoDomainPrefix}${ADMIN_DOMAIN_SUFFIX}`;

/** The portal's origin, no trailing slash; the Lambdas' PORTAL_URL. */
export const portalUrl = (config: Pick<PortalConfig, 'domainName'>): string => `https://${config.domainName}`;
