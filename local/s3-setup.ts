// The local S3 server for the portal: one bucket, the stack's CORS rule for the portal's origin, the
// stack's write-once policy on the audit prefix, and the one access key the handlers sign with.
import { AUDIT_PREFIX, PENDING_PREFIX, UPLOADS_PREFIX } from '../contract/bucket-layout.js';
import { CORS_ALLOWED_HEADERS, CORS_ALLOWED_METHODS, CORS_EXPOSED_HEADERS, CORS_MAX_AGE_SECONDS, CORS_RULE_ID } from '../contract/bucket-cors.js';
import { startS3Server, type CorsRule } from './s3/server.js';
import { randomBytes } from 'node:crypto';
import { CLEAN_STATUS, INFECTED_STATUS, RELEASABLE_STATUSES, SCAN_RELEASE_TAG, SCAN_RELEASE_VALUE, SCAN_STATUS_TAG, type MalwareScanMode } from '../contract/malware-scan.js';
import type { S3EventBridgeEvent } from '../contract/s3-events.js';
import { LOCAL_ACCOUNT } from './gateway/lambda-target.js';
import { BIND_HOST } from './listen.js';

/** Fixed and not secret: only the secret key signs. */
export const LOCAL_S3_ACCESS_KEY_ID = 'LOCALPORTALACCESSKEY';
/** The malware scanner stand-in's key: exempt from the tag condition, as GuardDuty's role is. */
export const LOCAL_SCANNER_ACCESS_KEY_ID = 'LOCALSCANNERACCESSKEY';

/** The stack's bucket CORS rule (contract/bucket-cors.ts) with the local portal's origin. */
export function portalCorsRules(portalOrigin: string): CorsRule[] {
  return [
    {
      id: CORS_RULE_ID,
      allowedOrigins: [portalOrigin],
      allowedMethods: [...CORS_ALLOWED_METHODS],
      allowedHeaders: CORS_ALLOWED_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      maxAge: CORS_MAX_AGE_SECONDS,
    },
  ];
}

export interface LocalS3Inputs {
  dataDir: string;
  port: number;
  bucket: string;
  portalOrigin: string;
  secretAccessKey: string;
  region: string;
  /** S3's EventBridge events, after each request (the local portal's event delivery). */
  onEvent?: (event: S3EventBridgeEvent) => void;
  /** block: the bucket policy of the stack's `malwareScan: block`, as a tag condition. @default 'off' */
  malwareScan?: MalwareScanMode;
}

/** Stopping and starting the server again (same port, same data on disk), for fault tests. */
export interface S3ServerSwitch {
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startLocalS3(inputs: LocalS3Inputs) {
  const credentials = { accessKeyId: LOCAL_S3_ACCESS_KEY_ID, secretAccessKey: inputs.secretAccessKey };
  // A fresh secret each start: only the scanner in this process signs with it.
  const scannerCredentials = { accessKeyId: LOCAL_SCANNER_ACCESS_KEY_ID, secretAccessKey: randomBytes(24).toString('base64url') };
  const start = (port: number) => startS3Server({
    dataDir: inputs.dataDir,
    host: BIND_HOST,
    port,
    credentials: [credentials, scannerCredentials],
    ...(inputs.malwareScan === 'block'
      ? {
          // The stack's bucket policy (infra/malware-scan-policy.ts): reads need the clean tag or an
          // admin's release, never with THREATS_FOUND; only the scanner writes the scan tag, only the
          // admin (here: the Lambdas' shared key) the release tag.
          readTagCondition: {
            prefix: UPLOADS_PREFIX,
            tag: SCAN_STATUS_TAG,
            value: CLEAN_STATUS,
            deniedValue: INFECTED_STATUS,
            exemptAccessKeyIds: [LOCAL_SCANNER_ACCESS_KEY_ID],
            guardTagWrites: true,
            releaseTag: { tag: SCAN_RELEASE_TAG, value: SCAN_RELEASE_VALUE, writerAccessKeyIds: [LOCAL_S3_ACCESS_KEY_ID], keepableValues: RELEASABLE_STATUSES },
            headExemptAccessKeyIds: [LOCAL_S3_ACCESS_KEY_ID],
            // The uploads Lambda reads its reservations before the scanner has tagged them (in AWS its role is exempt).
            unguardedPrefixes: [PENDING_PREFIX],
          },
        }
      : {}),
    region: inputs.region,
    buckets: [inputs.bucket],
    cors: portalCorsRules(inputs.portalOrigin),
    // As the stack's bucket policy (auditWriteOnceStatements): audit events are created once, never replaced or deleted.
    writeOncePrefixes: [AUDIT_PREFIX],
    ...(inputs.onEvent ? { onEvent: inputs.onEvent, accountId: LOCAL_ACCOUNT } : {}),
  });
  let server = await start(inputs.port);
  let running = true;
  const port = server.port;
  // Objects and unfinished multipart uploads live on disk, so a restarted server carries on where it stopped.
  const power: S3ServerSwitch = {
    stop: async () => {
      running = false;
      await server.close();
    },
    start: async () => {
      if (running) return;
      server = await start(port);
      running = true;
    },
  };
  return { url: server.url, close: () => (running ? server.close() : Promise.resolve()), credentials, scannerCredentials, power };
}
