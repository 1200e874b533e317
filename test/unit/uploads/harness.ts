// Builds the uploads app as production does (real identity verifier against a loopback ALB key server,
// the shared S3 client factory) with S3 mocked, and calls it like the ALB would.
import { Logger } from '@aws-lambda-powertools/logger';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, vi } from 'vitest';
import { createS3Client } from '../../../lambdas/shared/aws-clients.js';
import type { EndpointRecord } from '../../../lambdas/shared/endpoint-record.js';
import { createIdentityVerifier } from '../../../lambdas/shared/identity.js';
import { createSignInVerifier } from '../../../lambdas/uploads/sign-in-verifier.js';
import type { HttpRequest } from '../../../lambdas/shared/http.js';
import { toHttpError } from '../../../lambdas/shared/errors.js';
import { createUploadsApp } from '../../../lambdas/uploads/app.js';
import type { UploadMetricName } from '../../../lambdas/uploads/metrics.js';
import { readEnv } from '../../../contract/lambda-env.js';
import { UPLOAD_SETTINGS_ENV, uploadSettings, type UploadSettings } from '../../../lambdas/uploads/settings.js';
import { AlbTestIdentity } from '../../support/alb-token.js';
import { FakeBucket } from './fake-bucket.js';
import type * as dynamodb from '@aws-sdk/client-dynamodb';
import { mockedCatalog } from '../../support/catalog-mock.js';
import { MiB } from '../../../contract/limits.js';

export const BUCKET = 'portal-test-bucket';
/** Re-exported for the tests that import their other helpers from here. */
export { MiB };
export const NOW = new Date('2026-11-25T12:00:00Z');

export function endpointRecord(name: string, overrides: Partial<EndpointRecord> = {}): EndpointRecord {
  return {
    name,
    displayName: `${name} Ltd`,
    customerEmail: `ops@${name}.example`,
    createdAt: '2026-10-01T00:00:00Z',
    createdBy: 'admin@example.com',
    updatedAt: '2026-10-01T00:00:00Z',
    expiresAt: null,
    maxFileSizeBytes: null,
    allowedExtensions: null,
    notes: '',
    disabled: false,
    logins: ['customer1'],
    ...overrides,
  };
}

/** Region and credentials for the real client factory; nothing here reaches the network. */
export function stubAwsEnv(): void {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAIOSFODNN7EXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  vi.stubEnv('AWS_SESSION_TOKEN', '');
  vi.stubEnv('S3_ENDPOINT', '');
}

export interface CallOptions {
  token?: string;
  query?: Record<string, string>;
  body?: unknown;
  /** @default application/json when there is a body */
  contentType?: string;
}

export interface CallResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, checked field by field by the assertions
  body: any;
}

export interface Harness {
  identity: AlbTestIdentity;
  bucket: FakeBucket;
  s3: S3Client;
  s3Mock: AwsClientStub<S3Client>;
  /** The catalog's DynamoDB client (GET /api/files). */
  ddbMock: AwsClientStub<dynamodb.DynamoDBClient>;
  metrics: Map<UploadMetricName, number>;
  clock: { now: Date };
  settings: UploadSettings;
  customer(endpoint?: string | null, claims?: { email?: string; sub?: string }): string;
  admin(): string;
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  /** Rebuilds the app (fresh endpoint cache) with changed settings. */
  rebuild(settings?: Partial<UploadSettings>): void;
  close(): Promise<void>;
}

export async function createHarness(settings: Partial<UploadSettings> = {}): Promise<Harness> {
  stubAwsEnv();
  const identity = await AlbTestIdentity.start();
  const s3 = createS3Client({});
  const s3Mock = mockClient(s3);
  const { db: catalog, ddbMock } = mockedCatalog();
  const bucket = new FakeBucket();
  bucket.install(s3Mock);
  bucket.putEndpoint(endpointRecord('acme'));
  bucket.putEndpoint(endpointRecord('globex'));
  const metrics = new Map<UploadMetricName, number>();
  const clock = { now: NOW };
  const verifyIdentity = createIdentityVerifier(identity.settings());
  const signIns = createSignInVerifier(identity.settings().customer);
  const logger = new Logger({ serviceName: 'uploads-test', logLevel: 'SILENT' });
  const harness: Harness = {
    identity,
    bucket,
    s3,
    s3Mock,
    ddbMock,
    metrics,
    clock,
    settings: undefined as unknown as UploadSettings,
    customer: (endpoint = 'acme', claims = {}) => identity.customerToken({ endpoint, ...claims }),
    admin: () => identity.adminToken(),
    call: async () => ({ status: 0, body: null }),
    rebuild(changes = {}) {
      this.settings = { ...uploadSettings(readEnv('uploads', UPLOAD_SETTINGS_ENV, { BUCKET_NAME: BUCKET })), endpointCacheSeconds: 0, ...settings, ...changes };
      const app = createUploadsApp({
        s3,
        settings: this.settings,
        verifyIdentity,
        signIns,
        catalog,
        metrics: { add: (name, value) => metrics.set(name, (metrics.get(name) ?? 0) + value) },
        logger,
        now: () => clock.now,
      });
      this.call = async (method, path, options = {}) => {
        const hasBody = options.body !== undefined;
        const request: HttpRequest = {
          method,
          path,
          query: options.query ?? {},
          headers: {
            ...(options.token ? { 'x-amzn-oidc-data': options.token } : {}),
            ...(hasBody || options.contentType ? { 'content-type': options.contentType ?? 'application/json' } : {}),
          },
          body: hasBody ? Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body)) : Buffer.alloc(0),
          sourceIp: '203.0.113.9',
        };
        try {
          const response = await app(request, undefined);
          return { status: response.status, body: JSON.parse(String(response.body)) };
        } catch (error) {
          // What the ALB handler would answer.
          const mapped = toHttpError(error);
          return { status: mapped.status, body: mapped.body };
        }
      };
    },
    close: async () => {
      s3Mock.restore();
      vi.unstubAllEnvs();
      await identity.close();
    },
  };
  harness.rebuild();
  return harness;
}

/** Creates a multipart upload through the API and returns its key and id. */
export async function createViaApi(h: Harness, filename: string, size: number, extra: Record<string, string> = {}, token = h.customer()) {
  const result = await h.call('POST', '/api/s3/multipart', {
    token,
    body: { filename, type: 'application/pdf', metadata: { name: filename, type: 'application/pdf', size: String(size), ...extra } },
  });
  return result;
}

/**
 * One harness per test file: created before the file's tests and closed after them, with the mock's
 * call history and the recorded metrics cleared before each test. The returned object forwards to
 * that harness, so tests keep writing `h.call(...)` at the top level of the file.
 */
export function useHarness(setup?: (harness: Harness) => void): Harness {
  let current: Harness | undefined;
  beforeAll(async () => {
    current = await createHarness();
    setup?.(current);
  });
  afterAll(() => current?.close());
  beforeEach(() => {
    current!.s3Mock.resetHistory();
    current!.ddbMock.resetHistory();
    current!.metrics.clear();
  });
  return new Proxy({} as Harness, {
    get: (_target, property) => Reflect.get(current!, property),
    set: (_target, property, value) => Reflect.set(current!, property, value),
  });
}
