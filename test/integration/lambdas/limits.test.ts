// Limits that hold under attack: the real uploads Lambda app (real identity verifier against a
// loopback ALB key server) over the local S3 server and dynalite. Quotas under 20 racing uploads, the
// per-login cap on open uploads, parts beyond the declared size, replayed URLs, revoked sessions and
// logins, and the two Unicode attacks (a name that is not NFC, a Kelvin-sign admin address).
import * as dynamodb from '@aws-sdk/client-dynamodb';
import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_ATTRIBUTES as A } from '../../../contract/catalog-table.js';
import { endpointRecordKey } from '../../../contract/bucket-layout.js';
import { readEnv } from '../../../contract/lambda-env.js';
import { S3_MAX_OBJECT_BYTES, S3_MAX_PART_BYTES } from '../../../contract/limits.js';
import { sdkCatalogDb, type CatalogDb } from '../../../lambdas/shared/catalog/catalog-db.js';
import { usageKey } from '../../../lambdas/shared/catalog/catalog-items.js';
import { QuotaHolds } from '../../../lambdas/shared/catalog/quota-holds.js';
import type { EndpointRecord } from '../../../lambdas/shared/endpoint-record.js';
import { toHttpError } from '../../../lambdas/shared/errors.js';
import { createIdentityVerifier } from '../../../lambdas/shared/identity.js';
import { createUploadsApp } from '../../../lambdas/uploads/app.js';
import { readReservation } from '../../../lambdas/shared/reservation-reader.js';
import { createSignInVerifier } from '../../../lambdas/uploads/sign-in-verifier.js';
import { UPLOAD_SETTINGS_ENV, uploadSettings, type UploadSettings } from '../../../lambdas/uploads/settings.js';
import { startCatalogServer, type CatalogServer } from '../../../local/catalog/dynalite-server.js';
import { AlbTestIdentity } from '../../support/alb-token.js';
import { crc64nvme, MiB, partHeaders, putSmall, randomData, sendPut } from '../../support/portal-api.js';
import { countAsOnlyFile } from '../catalog/fixture.js';
import { BUCKET, startTestServer, type TestServer } from '../s3-server/helpers.js';

let s3Server: TestServer;
let s3: S3Client;
let catalog: CatalogServer;
let db: CatalogDb;
let identity: AlbTestIdentity;

type Answer = { status: number; body: any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON answers, checked field by field
/** `token` is x-amzn-oidc-data, `accessToken` x-amzn-oidc-accesstoken, as the ALB sends them. */
type Call = (method: string, path: string, options?: { token?: string; accessToken?: string; query?: Record<string, string>; body?: unknown }) => Promise<Answer>;

/** The uploads app as the handler builds it, with `settings` changed; `adminAllowList` is ADMIN_ALLOWED_EMAILS. */
function uploadsApp(settings: Partial<UploadSettings> = {}, adminAllowList = 'admin@example.com', bucket: S3Client = s3): Call {
  const app = createUploadsApp({
    s3: bucket,
    settings: { ...uploadSettings(readEnv('uploads', UPLOAD_SETTINGS_ENV, { BUCKET_NAME: BUCKET })), ...settings },
    verifyIdentity: createIdentityVerifier(identity.settings(adminAllowList)),
    signIns: createSignInVerifier(identity.settings().customer),
    catalog: db,
    logger: new Logger({ serviceName: 'uploads-test', logLevel: 'SILENT' }),
  });
  return async (method, path, options = {}) => {
    const body = options.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string> = {
      ...(options.token ? { 'x-amzn-oidc-data': options.token } : {}),
      ...(options.accessToken ? { 'x-amzn-oidc-accesstoken': options.accessToken } : {}),
      ...(body.length ? { 'content-type': 'application/json' } : {}),
    };
    try {
      const response = await app({ method, path, query: options.query ?? {}, headers, body, sourceIp: '203.0.113.9' }, undefined);
      return { status: response.status, body: JSON.parse(String(response.body)) };
    } catch (error) {
      const mapped = toHttpError(error);
      return { status: mapped.status, body: mapped.body };
    }
  };
}

function record(name: string, overrides: Partial<EndpointRecord> = {}): EndpointRecord {
  const at = '2026-12-01T00:00:00.000Z';
  return { name, displayName: name, customerEmail: `ops@${name}.example`, createdAt: at, createdBy: 'admin@example.com', updatedAt: at, expiresAt: null, maxFileSizeBytes: null, allowedExtensions: null, notes: '', disabled: false, logins: ['customer1'], ...overrides };
}

const putRecord = (value: EndpointRecord) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: endpointRecordKey(value.name), Body: JSON.stringify(value), ContentType: 'application/json' }));
const customer = (endpoint: string, username = 'customer1', claims: Record<string, unknown> = {}) => identity.customerToken({ endpoint, username }, { claims });

