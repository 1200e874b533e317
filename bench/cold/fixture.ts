// What the Lambdas talk to on their first request, outside any portal: the test ALB key server
// (test/support/alb-token.ts; served to the cold-start children over https, see tls-key-server.ts)
// and a local S3 server holding one endpoint record and a file.
// Also the exact environment the stack gives each Lambda (infra/function-environment.ts) pointed at
// them, and realistic ALB events (built by the local gateway's own event builder).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ALBEvent } from 'aws-lambda';
import { CONFIG_DEFAULTS } from '../../infra/config.js';
import { functionEnvironment } from '../../infra/function-environment.js';
import type { AlbFunctionName } from './cold-start.js';
import type { EndpointRecord } from '../../lambdas/shared/endpoint-record.js';
import { buildObjectMetadata } from '../../lambdas/shared/object-metadata.js';
import { reservationKey, type UploadReservation } from '../../lambdas/shared/upload-reservation.js';
import type { PartToSign } from '../../contract/api/uploads.js';
import { customerFileKey, endpointRecordKey } from '../../contract/bucket-layout.js';
import { toAlbEvent } from '../../local/gateway/alb-event.js';
import { startS3Server, type RunningS3Server } from '../../local/s3/server.js';
import { AlbTestIdentity, TEST_ADMIN_EMAIL, TEST_ADMIN_IDP, TEST_ALB_ARN, TEST_CUSTOMER_IDP } from '../../test/support/alb-token.js';
import type { ColdName } from './cold-start.js';
import { startTlsKeyServer, type TlsKeyServer } from './tls-key-server.js';
import { MiB } from '../../contract/limits.js';

export const FIXTURE_REGION = 'eu-west-1';
export const FIXTURE_BUCKET = 'bench-fixture';
export const FIXTURE_ENDPOINT = 'bench-cold';
const PORTAL_URL = 'https://portal.example.com';
const TARGET_GROUP = `arn:aws:elasticloadbalancing:${FIXTURE_REGION}:123456789012:targetgroup/portal/0123456789abcdef`;
/** Parts the customer page asks for in its first batch call (batchSizeFor(6) in web/src/shared/uploader.ts). */
export const FIRST_BATCH_PARTS = 12;

export interface LambdaFixture {
  identity: AlbTestIdentity;
  /** How the cold-start children fetch the ALB key: 'https' as in AWS, or 'http' when openssl is missing. */
  keyTransport: 'https' | 'http';
  s3Url: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** An S3 client for the fixture's server, configured as the Lambdas' (aws-clients.ts). */
  s3: S3Client;
  /** The environment of one Lambda (or of a reference handler). */
  env(name: ColdName): Record<string, string>;
  /** The first request each Lambda answers in the cold-start figure. */
  firstEvent(name: ColdName): ALBEvent;
  /** A batch sign event for the signing figure (a fresh token each call): the page's POST, each part with its size and checksum. */
  batchEvent(partNumbers: readonly number[], uploadId?: string): ALBEvent;
  /** A single-part sign event. */
  signEvent(partNumber: number, uploadId?: string): ALBEvent;
  close(): Promise<void>;
}

export const FIXTURE_KEY = customerFileKey(FIXTURE_ENDPOINT, 'bench/big file.bin');

/** A part as the page asks it signed: 16 MiB, with a CRC64NVME (any valid value: signing does not read the bytes). */
export const fixturePart = (partNumber: number): PartToSign => ({ partNumber, size: 16 * MiB, checksum: randomBytes(8).toString('base64') });
const UPLOAD_ID = 'bench-upload-id-0123456789abcdef';

function endpointRecord(): EndpointRecord {
  const now = new Date().toISOString();
  return {
    name: FIXTURE_ENDPOINT,
    displayName: 'Bench Co',
    customerEmail: 'customer@example.com',
    createdAt: now,
    createdBy: 'admin@example.com',
    updatedAt: now,
    expiresAt: null,
    maxFileSizeBytes: null,
    allowedExtensions: null,
    notes: '',
    disabled: false,
    logins: ['customer1'],
  };
}

