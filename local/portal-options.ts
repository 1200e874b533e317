// What the local portal can be told: ports, data folder, the dev admin, and external services to
// use instead of the local stand-ins. `portalOptionsFromEnv` maps `npm start`'s environment onto it.
import { resolve } from 'node:path';
import type { AlbHandler } from './gateway/lambda-target.js';
import type { RouteTarget } from '../contract/routes.js';
import { MALWARE_SCAN_MODES, type MalwareScanMode } from '../contract/malware-scan.js';

export interface ExternalS3 {
  bucket: string;
  /** e.g. MinIO's http://127.0.0.1:9000; unset = AWS S3 (credentials from the usual AWS env/profile). */
  endpoint?: string;
}

export interface ExternalCognito {
  userPoolId: string;
  /** An app client of that pool with USER_PASSWORD_AUTH enabled (the local hosted UI signs in with it). */
  clientId: string;
  clientSecret?: string;
  /** e.g. another cognito-local; unset = Amazon Cognito. */
  endpoint?: string;
}

export interface LocalPortalOptions {
  /** All local state: S3 objects, cognito-local's pools, keys, generated passwords. */
  dataDir: string;
  /** The gateway (the portal's one origin). 0 = ephemeral. @default 3000 */
  port?: number;
  /** Other servers' ports; each defaults to 0 (ephemeral) when `port` is 0, else port+1 ... port+5. */
  s3Port?: number;
  adminIdpPort?: number;
  customerIdpPort?: number;
  cognitoPort?: number;
  keysPort?: number;
  /** dynalite (the file catalog's DynamoDB). */
  catalogPort?: number;
  /** aws-ses-v2-local (SES: the mailbox page) and the SQS stand-in of the notification queues. */
  sesPort?: number;
  queuePort?: number;
  /**
   * Quiet period after the last arrival before a digest e-mail (config notificationQuietSeconds).
   * @default 60 (shorter than AWS's 300, so a local upload shows its e-mail soon)
   */
  notificationQuietSeconds?: number;
  /** Scales the webhook retry backoff (tests: 0.02 makes the first retry come after about a second). @default 1 */
  webhookRetryScale?: number;
  /** Host name in the URLs the browser sees (servers always bind 127.0.0.1). @default 'localhost' */
  hostname?: string;
  /** The dev admin at the admin IdP. @default admin@example.com and a password generated once */
  adminEmail?: string;
  adminPassword?: string;
  /** Use these instead of the local S3 server / cognito-local. */
  externalS3?: ExternalS3;
  externalCognito?: ExternalCognito;
  /** Build dist/web when it is missing. @default true */
  buildWeb?: boolean;
  /** Handler LOG_LEVEL. @default 'INFO' */
  logLevel?: string;
  /** One line per gateway request. */
  accessLog?: (line: string) => void;
  /**
   * Lifetime of part URLs (PRESIGN_EXPIRES_SECONDS, at least 60): tests of URLs that expire mid-upload
   * set it short. @default the stack's default
   */
  presignExpiresSeconds?: number;
  /**
   * The multipart threshold and part size (MULTIPART_THRESHOLD_BYTES and MIN_PART_SIZE_BYTES, at least
   * 5 MiB): tests that send multipart files of a few MiB set S3's minimum. @default the stack's defaults
   */
  partSizeBytes?: number;
  /**
   * Open multipart uploads one login may have (MAX_OPEN_UPLOADS_PER_LOGIN, 1-1000): tests of files that
   * wait for a place set it small. @default the stack's default
   */
  maxOpenUploadsPerLogin?: number;
  /**
   * Malware scanning as the stack's `malwareScan`: with block (and the local S3 server) downloads need
   * the scanner stand-in's clean tag or an admin's release. With an external S3 it is always off
   * (no scanner and no tag condition there). @default 'block'
   */
  malwareScan?: MalwareScanMode;
  /** The scanner stand-in's pause before each verdict. @default 2000 */
  scanDelayMs?: number;
  /** Objects over this size are not scanned (UNSUPPORTED). @default GuardDuty's 100 GB */
  scanMaxObjectBytes?: number;
  /** Replace Lambda handlers (tests of the gateway alone). */
  handlers?: Partial<Record<RouteTarget, AlbHandler>>;
}

export const DEFAULT_PORT = 3000;
export const DEFAULT_DATA_DIR = '.local-data';
export const DEFAULT_ADMIN_EMAIL = 'admin@example.com';
export const LOCAL_BUCKET = 'portal-local';

/** Ports in order: gateway, S3, admin IdP, customer IdP, cognito-local, key server, dynalite, SES, SQS. */
export function resolvePorts(options: LocalPortalOptions): { gateway: number; s3: number; adminIdp: number; customerIdp: number; cognito: number; keys: number; catalog: number; ses: number; queues: number } {
  const gateway = options.port ?? DEFAULT_PORT;
  const next = (offset: number, given: number | undefined): number => given ?? (gateway === 0 ? 0 : gateway + offset);
  return {
    gateway,
    s3: next(1, options.s3Port),
    adminIdp: next(2, options.adminIdpPort),
    customerIdp: next(3, options.customerIdpPort),
    cognito: next(4, options.cognitoPort),
    keys: next(5, options.keysPort),
    catalog: next(6, options.catalogPort),
    ses: next(7, options.sesPort),
    queues: next(8, options.queuePort),
  };
}