async function storedBytes(prefix: string): Promise<number> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (listed.Contents ?? []).reduce((sum, o) => sum + (o.Size ?? 0), 0);
}

/**
 * How the page sends a one-part file of `data`: a checksummed create that signs the part along, the
 * PUT of the part to its URL, the completion with the file's checksum. Each step apart, so that a test
 * can act between them (another file lands, the quota changes).
 */
async function onePartSteps(call: Call, data: Buffer) {
  const checksum = await crc64nvme(data);
  return {
    checksum,
    create: (token: string, name: string) =>
      call('POST', '/api/s3/multipart', { token, body: { filename: name, metadata: { size: String(data.length) }, checksumAlgorithm: 'CRC64NVME', parts: [{ partNumber: 1, size: data.length, checksum }] } }),
    put: (created: Answer) => sendPut(created.body.presignedUrls['1'], data, partHeaders(checksum)),
    complete: (token: string, created: Answer, etag: string | null) =>
      call('POST', `/api/s3/multipart/${encodeURIComponent(created.body.uploadId)}/complete`, { token, query: { key: created.body.key }, body: { parts: [{ PartNumber: 1, ETag: etag }], checksum } }),
  };
}

/** The three steps of `onePartSteps` in a row; returns each step's status (no more steps after a refused create). */
async function sendOnePart(call: Call, token: string, name: string, data: Buffer): Promise<{ create: Answer; put?: number; complete?: Answer }> {
  const steps = await onePartSteps(call, data);
  const create = await steps.create(token, name);
  if (create.status !== 200) return { create };
  const put = await steps.put(create);
  return { create, put: put.status, complete: await steps.complete(token, create, put.etag) };
}