export async function startLambdaFixture(): Promise<LambdaFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-fixture-'));
  const identity = await AlbTestIdentity.start();
  const credentials = { accessKeyId: 'BENCHFIXTUREKEY', secretAccessKey: randomBytes(20).toString('hex') };
  let server: RunningS3Server | undefined;
  let tls: TlsKeyServer | undefined;
  try {
    server = await startS3Server({ dataDir: join(dataDir, 's3'), credentials: [credentials], region: FIXTURE_REGION, buckets: [FIXTURE_BUCKET] });
    const pem = await (await fetch(`${identity.keysUrl}/${identity.kid}`)).text();
    tls = await startTlsKeyServer(dataDir, new Map([[identity.kid, pem]])).catch(() => undefined);
  } catch (error) {
    await server?.close();
    await identity.close();
    throw error;
  }
  const s3Url = server.url;
  const s3 = new S3Client({
    endpoint: s3Url,
    forcePathStyle: true,
    region: FIXTURE_REGION,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await s3.send(new PutObjectCommand({ Bucket: FIXTURE_BUCKET, Key: endpointRecordKey(FIXTURE_ENDPOINT), Body: JSON.stringify(endpointRecord()), ContentType: 'application/json' }));
  // The signed upload's reservation, as create writes it: the sign calls read it (once per upload and
  // instance) to learn which parts the upload may have. A client that declared no size: any part.
  const reservation: UploadReservation = { version: 1, key: FIXTURE_KEY, endpoint: FIXTURE_ENDPOINT, kind: 'multipart', declaredSize: null, checksumAlgorithm: null, uploadedBy: 'customer@example.com', createdAt: new Date().toISOString() };
  await s3.send(new PutObjectCommand({ Bucket: FIXTURE_BUCKET, Key: reservationKey(FIXTURE_ENDPOINT, FIXTURE_KEY), Body: JSON.stringify(reservation), ContentType: 'application/json' }));
  const metadata = buildObjectMetadata({ originalName: 'report.pdf', uploadedBy: 'customer@example.com', declaredSize: 4 }, 'report.pdf');
  await s3.send(new PutObjectCommand({ Bucket: FIXTURE_BUCKET, Key: customerFileKey(FIXTURE_ENDPOINT, 'report.pdf'), Body: 'data', Metadata: metadata }));

  const stackEnv = (name: AlbFunctionName): Record<string, string> =>
    functionEnvironment(name, {
      config: {
        domainName: new URL(PORTAL_URL).hostname,
        region: FIXTURE_REGION,
        // The fixture's objects carry no scan tags and the bench measures requests, not scanning.
        malwareScan: 'off',
        albKeysUrl: tls?.url ?? identity.keysUrl,
        // The admin token's e-mail (identity.adminToken() default).
        adminAllowList: [TEST_ADMIN_EMAIL],
        adminRequireEmailVerified: true,
        maxOpenUploadsPerLogin: CONFIG_DEFAULTS.maxOpenUploadsPerLogin,
        incompleteUploadDays: CONFIG_DEFAULTS.incompleteUploadDays,
        presignExpiresSeconds: CONFIG_DEFAULTS.presignExpiresSeconds,
        uploadConcurrency: CONFIG_DEFAULTS.uploadConcurrency,
        downloadExpiresSeconds: CONFIG_DEFAULTS.downloadExpiresSeconds,
        sendInvitationEmail: false,
        notificationSender: null,
        notificationQuietSeconds: CONFIG_DEFAULTS.notificationQuietSeconds,
      },
      albArn: TEST_ALB_ARN,
      bucketName: FIXTURE_BUCKET,
      // The cold first requests never reach the catalog (its client loads on first use).
      catalogTableName: 'bench-catalog',
      customer: { issuer: TEST_CUSTOMER_IDP.issuer, clientId: TEST_CUSTOMER_IDP.clientId, logoutUrl: `https://auth.example.com/logout?client_id=x&logout_uri=${PORTAL_URL}/signed-out` },
      admin: { issuer: TEST_ADMIN_IDP.issuer, clientId: TEST_ADMIN_IDP.clientId, logoutUrl: '' },
      customerPoolId: `${FIXTURE_REGION}_BenchPool`,
      // The ALB Lambdas measured here never read the notification queues.
      digestQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/bench-digests',
      webhookQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111111111111/bench-webhooks',
    });
  // What Lambda itself adds (region, credentials), here pointing at the local server.
  const runtimeEnv = {
    AWS_REGION: FIXTURE_REGION,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    S3_ENDPOINT: s3Url,
    // The Cognito client is built but never called by the first requests used here.
    COGNITO_ENDPOINT: 'http://127.0.0.1:9',
    ...(tls ? { NODE_EXTRA_CA_CERTS: tls.caFile } : {}),
  };

  const event = (method: string, rawUrl: string, token: string | null, json?: unknown): ALBEvent =>
    toAlbEvent({
      method,
      rawUrl,
      targetGroupArn: TARGET_GROUP,
      body: json === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(json)),
      headers: {
        host: ['portal.example.com'],
        ...(json === undefined ? {} : { 'content-type': ['application/json'], 'x-requested-with': ['portal'] }),
        'user-agent': ['Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36'],
        accept: [method === 'GET' && !rawUrl.includes('/api/') ? 'text/html,application/xhtml+xml' : 'application/json'],
        'accept-encoding': ['gzip, deflate, br, zstd'],
        'x-forwarded-for': ['203.0.113.7'],
        'x-forwarded-proto': ['https'],
        'x-forwarded-port': ['443'],
        'x-amzn-trace-id': [`Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`],
        ...(token ? { 'x-amzn-oidc-data': [token], 'x-amzn-oidc-identity': ['bench-sub'], 'x-amzn-oidc-accesstoken': ['opaque-access-token'] } : {}),
      },
    });
  const customerToken = () => identity.customerToken({ endpoint: FIXTURE_ENDPOINT });
  const enc = encodeURIComponent;
  const batchEvent = (partNumbers: readonly number[], uploadId = UPLOAD_ID) =>
    event('POST', `/api/s3/multipart/${enc(uploadId)}/batch?key=${enc(FIXTURE_KEY)}`, customerToken(), { parts: partNumbers.map(fixturePart) });
  const signEvent = (partNumber: number, uploadId = UPLOAD_ID) =>
    event('GET', `/api/s3/multipart/${enc(uploadId)}/${partNumber}?key=${enc(FIXTURE_KEY)}`, customerToken());

  return {
    identity,
    keyTransport: tls ? 'https' : 'http',
    s3Url,
    credentials,
    s3,
    env(name) {
      switch (name) {
        case 'presign':
          return { BUCKET_NAME: FIXTURE_BUCKET, NODE_OPTIONS: stackEnv('uploads').NODE_OPTIONS!, ...runtimeEnv };
        // It reads the uploads Lambda's settings (bucket, ALB ARN, customer issuer and client).
        case 'reference':
          return { ...stackEnv('uploads'), ...runtimeEnv };
        default:
          return { ...stackEnv(name), ...runtimeEnv };
      }
    },
    firstEvent(name) {
      switch (name) {
        // The page's first batch call of a new upload: token check (key fetch), endpoint record GET, signing.
        case 'uploads':
        case 'reference':
          return batchEvent(Array.from({ length: FIRST_BATCH_PARTS }, (_, i) => i + 1));
        // The console's landing call: list the endpoint records (LIST + GET).
        case 'admin':
          return event('GET', '/admin/api/endpoints', identity.adminToken());
        // The customer page itself.
        case 'web':
          return event('GET', '/', customerToken());
        // One getSignedUrl, no identity and no S3 call.
        case 'presign':
          return event('GET', `/?key=${enc(FIXTURE_KEY)}`, null);
      }
    },
    batchEvent,
    signEvent,
    async close() {
      s3.destroy();
      await tls?.close();
      await server?.close();
      await identity.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