/**
 * `npm start`'s environment. PORT, LOCAL_DATA_DIR, LOCAL_HOSTNAME, LOCAL_{S3,ADMIN_IDP,CUSTOMER_IDP,
 * COGNITO,KEYS,CATALOG,SES,QUEUE}_PORT, LOCAL_NOTIFICATION_QUIET_SECONDS, LOCAL_ADMIN_EMAIL / LOCAL_ADMIN_PASSWORD, LOG_LEVEL; BUCKET_NAME (+ S3_ENDPOINT)
 * for an external S3 or MinIO; USER_POOL_ID + LOCAL_COGNITO_CLIENT_ID (+ LOCAL_COGNITO_CLIENT_SECRET,
 * COGNITO_ENDPOINT) for an external Cognito; LOCAL_MALWARE_SCAN (block, tag, off), LOCAL_SCAN_DELAY_MS and
 * LOCAL_SCAN_MAX_BYTES for the malware scanner stand-in.
 */
export function portalOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): LocalPortalOptions {
  const problems: string[] = [];
  const port = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0 || value > 65535) problems.push(`${name} must be a port number (0-65535), got "${raw}"`);
    return value;
  };
  const options: LocalPortalOptions = {
    dataDir: resolve(env.LOCAL_DATA_DIR || DEFAULT_DATA_DIR),
    port: port('PORT') ?? DEFAULT_PORT,
    s3Port: port('LOCAL_S3_PORT'),
    adminIdpPort: port('LOCAL_ADMIN_IDP_PORT'),
    customerIdpPort: port('LOCAL_CUSTOMER_IDP_PORT'),
    cognitoPort: port('LOCAL_COGNITO_PORT'),
    keysPort: port('LOCAL_KEYS_PORT'),
    catalogPort: port('LOCAL_CATALOG_PORT'),
    sesPort: port('LOCAL_SES_PORT'),
    queuePort: port('LOCAL_QUEUE_PORT'),
    hostname: env.LOCAL_HOSTNAME || undefined,
    adminEmail: env.LOCAL_ADMIN_EMAIL || undefined,
    adminPassword: env.LOCAL_ADMIN_PASSWORD || undefined,
    logLevel: env.LOG_LEVEL || undefined,
  };
  const quiet = env.LOCAL_NOTIFICATION_QUIET_SECONDS;
  if (quiet !== undefined && quiet !== '') {
    const value = Number(quiet);
    if (!Number.isInteger(value) || value < 0 || value > 900) problems.push(`LOCAL_NOTIFICATION_QUIET_SECONDS must be 0 to 900 seconds, got "${quiet}"`);
    else options.notificationQuietSeconds = value;
  }
  const count = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) problems.push(`${name} must be a whole number, got "${raw}"`);
    return Number(raw);
  };
  if (env.LOCAL_MALWARE_SCAN) {
    if ((MALWARE_SCAN_MODES as readonly string[]).includes(env.LOCAL_MALWARE_SCAN)) options.malwareScan = env.LOCAL_MALWARE_SCAN as MalwareScanMode;
    else problems.push(`LOCAL_MALWARE_SCAN must be one of ${MALWARE_SCAN_MODES.join(', ')}, got "${env.LOCAL_MALWARE_SCAN}"`);
  }
  const delay = count('LOCAL_SCAN_DELAY_MS');
  if (delay !== undefined) options.scanDelayMs = delay;
  const maxBytes = count('LOCAL_SCAN_MAX_BYTES');
  if (maxBytes !== undefined) options.scanMaxObjectBytes = maxBytes;
  if (env.BUCKET_NAME) options.externalS3 = { bucket: env.BUCKET_NAME, endpoint: env.S3_ENDPOINT || undefined };
  else if (env.S3_ENDPOINT) problems.push('S3_ENDPOINT needs BUCKET_NAME (the bucket to use there)');
  if (env.USER_POOL_ID) {
    if (!env.LOCAL_COGNITO_CLIENT_ID) problems.push('USER_POOL_ID needs LOCAL_COGNITO_CLIENT_ID (an app client with USER_PASSWORD_AUTH)');
    options.externalCognito = {
      userPoolId: env.USER_POOL_ID,
      clientId: env.LOCAL_COGNITO_CLIENT_ID ?? '',
      clientSecret: env.LOCAL_COGNITO_CLIENT_SECRET || undefined,
      endpoint: env.COGNITO_ENDPOINT || undefined,
    };
  } else if (env.COGNITO_ENDPOINT) problems.push('COGNITO_ENDPOINT needs USER_POOL_ID and LOCAL_COGNITO_CLIENT_ID');
  if (problems.length) throw new Error(`Invalid local portal settings:\n- ${problems.join('\n- ')}`);
  return options;
}