beforeAll(async () => {
  s3Server = await startTestServer();
  s3 = s3Server.client({ requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  catalog = await startCatalogServer({ dataDir: null, port: 0, table: 'portal-catalog', region: 'us-east-1' });
  db = sdkCatalogDb(catalog.table, async () => ({ client: catalog.client, sdk: dynamodb }));
  identity = await AlbTestIdentity.start();
});
afterAll(async () => {
  s3?.destroy();
  await identity?.close();
  await catalog?.close();
  await s3Server?.close();
});

describe('quotas while data is sent', () => {
  it('lets 2 of 20 uploads racing for the last 30 MiB of a quota in, and the bucket never holds more than the quota', async () => {
    await putRecord(record('race', { quotaBytes: 100 * MiB, logins: Array.from({ length: 20 }, (_, i) => `login${i}`) }));
    // The catalog already counts 70 MiB.
    await db.update(usageKey('race'), { expression: 'SET #b = :b, #f = :f', names: { '#b': A.totalBytes, '#f': A.fileCount }, values: { ':b': { N: String(70 * MiB) }, ':f': { N: '7' } } });
    const call = uploadsApp();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => sendOnePart(call, customer('race', `login${i}`), `file-${i}.bin`, randomData(12 * MiB))));
    const admitted = results.filter((r) => r.create.status === 200);
    expect(admitted).toHaveLength(2);
    for (const r of admitted) {
      expect(r.put).toBe(200);
      expect(r.complete?.status, JSON.stringify(r.complete?.body)).toBe(200);
    }
    for (const r of results.filter((x) => x.create.status !== 200)) expect(r.create).toMatchObject({ status: 413, body: { error: { code: 'quota_exceeded' } } });
    expect(await storedBytes('uploads/race/')).toBe(24 * MiB);
    // What is held: the two landed files (until the catalog counts them), nothing for the refused.
    expect(await new QuotaHolds(db, 20).use('race')).toMatchObject({ reservedBytes: 24 * MiB, reservedFiles: 2 });
    const me = await call('GET', '/api/me', { token: customer('race', 'login0') });
    expect(me.body.endpoint.quota).toEqual({ quotaBytes: 100 * MiB, quotaFiles: null, usedBytes: 94 * MiB, usedFiles: 9, leftBytes: 6 * MiB, leftFiles: null });
  });

  it('completes the last file a quota has room for while another one that landed meanwhile is counted by the catalog (counted once, not twice)', async () => {
    await putRecord(record('last', { quotaFiles: 2, logins: ['first', 'second'] }));
    const call = uploadsApp();
    const data = randomData(64 * 1024);
    const steps = await onePartSteps(call, data);
    const create = (login: string, name: string) => steps.create(customer('last', login), name);
    const finish = async (login: string, created: Answer) => steps.complete(customer('last', login), created, (await steps.put(created)).etag);
    const a = await create('first', 'a.bin');
    const b = await create('second', 'b.bin');
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await finish('second', b)).status).toBe(200);
    // The catalog counts b (the events Lambda's work): its usage and its file item.
    await countAsOnlyFile(db, b.body.key, data.length);
    // a is the second of two files: it fits, though b is both counted and (until a sweep) held.
    const completed = await finish('first', a);
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    const me = await call('GET', '/api/me', { token: customer('last', 'first') });
    expect(me.body.endpoint.quota).toMatchObject({ quotaFiles: 2, usedFiles: 2, leftFiles: 0 });
  });

  it('bounds a stock client that declares no size by the endpoint\'s maximum file size: floor(10 GiB / 5 GiB) = 2 parts', async () => {
    await putRecord(record('stock', { maxFileSizeBytes: 10 * 1024 * MiB }));
    const call = uploadsApp();
    const token = customer('stock');
    const created = await call('POST', '/api/s3/multipart', { token, body: { filename: 'big.iso' } });
    expect(created.status).toBe(200);
    const sign = (n: number) => call('GET', `/api/s3/multipart/${encodeURIComponent(created.body.uploadId)}/${n}`, { token, query: { key: created.body.key } });
    expect((await sign(2)).status).toBe(200);
    expect(await sign(3)).toMatchObject({ status: 400, body: { error: { code: 'part_beyond_size' } } });
  });

  it("bounds a stock client that declares no size on an endpoint with no maximum file size and no quota by S3's largest object, and holds no bytes", async () => {
    await putRecord(record('boundless'));
    const call = uploadsApp();
    const token = customer('boundless');
    const created = await call('POST', '/api/s3/multipart', { token, body: { filename: 'huge.iso' } });
    expect(created.status).toBe(200);
    expect((await readReservation(s3, BUCKET, 'boundless', created.body.key))?.boundBytes).toBe(S3_MAX_OBJECT_BYTES);
    const sign = (n: number) => call('GET', `/api/s3/multipart/${encodeURIComponent(created.body.uploadId)}/${n}`, { token, query: { key: created.body.key } });
    expect((await sign(Math.floor(S3_MAX_OBJECT_BYTES / S3_MAX_PART_BYTES))).status).toBe(200);
    expect((await sign(Math.floor(S3_MAX_OBJECT_BYTES / S3_MAX_PART_BYTES) + 1)).status).toBe(400);
    // No quota to hold against: a quota set while it is open is not filled by it (completion checks the real size).
    expect(await new QuotaHolds(db, 20).use('boundless')).toMatchObject({ reservedBytes: 0, reservedFiles: 1 });
  });

  it('holds the whole bound of a stock client that declares no size against a quota: what is left, here 12 GiB, in 2 parts of 5 GiB', async () => {
    await putRecord(record('stock-quota', { quotaBytes: 12 * 1024 * MiB }));
    const call = uploadsApp();
    const token = customer('stock-quota');
    const created = await call('POST', '/api/s3/multipart', { token, body: { filename: 'big.iso' } });
    expect(created.status).toBe(200);
    expect(await new QuotaHolds(db, 20).use('stock-quota')).toMatchObject({ reservedBytes: 12 * 1024 * MiB, reservedFiles: 1 });
    const sign = (n: number) => call('GET', `/api/s3/multipart/${encodeURIComponent(created.body.uploadId)}/${n}`, { token, query: { key: created.body.key } });
    expect((await sign(2)).status).toBe(200);
    expect(await sign(3)).toMatchObject({ status: 400, body: { error: { code: 'part_beyond_size' } } });
    // Nothing is left for a second one.
    expect(await call('POST', '/api/s3/multipart', { token, body: { filename: 'more.iso' } })).toMatchObject({ status: 413, body: { error: { code: 'quota_exceeded' } } });
  });

  it('allows at most N open multipart uploads per login (429 too_many_open_uploads); finishing one frees its place', async () => {
    await putRecord(record('busy'));
    const call = uploadsApp({ maxOpenUploadsPerLogin: 5 });
    const token = customer('busy');
    const creates = await Promise.all(Array.from({ length: 8 }, (_, i) => call('POST', '/api/s3/multipart', { token, body: { filename: `f${i}.bin`, metadata: { size: '10' } } })));
    expect(creates.filter((c) => c.status === 200)).toHaveLength(5);
    for (const refused of creates.filter((c) => c.status !== 200)) expect(refused).toMatchObject({ status: 429, body: { error: { code: 'too_many_open_uploads' } } });
    // Another login of the same endpoint has its own places.
    await putRecord(record('busy', { logins: ['customer1', 'customer2'] }));
    expect((await call('POST', '/api/s3/multipart', { token: customer('busy', 'customer2'), body: { filename: 'other.bin', metadata: { size: '10' } } })).status).toBe(200);
    const open = creates.find((c) => c.status === 200)!.body;
    expect((await call('DELETE', `/api/s3/multipart/${encodeURIComponent(open.uploadId)}`, { token, query: { key: open.key } })).status).toBe(200);
    expect((await call('POST', '/api/s3/multipart', { token, body: { filename: 'next.bin', metadata: { size: '10' } } })).status).toBe(200);
    expect((await call('POST', '/api/s3/multipart', { token, body: { filename: 'one-too-many.bin', metadata: { size: '10' } } })).status).toBe(429);
  });
});

