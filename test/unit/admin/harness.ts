// Test harness for the admin API: real SDK clients with aws-sdk-client-mock, a fixed clock, a fake
// identity verifier (tokens named 'admin' / 'customer'), and a caller that speaks HttpRequest; or the
// same services without HTTP, for calling one use case directly (useCaseHarness).
import { expect, vi } from 'vitest';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { GetObjectCommand, GetObjectTaggingCommand, PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { AUDIT_PREFIX } from '../../../contract/bucket-layout.js';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { createAdminApp } from '../../../lambdas/admin/app.js';
import type { RequestContext } from '../../../lambdas/admin/auditor.js';
import { createServices, type AdminServices } from '../../../lambdas/admin/services.js';
import type { AdminSettings } from '../../../lambdas/admin/settings.js';
import type { EndpointRecord } from '../../../lambdas/shared/endpoint-record.js';
import type { HttpRequest, HttpResponse } from '../../../lambdas/shared/http.js';
import type { AdminPrincipal, CustomerPrincipal, Principal } from '../../../lambdas/shared/identity.js';
import { DEFAULT_PASSWORD_POLICY } from '../../../contract/password-policy.js';
import { PortalError, toHttpError } from '../../../lambdas/shared/errors.js';
import type * as dynamodb from '@aws-sdk/client-dynamodb';
import type { CatalogDb } from '../../../lambdas/shared/catalog/catalog-db.js';
import { mockedCatalog, TEST_CATALOG_TABLE } from '../../support/catalog-mock.js';
import { makeRecord, noSuchKey, notFound, objectBody, s3Error } from '../../support/s3-answers.js';

export { makeRecord, noSuchKey, notFound, objectBody, s3Error };

export const NOW = new Date('2026-11-25T12:00:00.000Z');
export const BUCKET = 'portal-bucket';
export const POOL = 'eu-west-1_TESTPOOL';
export const PORTAL = 'https://portal.example.com';

export const SETTINGS: AdminSettings = {
  bucket: BUCKET,
  catalogTable: TEST_CATALOG_TABLE,
  portalUrl: PORTAL,
  userPoolId: POOL,
  downloadExpiresSeconds: 900,
  sendInvite: false,
  passwordPolicy: DEFAULT_PASSWORD_POLICY,
};

export const ADMIN: AdminPrincipal = { kind: 'admin', subject: 'admin-sub-1', email: 'alice@corp.example', name: 'Alice' };
export const CUSTOMER: CustomerPrincipal = { kind: 'customer', subject: 'cust-sub', username: 'bob@acme.example', email: 'bob@acme.example', endpoint: 'acme', accessToken: null };

const PRINCIPALS: Record<string, Principal> = { admin: ADMIN, customer: CUSTOMER };

export async function fakeVerifier(headers: Record<string, string>): Promise<Principal> {
  const token = headers['x-amzn-oidc-data'];
  if (!token) throw new PortalError('unauthenticated', 'Missing identity token');
  const principal = PRINCIPALS[token];
  if (!principal) throw new PortalError('unauthenticated', 'Identity token is invalid or expired');
  return principal;
}

export interface Harness {
  s3: S3Client;
  cognito: CognitoIdentityProviderClient;
  s3Mock: AwsClientStub<S3Client>;
  cognitoMock: AwsClientStub<CognitoIdentityProviderClient>;
  catalog: CatalogDb;
  ddbMock: AwsClientStub<dynamodb.DynamoDBClient>;
  logger: { info: ReturnType<typeof vi.fn>; error: ReturnType<typeof vi.fn>; warn: ReturnType<typeof vi.fn>; debug: ReturnType<typeof vi.fn> };
  call: (method: string, path: string, options?: CallOptions) => Promise<Answer>;
}

export interface CallOptions {
  as?: 'admin' | 'customer' | 'none';
  query?: Record<string, string>;
  /** Objects are sent as JSON; strings as-is. */
  body?: unknown;
  /** Replace the default browser-like headers entirely for these names. */
  headers?: Record<string, string>;
  /** Do not add the default Sec-Fetch-Site / Content-Type. */
  bare?: boolean;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  // Parsed JSON (or undefined); loosely typed on purpose, the assertions check its shape.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

type MockedClients = Pick<Harness, 's3' | 'cognito' | 's3Mock' | 'cognitoMock' | 'catalog' | 'ddbMock' | 'logger'>;

function mockedClients(credentials: AwsCredentialIdentity = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }): MockedClients {
  // The checksum settings of lambdas/shared/aws-clients.ts (no x-amz-checksum-* in presigned URLs).
  const s3 = new S3Client({ region: 'eu-west-1', credentials, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  const cognito = new CognitoIdentityProviderClient({ region: 'eu-west-1', credentials });
  const logger = { info: vi.fn(), error: vi.fn(), warn: vi.fn(), debug: vi.fn() };
  const { db: catalog, ddbMock } = mockedCatalog();
  const s3Mock = mockClient(s3);
  // An object answers with an empty tag set, as S3 does for one GuardDuty has not tagged; tests of the scan tags set their own.
  s3Mock.on(GetObjectTaggingCommand).resolves({ TagSet: [] });
  return { s3, cognito, s3Mock, cognitoMock: mockClient(cognito), catalog, ddbMock, logger };
}

export function harness(options: { settings?: Partial<AdminSettings>; credentials?: AwsCredentialIdentity } = {}): Harness {
  const { s3, cognito, s3Mock, cognitoMock, catalog, ddbMock, logger } = mockedClients(options.credentials);
  let ids = 0;
  const app = createAdminApp({
    settings: { ...SETTINGS, ...options.settings },
    s3,
    cognito,
    catalog,
    verifyIdentity: fakeVerifier,
    logger: logger as unknown as Logger,
    now: () => NOW,
    newId: () => `evt${String(++ids).padStart(4, '0')}`,
  });
  const call = async (method: string, path: string, opts: CallOptions = {}): Promise<Answer> => {
    const as = opts.as ?? 'admin';
    const headers: Record<string, string> = {};
    if (as !== 'none') headers['x-amzn-oidc-data'] = as;
    const stateChanging = !['GET', 'HEAD'].includes(method);
    if (!opts.bare && stateChanging) headers['sec-fetch-site'] = 'same-origin';
    let body = Buffer.alloc(0);
    if (opts.body !== undefined) {
      body = Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
      if (!opts.bare) headers['content-type'] = 'application/json';
    } else if (!opts.bare && stateChanging && method !== 'DELETE') {
      headers['content-type'] = 'application/json';
    }
    Object.assign(headers, opts.headers ?? {});
    const request: HttpRequest = { method, path, query: opts.query ?? {}, headers, body, sourceIp: '203.0.113.9' };
    let response: HttpResponse;
    try {
      response = await app(request, undefined);
    } catch (error) {
      // What createAlbHandler would answer.
      const mapped = toHttpError(error);
      response = { status: mapped.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(mapped.body) };
    }
    const text = response.body === undefined ? '' : String(response.body);
    return { status: response.status, headers: response.headers ?? {}, body: text ? JSON.parse(text) : undefined };
  };
  return { s3, cognito, s3Mock, cognitoMock, catalog, ddbMock, logger, call };
}

/** The admin's request as the use cases see it (what createAdminApp builds for each request). */
export const CONTEXT: RequestContext = { principal: ADMIN, requestId: 'req-1', sourceIp: '203.0.113.9', now: NOW };

export interface UseCaseHarness extends MockedClients {
  services: AdminServices;
}

/** The admin Lambda's services over the same mocked clients, for calling a use case without HTTP. */
export function useCaseHarness(options: { settings?: Partial<AdminSettings> } = {}): UseCaseHarness {
  const clients = mockedClients();
  let ids = 0;
  const services = createServices({
    settings: { ...SETTINGS, ...options.settings },
    s3: clients.s3,
    cognito: clients.cognito,
    catalog: clients.catalog,
    logger: clients.logger as unknown as Logger,
    newId: () => `evt${String(++ids).padStart(4, '0')}`,
  });
  return { ...clients, services };
}

/** The record of endpoint acme, the endpoint the admin tests create, change and delete. */
export const RECORD_KEY = '_portal/endpoints/acme.json';

/**
 * Endpoint acme's record as stored: read at version "e1", and any write answers version "e2" (the
 * record's own and the audit trail's). Answers the record.
 */
export function existingRecord(h: Pick<Harness, 's3Mock'>, record: EndpointRecord = makeRecord()): EndpointRecord {
  h.s3Mock.on(GetObjectCommand, { Key: RECORD_KEY }).resolves(objectBody(JSON.stringify(record), '"e1"'));
  h.s3Mock.on(PutObjectCommand).resolves({ ETag: '"e2"' });
  return record;
}

/** Someone else saved acme's record after it was read: S3 refuses the conditional write of it (412). */
export function recordChangedMeanwhile(h: Pick<Harness, 's3Mock'>): void {
  h.s3Mock.on(PutObjectCommand, { Key: RECORD_KEY }).rejects(s3Error('PreconditionFailed', 412));
}

/** The writes of endpoint acme's record, in order. */
export const recordWrites = (h: { s3Mock: AwsClientStub<S3Client> }) => inputsOf<PutObjectCommandInput>(h.s3Mock, PutObjectCommand).filter((p) => p.Key === RECORD_KEY);

/** The audit events the admin API wrote (its PutObjects under the trail's all/ index), parsed. */
export const auditEvents = (h: { s3Mock: AwsClientStub<S3Client> }) =>
  inputsOf<PutObjectCommandInput>(h.s3Mock, PutObjectCommand)
    .filter((p) => p.Key!.startsWith(`${AUDIT_PREFIX}all/`))
    .map((p) => JSON.parse(p.Body as string));

/**
 * A use case's audit trail: its intent (matching `intent`) written before the first step, then its
 * result (with at least `result`'s fields) naming that intent by id in its details, and nothing else.
 */
export function expectIntentThenResult(h: { s3Mock: AwsClientStub<S3Client> }, intent: object, result: { details: object; [field: string]: unknown }): void {
  const [written] = auditEvents(h);
  expect(written).toMatchObject(intent);
  expect(auditEvents(h)).toEqual([written, expect.objectContaining({ ...result, details: { ...result.details, intentId: written.id } })]);
}

/** Inputs of every call of `command` on a mock, in order. */
export function inputsOf<T>(mock: { calls: () => { args: unknown[] }[] }, command: abstract new (...args: never[]) => unknown): T[] {
  return mock
    .calls()
    .map((c) => c.args[0])
    .filter((c) => c instanceof command)
    .map((c) => (c as { input: T }).input);
}