describe('the quota at completion', () => {
  it('refuses a stock client that declares no size when less than one length-free part is left (400 size_required); declared, its part URL binds the length, so 9 MiB sent for an 8 MiB bound stages nothing', async () => {
    await putRecord(record('bound', { quotaBytes: 8 * MiB }));
    const call = uploadsApp();
    const token = customer('bound');
    // A part URL that binds no length would take up to 5 GiB, far beyond the 8 MiB left.
    const stock = await call('POST', '/api/s3/multipart', { token, body: { filename: 'stock.bin' } });
    expect(stock).toMatchObject({ status: 400, body: { error: { code: 'size_required' } } });
    expect(stock.body.error.message).toMatch(/8,388,608 bytes/);
    const created = await call('POST', '/api/s3/multipart', { token, body: { filename: 'stock.bin', metadata: { size: String(8 * MiB) } } });
    expect(created.status).toBe(200);
    const upload = `/api/s3/multipart/${encodeURIComponent(created.body.uploadId)}`;
    const url = (await call('GET', `${upload}/1`, { token, query: { key: created.body.key } })).body.url as string;
    expect((await sendPut(url, randomData(9 * MiB))).status).toBe(403);
    // S3 holds no part of it, and the upload is still there to resume with the right bytes.
    expect((await call('GET', upload, { token, query: { key: created.body.key } })).body).toEqual([]);
    expect((await sendPut(url, randomData(8 * MiB))).status).toBe(200);
    expect(await storedBytes('uploads/bound/stock')).toBe(0);
  });

  it('refuses a completion under a quota lowered after create; the upload stays resumable (completes once the quota is raised) and abortable', async () => {
    await putRecord(record('lowered', { quotaBytes: 100 * MiB }));
    // A record cache as long as production's: completion must read the quota afresh.
    const call = uploadsApp({ endpointCacheSeconds: 30 });
    const token = customer('lowered');
    const data = randomData(64 * 1024);
    const steps = await onePartSteps(call, data);
    const start = async (name: string) => {
      const created = await steps.create(token, name);
      expect(created.status).toBe(200);
      const put = await steps.put(created);
      const path = `/api/s3/multipart/${encodeURIComponent(created.body.uploadId)}`;
      const query = { key: created.body.key as string };
      return { path, query, complete: () => steps.complete(token, created, put.etag) };
    };
    const kept = await start('kept.bin');
    const dropped = await start('dropped.bin');
    await putRecord(record('lowered', { quotaBytes: 32 * 1024 }));
    for (const upload of [kept, dropped]) expect(await upload.complete()).toMatchObject({ status: 413, body: { error: { code: 'quota_exceeded' } } });
    expect(await storedBytes('uploads/lowered/kept')).toBe(0);
    expect(await storedBytes('uploads/lowered/dropped')).toBe(0);
    // Resumable: S3 still holds the part, and the same completion succeeds once the quota has room.
    expect((await call('GET', kept.path, { token, query: kept.query })).body).toHaveLength(1);
    await putRecord(record('lowered', { quotaBytes: MiB }));
    const done = await kept.complete();
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(await storedBytes(kept.query.key)).toBe(data.length);
    // Abortable: its hold and its login slot go with it.
    expect((await call('DELETE', dropped.path, { token, query: dropped.query })).status).toBe(200);
    expect(await new QuotaHolds(db, 20).use('lowered')).toMatchObject({ reservedBytes: data.length, reservedFiles: 1 });
    expect((await db.get({ [A.pk]: { S: '#open#lowered' }, [A.sk]: { S: 'customer1' } }))?.[A.openUploads]?.SS ?? []).toEqual([]);
  });

  it("refuses a small file's URL (413 quota_exceeded) that does not fit, by bytes or by files, and holds nothing for it", async () => {
    await putRecord(record('small', { quotaBytes: 1000, quotaFiles: 2 }));
    const call = uploadsApp();
    const token = customer('small');
    const params = (name: string, size: number) => call('GET', '/api/s3/params', { token, query: { filename: name, type: 'text/plain', 'metadata[size]': String(size) } });
    expect(await params('big.txt', 1001)).toMatchObject({ status: 413, body: { error: { code: 'quota_exceeded' } } });
    expect(await new QuotaHolds(db, 20).use('small')).toMatchObject({ reservedBytes: 0, reservedFiles: 0 });
    const first = await params('a.txt', 600);
    expect(first.status).toBe(200);
    expect((await putSmall(first.body, randomData(600))).status).toBe(200);
    // 600 held until the catalog counts it: 401 more do not fit, 400 do.
    expect(await params('b.txt', 401)).toMatchObject({ status: 413, body: { error: { code: 'quota_exceeded' } } });
    expect((await params('c.txt', 400)).status).toBe(200);
    // Two files held: a third does not fit the file quota, however small.
    expect(await params('d.txt', 1)).toMatchObject({ status: 413, body: { error: { code: 'quota_exceeded' } } });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'uploads/small/' }));
    expect((listed.Contents ?? []).map((o) => o.Key)).toEqual(['uploads/small/a.txt']);
  });
});

describe('unfinished uploads a page lost track of', () => {
  it("are listed for their login (not another's) and can be cancelled, which frees their places", async () => {
    await putRecord(record('lost', { logins: ['customer1', 'customer2'] }));
    const call = uploadsApp({ maxOpenUploadsPerLogin: 2 });
    const token = customer('lost');
    const create = (name: string, as = token) => call('POST', '/api/s3/multipart', { token: as, body: { filename: name, metadata: { size: String(40 * MiB) } } });
    const first = await create('first.bin');
    const second = await create('second.bin');
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((await create('other.bin', customer('lost', 'customer2'))).status).toBe(200);
    expect(await create('third.bin')).toMatchObject({ status: 429, body: { error: { code: 'too_many_open_uploads' } } });

    // The page's saved state is gone (signed out); the API still knows them.
    const listed = await call('GET', '/api/s3/multipart', { token });
    expect(listed.status).toBe(200);
    expect(listed.body.uploads).toEqual([
      { key: first.body.key, uploadId: first.body.uploadId, name: 'first.bin', startedAt: expect.any(String) },
      { key: second.body.key, uploadId: second.body.uploadId, name: 'second.bin', startedAt: expect.any(String) },
    ]);
    const cancel = (upload: { key: string; uploadId: string }) => call('DELETE', `/api/s3/multipart/${encodeURIComponent(upload.uploadId)}`, { token, query: { key: upload.key } });
    expect((await cancel(listed.body.uploads[0])).status).toBe(200);
    expect((await call('GET', '/api/s3/multipart', { token })).body.uploads.map((u: { name: string }) => u.name)).toEqual(['second.bin']);
    expect((await create('third.bin')).status).toBe(200);
  });

  it("let go of a place held for an upload S3 no longer has (ended by a request that died before releasing it)", async () => {
    await putRecord(record('ended'));
    const call = uploadsApp({ maxOpenUploadsPerLogin: 1 });
    const token = customer('ended');
    const first = await call('POST', '/api/s3/multipart', { token, body: { filename: 'first.bin', metadata: { size: '10' } } });
    expect(first.status).toBe(200);
    // Aborted behind the uploads Lambda's back: its hold still takes the login's one place.
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: first.body.key, UploadId: first.body.uploadId }));
    const next = await call('POST', '/api/s3/multipart', { token, body: { filename: 'next.bin', metadata: { size: '10' } } });
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect((await call('GET', '/api/s3/multipart', { token })).body.uploads.map((u: { name: string }) => u.name)).toEqual(['next.bin']);
  });
});

describe("an admin's upload whose upload.started cannot be stored", () => {
  it('is aborted on S3, and its quota hold and login slot are released', async () => {
    await putRecord(record('unaudited', { quotaBytes: 100 * MiB }));
    // The uploads Lambda's S3 client, with every audit write refused (as S3 would when the trail is unreachable).
    const failingAudit = s3Server.client({ requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    failingAudit.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { Key?: string };
        if (input.Key?.startsWith('_portal/audit/')) throw Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
        return next(args);
      },
      { step: 'initialize', name: 'failAuditWrites' },
    );
    const call = uploadsApp({ maxOpenUploadsPerLogin: 1 }, 'admin@example.com', failingAudit);
    const admin = identity.adminToken({ email: 'admin@example.com' });
    const created = await call('POST', '/api/s3/multipart', { token: admin, body: { filename: 'from-admin.bin', metadata: { size: String(40 * MiB), endpoint: 'unaudited' } } });
    expect(created.status).toBe(500);
    expect(created.body).not.toHaveProperty('uploadId');
    const open = await s3.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: 'uploads/unaudited/' }));
    expect(open.Uploads ?? []).toEqual([]);
    expect(await new QuotaHolds(db, 1).use('unaudited')).toMatchObject({ reservedBytes: 0, reservedFiles: 0 });
    expect((await db.get({ [A.pk]: { S: '#open#unaudited' }, [A.sk]: { S: 'admin:admin@example.com' } }))?.[A.openUploads]?.SS ?? []).toEqual([]);
    // The admin's one slot is free: with the trail back, the next upload is admitted.
    const next = await uploadsApp({ maxOpenUploadsPerLogin: 1 })('POST', '/api/s3/multipart', { token: admin, body: { filename: 'again.bin', metadata: { size: String(40 * MiB), endpoint: 'unaudited' } } });
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    failingAudit.destroy();
  });
});

describe('attacks from the security review now do no harm', () => {
  it('48 TiB of parts on a 1-byte declaration: only part 1, of exactly 1 byte, is ever signed', async () => {
    await putRecord(record('tiny'));
    const call = uploadsApp();
    const token = customer('tiny');
    const created = await call('POST', '/api/s3/multipart', { token, body: { filename: 'one.bin', metadata: { size: '1' } } });
    expect(created.status).toBe(200);
    const upload = { uploadId: encodeURIComponent(created.body.uploadId), key: created.body.key };
    for (const n of [2, 3, 10_000]) {
      expect(await call('GET', `/api/s3/multipart/${upload.uploadId}/${n}`, { token, query: { key: upload.key } }), `part ${n}`).toMatchObject({ status: 400, body: { error: { code: 'part_beyond_size' } } });
    }
    const batch = await call('POST', `/api/s3/multipart/${upload.uploadId}/batch`, { token, query: { key: upload.key }, body: { parts: [{ partNumber: 1, size: 5 * 1024 * MiB, checksum: 'AAAAAAAAAAA=' }] } });
    expect(batch).toMatchObject({ status: 400, body: { error: { code: 'part_beyond_size' } } });
    const url = (await call('GET', `/api/s3/multipart/${upload.uploadId}/1`, { token, query: { key: upload.key } })).body.url as string;
    // The URL binds the length: 5 MiB through it is refused by S3, 1 byte is taken.
    expect((await sendPut(url, randomData(5 * MiB))).status).toBe(403);
    expect((await sendPut(url, randomData(1))).status).toBe(200);
  });

  it('a part beyond the declared size: refused by number and by size, and a sized URL takes no other length', async () => {
    await putRecord(record('sized'));
    const call = uploadsApp();
    const token = customer('sized');
    const { checksum, create } = await onePartSteps(call, randomData(12 * MiB));
    const created = await create(token, 'f.bin');
    expect(created.status).toBe(200);
    const sign = (parts: unknown) => call('POST', `/api/s3/multipart/${encodeURIComponent(created.body.uploadId)}/batch`, { token, query: { key: created.body.key }, body: { parts } });
    expect(await sign([{ partNumber: 4, size: MiB, checksum }])).toMatchObject({ status: 400, body: { error: { code: 'part_beyond_size' } } });
    expect(await sign([{ partNumber: 2, size: 8 * MiB, checksum }])).toMatchObject({ status: 400, body: { error: { code: 'part_beyond_size' } } });
    // 13 MiB through the URL signed for 12 MiB: S3 refuses it.
    expect((await sendPut(created.body.presignedUrls['1'], randomData(13 * MiB), partHeaders(checksum))).status).toBe(403);
  });

  it('the URLs of a sized upload stage at most its declared size: each part has one length, from the plan the page cuts by', async () => {
    await putRecord(record('plan'));
    const call = uploadsApp({ minPartSizeBytes: 16 * MiB });
    const token = customer('plan');
    const size = 40 * MiB; // parts of 16, 16 and 8 MiB
    const created = await call('POST', '/api/s3/multipart', { token, body: { filename: 'plan.bin', metadata: { size: String(size) }, checksumAlgorithm: 'CRC64NVME' } });
    expect(created.status).toBe(200);
    const upload = `/api/s3/multipart/${encodeURIComponent(created.body.uploadId)}`;
    const checksum = 'AAAAAAAAAAA=';
    const sign = (parts: { partNumber: number; size: number }[]) => call('POST', `${upload}/batch`, { token, query: { key: created.body.key }, body: { parts: parts.map((p) => ({ ...p, checksum })) } });
    expect((await sign([{ partNumber: 1, size: 16 * MiB }, { partNumber: 2, size: 16 * MiB }, { partNumber: 3, size: 8 * MiB }])).status).toBe(200);
    // Under the 5 MiB floor alone, part 3 could have held 16 MiB and parts 4-8 more: 112 MiB in all.
    expect(await sign([{ partNumber: 3, size: 8 * MiB + 1 }])).toMatchObject({ status: 400, body: { error: { code: 'part_beyond_size' } } });
    for (const partNumber of [4, 8]) expect(await sign([{ partNumber, size: 5 * MiB }])).toMatchObject({ status: 400, body: { error: { code: 'part_beyond_size' } } });

    // A client that declares a size but sends no checksums gets plain URLs bound to the same lengths.
    const plain = await call('POST', '/api/s3/multipart', { token, body: { filename: 'plain.bin', metadata: { size: String(size) } } });
    expect(plain.status).toBe(200);
    const plainUrl = async (n: number) => (await call('GET', `/api/s3/multipart/${encodeURIComponent(plain.body.uploadId)}/${n}`, { token, query: { key: plain.body.key } })).body.url as string;
    const part3 = await plainUrl(3);
    expect((await sendPut(part3, randomData(16 * MiB))).status).toBe(403);
    expect((await sendPut(part3, randomData(8 * MiB))).status).toBe(200);
  });

  it('replayed URLs: a small-file URL stores once; completing again after the login was removed is refused at once', async () => {
    await putRecord(record('replay', { logins: ['customer1', 'leaver'] }));
    // A record cache as long as production's: completion must not trust it.
    const call = uploadsApp({ endpointCacheSeconds: 30 });
    const data = randomData(64);
    const params = await call('GET', '/api/s3/params', { token: customer('replay'), query: { filename: 'note.txt', type: 'text/plain', 'metadata[size]': '64' } });
    expect(params.status).toBe(200);
    // A tag the uploader adds to mark the file scanned, or anything else the URL does not sign: refused, nothing stored.
    for (const extra of [{ 'x-amz-tagging': 'GuardDutyMalwareScanStatus=NO_THREATS_FOUND' }, { 'x-amz-meta-uploaded-by': 'someone-else@example.com' }]) {
      expect((await sendPut(params.body.url, data, { ...params.body.headers, ...extra })).status).toBe(403);
    }
    expect(await storedBytes(params.body.key)).toBe(0);
    expect((await putSmall(params.body, data)).status).toBe(200);
    expect((await putSmall(params.body, randomData(64))).status).toBe(412);

    const leaver = customer('replay', 'leaver');
    const created = await call('POST', '/api/s3/multipart', { token: leaver, body: { filename: 'late.bin', metadata: { size: '10' } } });
    const url = (await call('GET', `/api/s3/multipart/${encodeURIComponent(created.body.uploadId)}/1`, { token: leaver, query: { key: created.body.key } })).body.url as string;
    const put = await sendPut(url, randomData(10));
    await putRecord(record('replay', { logins: ['customer1'] }));
    const complete = await call('POST', `/api/s3/multipart/${encodeURIComponent(created.body.uploadId)}/complete`, { token: leaver, query: { key: created.body.key }, body: { parts: [{ PartNumber: 1, ETag: put.etag }] } });
    expect(complete).toMatchObject({ status: 403, body: { error: { code: 'login_removed' } } });
    expect(await storedBytes(created.body.key)).toBe(0);
  });

  it('an upload whose endpoint was disabled or expired after its parts went out is never turned into a file, though the cached record still says active', async () => {
    const call = uploadsApp({ endpointCacheSeconds: 30 });
    const started = async (endpoint: string) => {
      await putRecord(record(endpoint));
      const token = customer(endpoint);
      const created = await call('POST', '/api/s3/multipart', { token, body: { filename: 'late.bin', metadata: { size: '10' } } });
      expect(created.status).toBe(200);
      const upload = `/api/s3/multipart/${encodeURIComponent(created.body.uploadId)}`;
      const url = (await call('GET', `${upload}/1`, { token, query: { key: created.body.key } })).body.url as string;
      const put = await sendPut(url, randomData(10));
      expect(put.status).toBe(200);
      return () => call('POST', `${upload}/complete`, { token, query: { key: created.body.key }, body: { parts: [{ PartNumber: 1, ETag: put.etag }] } });
    };
    const disabled = await started('closing-disabled');
    await putRecord(record('closing-disabled', { disabled: true }));
    expect(await disabled()).toMatchObject({ status: 403, body: { error: { code: 'endpoint_disabled' } } });
    const expired = await started('closing-expired');
    await putRecord(record('closing-expired', { expiresAt: new Date(Date.now() - 1000).toISOString() }));
    expect(await expired()).toMatchObject({ status: 403, body: { error: { code: 'endpoint_expired' } } });
    expect(await storedBytes('uploads/closing-')).toBe(0);
  });

  it("a reset login's old session is refused (401 session_revoked) on every route; a session begun after the reset is let in", async () => {
    const resetAt = new Date(Date.now() - 60_000);
    const resetSecond = Math.floor(resetAt.getTime() / 1000);
    await putRecord(record('reset', { sessionsNotBefore: { customer1: resetAt.toISOString() } }));
    const call = uploadsApp();
    const token = customer('reset');
    // Signed in an hour before the reset; the token itself was refreshed since (Cognito keeps auth_time).
    const old = identity.accessToken({ authTime: resetSecond - 3600 });
    const routes = [
      ['GET', '/api/me'],
      ['POST', '/api/s3/multipart', {}, { filename: 'x.bin', metadata: { size: '1' } }],
      ['GET', '/api/files'],
      ['GET', '/api/s3/params', { filename: 'x.txt', type: 'text/plain', 'metadata[size]': '1' }],
      ['GET', '/api/s3/multipart/some-upload', { key: 'uploads/reset/x.bin' }],
    ] as const;
    for (const [method, path, query, body] of routes) {
      expect(await call(method, path, { token, accessToken: old, ...(query ? { query } : {}), ...(body ? { body } : {}) }), path).toMatchObject({ status: 401, body: { error: { code: 'session_revoked' } } });
    }
    const fresh = identity.accessToken({ authTime: resetSecond + 5 });
    expect((await call('GET', '/api/me', { token, accessToken: fresh })).status).toBe(200);
    const created = await call('POST', '/api/s3/multipart', { token, accessToken: fresh, body: { filename: 'after-reset.bin', metadata: { size: '1' } } });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect((await call('GET', `/api/s3/multipart/${encodeURIComponent(created.body.uploadId)}`, { token, accessToken: fresh, query: { key: created.body.key } })).status).toBe(200);
  });

  it('a login with a cut-off must prove its sign-in with a valid access token of its own: missing, forged, foreign or timeless tokens are refused', async () => {
    const resetAt = new Date(Date.now() - 60_000);
    const after = Math.floor(resetAt.getTime() / 1000) + 5;
    await putRecord(record('proof', { sessionsNotBefore: { customer1: resetAt.toISOString() } }));
    const call = uploadsApp();
    const token = customer('proof');
    const refusals: Array<[string, string | undefined]> = [
      ['none', undefined],
      ['opaque', 'opaque-access-token'],
      ['forged', identity.accessToken({ authTime: after, privateKey: identity.accessTokenForgeryKey })],
      ["another user's", identity.accessToken({ authTime: after, sub: 'customer-sub-2' })],
      ["another app client's", identity.accessToken({ authTime: after, clientId: 'other-client' })],
      ['an id token', identity.accessToken({ authTime: after, tokenUse: 'id' })],
      ['expired', identity.accessToken({ authTime: after, expiresInSeconds: -600 })],
      ['without auth_time', identity.accessToken({ claims: { auth_time: undefined } })],
    ];
    for (const [label, accessToken] of refusals) {
      expect(await call('GET', '/api/me', { token, ...(accessToken ? { accessToken } : {}) }), label).toMatchObject({ status: 401, body: { error: { code: 'session_revoked' } } });
    }
    expect((await call('GET', '/api/me', { token, accessToken: identity.accessToken({ authTime: after }) })).status).toBe(200);
  });

  it('a login without a cut-off needs no access token, even when another login of its endpoint has one', async () => {
    await putRecord(record('calm', { logins: ['customer1', 'customer2'], sessionsNotBefore: { customer2: new Date().toISOString() } }));
    const call = uploadsApp();
    expect((await call('GET', '/api/me', { token: customer('calm') })).status).toBe(200);
    expect((await call('GET', '/api/me', { token: customer('calm'), accessToken: 'opaque-access-token' })).status).toBe(200);
    expect(await call('GET', '/api/me', { token: customer('calm', 'customer2') })).toMatchObject({ status: 401, body: { error: { code: 'session_revoked' } } });
  });

  it('the filename e\\u200E\\u0301.pdf becomes an NFC key that can be signed, listed and completed', async () => {
    await putRecord(record('names'));
    const call = uploadsApp();
    const token = customer('names');
    const steps = await onePartSteps(call, randomData(20));
    const created = await steps.create(token, 'e\u200E\u0301.pdf');
    expect(created.status).toBe(200);
    const key = created.body.key as string;
    expect(key).toBe(key.normalize('NFC'));
    expect(key).toBe('uploads/names/\u00e9.pdf');
    const put = await steps.put(created);
    expect((await call('GET', `/api/s3/multipart/${encodeURIComponent(created.body.uploadId)}`, { token, query: { key } })).body).toHaveLength(1);
    const done = await steps.complete(token, created, put.etag);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(await storedBytes(key)).toBe(20);
  });

  it('the admin \\u212Aelly@corp.example (Kelvin sign) is not kelly@corp.example of the allow-list', async () => {
    await putRecord(record('allow'));
    const call = uploadsApp({}, 'kelly@corp.example');
    const kelvin = identity.adminToken({ email: '\u212Aelly@corp.example' });
    for (const [method, path, options] of [
      ['GET', '/api/me', { query: { endpoint: 'allow' } }],
      ['POST', '/api/s3/multipart', { body: { filename: 'x.bin', metadata: { size: '1', endpoint: 'allow' } } }],
    ] as const) {
      expect(await call(method, path, { token: kelvin, ...options }), path).toMatchObject({ status: 403, body: { error: { code: 'admin_not_allowed' } } });
    }
    expect((await call('GET', '/api/me', { token: identity.adminToken({ email: 'kelly@corp.example' }), query: { endpoint: 'allow' } })).status).toBe(200);
    expect(await storedBytes('uploads/allow/')).toBe(0);
  });
});
