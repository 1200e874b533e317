// The admin Lambda against the real local S3 server, dynalite and cognito-local, through the gateway:
// the file browser from the catalog (trailing '/' on prefixes: `john` never lists `johnny/`; sort,
// search, time range, page tokens; reconcile), downloads (302 to a presigned GET
// that saves under the original name), share links, deletes and the audit trail of all of them.
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { endpointRecordKey } from '../../../contract/bucket-layout.js';
import { buildObjectMetadata } from '../../../lambdas/shared/object-metadata.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FileListing } from '../../../contract/api/admin.js';
import { auditTrail } from '../../support/audit.js';
import { SMALL_PARTS, startTestPortal, type TestPortal } from '../../support/local-portal.js';
import {
  bucketClient,
  CompanionClient,
  crc64nvme,
  createEndpoint,
  headObject,
  incompleteUploads,
  listKeys,
  MiB,
  PortalApi,
  signedInAdmin,
  partHeaders,
  partsToSign,
  putPart,
  putSmall,
  randomData,
  sha256,
  signedInCustomer,
} from '../../support/portal-api.js';

let portal: TestPortal;
let admin: PortalApi;
let s3: S3Client;

const REPORT_NAME = 'Überweisung März 2026.pdf';
const files = {
  report: { data: randomData(3000), key: '' },
  nested: { data: randomData(1500), key: '' },
  big: { data: randomData(5 * MiB + 77), key: '' },
  johnny: { data: randomData(700), key: '' },
};
/** Where johnny's small file was sent: its URL, replayed after the delete. */
let johnnySentTo: { url: string; headers: Record<string, string> };

beforeAll(async () => {
  portal = await startTestPortal(SMALL_PARTS);
  admin = await signedInAdmin(portal);
  const john = await createEndpoint(admin, { name: 'john', customerEmail: 'john@example.com' });
  await createEndpoint(admin, { name: 'johnny', customerEmail: 'johnny@example.com' });
  await createEndpoint(admin, { name: 'empty-one', customerEmail: 'nobody@example.com' });

  // john's customer sends two files (one from a folder drop); the admin uploads the others from the
  // console's widget, which names the endpoint in metadata.
  const customer = new CompanionClient(await signedInCustomer(portal, john.login));
  files.report.key = (await customer.uploadSmall(REPORT_NAME, files.report.data)).key;
  files.nested.key = (await customer.uploadSmall('scan.png', files.nested.data, { relativePath: 'docs/2026/scan.png' })).key;
  const asAdmin = new CompanionClient(admin);
  files.big.key = await asAdmin.uploadMultipart('big.bin', files.big.data, 5 * MiB, { endpoint: 'john' });
  const johnny = await asAdmin.uploadSmall('johnny.txt', files.johnny.data, { endpoint: 'johnny' });
  files.johnny.key = johnny.key;
  johnnySentTo = johnny.sentTo;
  s3 = bucketClient(portal);
  // The catalog follows S3's events, delivered in process just after each upload.
  await portal.events.idle();
});
afterAll(async () => {
  s3?.destroy();
  await portal?.stop();
});

type Listing = FileListing;

const list = async (query: Record<string, string>) => {
  const response = await admin.get<Listing>('/admin/api/files', query);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
};

describe('admin Lambda: file browser, downloads, shares, deletes and audit against the local stack', () => {
  it('stored the uploads where expected', () => {
    expect(files.report.key).toBe(`uploads/john/${REPORT_NAME}`);
    expect(files.nested.key).toBe('uploads/john/docs/2026/scan.png');
    expect(files.big.key).toBe('uploads/john/big.bin');
    expect(files.johnny.key).toBe('uploads/johnny/johnny.txt');
  });

  it("lists one endpoint's folder with original names and uploaders; john never shows johnny's files", async () => {
    const john = await list({ endpoint: 'john' });
    expect(john.folders).toEqual(['docs/']);
    expect(john.files.map((f) => f.key).sort()).toEqual([files.big.key, files.report.key].sort());
    expect(john.files).toContainEqual(expect.objectContaining({ key: files.report.key, name: REPORT_NAME, size: 3000, uploadedBy: 'john@example.com' }));
    expect(john.files).toContainEqual(expect.objectContaining({ key: files.big.key, name: 'big.bin', uploadedBy: 'admin@example.com' }));

    const docs = await list({ endpoint: 'john', prefix: 'docs' });
    expect(docs).toMatchObject({ prefix: 'docs/', folders: ['docs/2026/'], files: [] });
    const year = await list({ endpoint: 'john', prefix: 'docs/2026/' });
    expect(year.files.map((f) => f.name)).toEqual(['scan.png']);

    expect((await list({ endpoint: 'johnny' })).files.map((f) => f.key)).toEqual([files.johnny.key]);
    // Without an endpoint: the newest arrivals of every endpoint.
    const recent = await list({});
    expect(recent).toMatchObject({ endpoint: null, scope: 'all', sort: 'time', order: 'desc', folders: [] });
    expect(recent.files.map((f) => f.key).sort()).toEqual(Object.values(files).map((f) => f.key).sort());
    const times = recent.files.map((f) => f.lastModified);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('treats an empty endpoint as an empty list, and pages with a continuation token', async () => {
    expect(await list({ endpoint: 'empty-one' })).toMatchObject({ folders: [], files: [], nextToken: null });
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const page: Listing = await list({ endpoint: 'john', scope: 'endpoint', pageSize: '50', sort: 'size', ...(token ? { continuationToken: token } : {}) });
      seen.push(...page.files.map((f) => f.key));
      token = page.nextToken;
      pages++;
    } while (token);
    expect(pages).toBe(1);
    // Every folder of the endpoint, largest first.
    expect(seen).toEqual([files.big.key, files.report.key, files.nested.key]);
  });

  it('shows usage and the login of an endpoint', async () => {
    const detail = await admin.get('/admin/api/endpoints/john');
    expect(detail.status).toBe(200);
    // From the catalog's counters, kept by the events of the three uploads.
    expect(detail.body).toMatchObject({ name: 'john', state: 'active', fileCount: 3, totalBytes: 3000 + 1500 + 5 * MiB + 77, usageComplete: true });
    expect(detail.body.logins).toEqual([expect.objectContaining({ email: 'john@example.com', status: 'CONFIRMED', enabled: true })]);
  });

  it('downloads through a 302 to a presigned GET that saves under the original name', async () => {
    const response = await admin.client.fetch(`${portal.url}/admin/api/files/download?key=${encodeURIComponent(files.report.key)}`);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin).toBe(new URL(portal.s3Url).origin);
    expect(location.searchParams.get('X-Amz-Expires')).toBe('900');
    const object = await fetch(location);
    expect(object.status).toBe(200);
    const disposition = object.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment;/);
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent(REPORT_NAME)}`);
    expect(sha256(Buffer.from(await object.arrayBuffer()))).toBe(sha256(files.report.data));

    const big = await admin.client.fetch(`${portal.url}/admin/api/files/download?key=${encodeURIComponent(files.big.key)}`);
    const bigBody = Buffer.from(await (await fetch(big.headers.get('location')!)).arrayBuffer());
    expect(sha256(bigBody)).toBe(sha256(files.big.data));
  });

  it('shares a link with the asked lifetime, capped at 7 days', async () => {
    const before = Date.now();
    const shared = await admin.call('POST', '/admin/api/files/share', { key: files.nested.key, expiresInSeconds: 3600 });
    expect(shared.status, JSON.stringify(shared.body)).toBe(200);
    expect(shared.body).toMatchObject({ expiresInSeconds: 3600, capped: false, cappedBy: null });
    expect(Math.abs(Date.parse(shared.body.expiresAt) - (before + 3600_000))).toBeLessThan(60_000);
    const object = await fetch(shared.body.url);
    expect(object.status).toBe(200);
    expect(sha256(Buffer.from(await object.arrayBuffer()))).toBe(sha256(files.nested.data));

    const long = await admin.call('POST', '/admin/api/files/share', { key: files.nested.key, expiresInSeconds: 30 * 86_400 });
    expect(long.status).toBe(200);
    expect(long.body).toMatchObject({ expiresInSeconds: 604_800, capped: true, cappedBy: 'max_lifetime' });
    expect(typeof long.body.reason).toBe('string');
  });

  it('refuses keys outside uploads/, cross-site deletes and non-JSON state changes', async () => {
    for (const key of ['_portal/endpoints/john.json', 'uploads/.portal-pending/john/x.json', 'uploads/john/../johnny/johnny.txt', 'uploads/']) {
      const download = await admin.get('/admin/api/files/download', { key });
      expect(download.status, key).toBe(403);
      const removed = await admin.call('DELETE', `/admin/api/files?key=${encodeURIComponent(key)}`);
      expect(removed.status, key).toBe(403);
    }
    const noCsrf = await admin.client.fetch(`${portal.url}/admin/api/files?key=${encodeURIComponent(files.johnny.key)}`, { method: 'DELETE' });
    expect(noCsrf.status).toBe(403);
    expect(((await noCsrf.json()) as { error: { code: string } }).error.code).toBe('csrf_rejected');
    const crossSite = await admin.client.fetch(`${portal.url}/admin/api/files?key=${encodeURIComponent(files.johnny.key)}`, {
      method: 'DELETE',
      headers: { 'sec-fetch-site': 'cross-site', 'x-requested-with': 'portal' },
    });
    expect(crossSite.status).toBe(403);
    const form = await admin.client.fetch(`${portal.url}/admin/api/files/share`, {
      method: 'POST',
      headers: { 'x-requested-with': 'portal', 'content-type': 'application/x-www-form-urlencoded' },
      body: `key=${encodeURIComponent(files.johnny.key)}&expiresInSeconds=60`,
    });
    expect(form.status).toBe(415);
    expect((await headObject(s3, portal.bucket, files.johnny.key)).ContentLength).toBe(700);
  });

  it('refuses a download started from another site (Sec-Fetch-Site), before the audit and the link', async () => {
    for (const site of ['cross-site', 'same-site']) {
      const response = await admin.client.fetch(`${portal.url}/admin/api/files/download?key=${encodeURIComponent(files.report.key)}`, { headers: { 'sec-fetch-site': site } });
      expect(response.status, site).toBe(403);
      expect(response.headers.get('location')).toBeNull();
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('cross_site');
    }
    // (The audit test below counts exactly the two downloads made above.)
  });

  it('resets a login password: the customer signs in with the new temporary one; cognito-local cannot end sessions, which the audit records', async () => {
    const created = await createEndpoint(admin, { name: 'reset-me', customerEmail: 'reset@example.com' });
    await signedInCustomer(portal, created.login);
    const reset = await admin.call('POST', `/admin/api/endpoints/reset-me/logins/${encodeURIComponent(created.login.username)}/reset-password`, {});
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body.temporaryPassword).not.toBe(created.login.temporaryPassword);
    const again = await signedInCustomer(portal, { email: created.login.email, temporaryPassword: reset.body.temporaryPassword });
    expect((await again.get('/api/me')).status).toBe(200);
    const audit = await auditTrail(admin, { endpoint: 'reset-me' });
    const intent = audit.find((e) => e.action === 'login.password_resetting');
    expect(intent).toMatchObject({ target: created.login.username });
    expect(audit).toContainEqual(expect.objectContaining({ action: 'login.password_reset', target: created.login.username, details: { sessionsEnded: false, intentId: intent!.id } }));
  });

  it('deletes a file (404 afterwards), and the name is free again', async () => {
    // Just uploaded: its small-file URL may still be valid and could store it again after a delete.
    const early = await admin.call('DELETE', `/admin/api/files?key=${encodeURIComponent(files.johnny.key)}`);
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'file_recently_uploaded' } } });
    // Six minutes later it goes (the local stack runs in this process, on this clock: Date alone is
    // moved, for the delete and the replay; the S3 server's event sequencers never go back).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6 * 60_000);
    let removed;
    let replayed;
    try {
      removed = await admin.call('DELETE', `/admin/api/files?key=${encodeURIComponent(files.johnny.key)}`);
      // Its URL, replayed now that the name is free: expired, so the file is not written back.
      replayed = await putSmall(johnnySentTo, files.johnny.data);
    } finally {
      vi.useRealTimers();
    }
    expect(removed.status).toBe(204);
    expect([replayed.status, replayed.text]).toEqual([403, expect.stringContaining('Request has expired')]);
    await expect(headObject(s3, portal.bucket, files.johnny.key)).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await portal.events.idle();
    expect((await list({ endpoint: 'johnny' })).files).toEqual([]);
    expect((await admin.call('DELETE', `/admin/api/files?key=${encodeURIComponent(files.johnny.key)}`)).status).toBe(404);
    expect((await admin.get('/admin/api/files/download', { key: files.johnny.key })).status).toBe(404);
    const again = await new CompanionClient(admin).uploadSmall('johnny.txt', randomData(5), { endpoint: 'johnny' });
    expect(again.key).toBe(files.johnny.key);
  });

  it('records every admin action in the audit trail, newest first, filterable by endpoint', async () => {
    await portal.events.idle(); // the events Lambda records single-PUT uploads (the last one: johnny's, sent again)
    const events = await auditTrail(admin, { endpoint: 'john' });
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['endpoint.created', 'file.downloaded', 'file.shared']));
    expect(actions.filter((a) => a === 'file.downloaded')).toHaveLength(2);
    expect(actions.filter((a) => a === 'file.shared')).toHaveLength(2);
    // Every event but the customer's own uploads is the admin's.
    const singlePuts = events.filter((e) => e.action === 'upload.completed' && e.details.upload === 'single PUT');
    expect(events.filter((e) => !singlePuts.includes(e)).every((e) => e.endpoint === 'john' && e.actor.email === 'admin@example.com' && e.sourceIp && e.requestId)).toBe(true);
    // The uploads Lambda wrote the completion of the admin's multipart upload, with the checksum S3 verified.
    const checksum = await crc64nvme(files.big.data);
    expect(events.filter((e) => e.action === 'upload.completed' && e.target === files.big.key)).toEqual([
      expect.objectContaining({ details: { size: files.big.data.length, checksum: expect.objectContaining({ algorithm: 'CRC64NVME', base64: checksum }), principalKind: 'admin', intentId: expect.any(String) } }),
    ]);
    // The events Lambda wrote the customer's two small files' (single PUTs, which no Lambda sees finish), once each.
    expect(singlePuts.map((e) => [e.target, e.actor.email, e.endpoint]).sort()).toEqual(
      [
        [files.nested.key, 'john@example.com', 'john'],
        [files.report.key, 'john@example.com', 'john'],
      ].sort(),
    );
    expect(singlePuts.find((e) => e.target === files.report.key)?.details).toMatchObject({ size: files.report.data.length, checksum: { algorithm: 'CRC64NVME', base64: await crc64nvme(files.report.data) } });
    // The admin's upload into a customer's folder is in the trail from its start: given, completing, completed (newest first).
    expect(events.filter((e) => e.target === files.big.key && e.action.startsWith('upload.')).map((e) => e.action)).toEqual(['upload.completed', 'upload.completing', 'upload.started']);
    const times = events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(events.find((e) => e.action === 'file.downloaded' && e.target === files.report.key)?.details).toMatchObject({ name: REPORT_NAME });
    // Never a password, not even the temporary one handed out at creation.
    expect(JSON.stringify(events)).not.toMatch(/password"\s*:\s*"/i);

    // The deletion's intent, stored before the object was deleted, then its result.
    const johnnyActions = (await auditTrail(admin, { endpoint: 'johnny' })).map((e) => e.action);
    expect(johnnyActions.filter((a) => !a.startsWith('upload.'))).toEqual(['file.deleted', 'file.deleting', 'endpoint.created']);
    // The admin's two uploads into johnny's folder through /api/*: each given (uploads Lambda), and
    // each stored with one PUT (events Lambda, from S3's event, stamped with S3's whole-second time).
    expect(johnnyActions.filter((a) => a.startsWith('upload.')).sort()).toEqual(['upload.completed', 'upload.completed', 'upload.started', 'upload.started']);
    const all = await auditTrail(admin, { from: new Date(Date.now() - 3600_000).toISOString() });
    expect(new Set(all.map((e) => e.endpoint))).toEqual(new Set(['john', 'johnny', 'empty-one', 'reset-me']));
  });

  it('purges an endpoint: its files, and its unfinished uploads with their parts', async () => {
    const doomed = await createEndpoint(admin, { name: 'purge-me', customerEmail: 'purge@example.com' });
    const customer = new CompanionClient(await signedInCustomer(portal, doomed.login));
    await customer.uploadSmall('done.txt', randomData(100));
    const unfinished = await customer.create('half.bin', 10 * MiB, { checksummed: true });
    expect(unfinished.status, JSON.stringify(unfinished.body)).toBe(200);
    const firstPart = randomData(5 * MiB);
    const [toSign] = await partsToSign([firstPart]);
    const signed = await customer.signBatch(unfinished.body, [toSign]);
    await putPart(signed.body.presignedUrls['1']!, firstPart, partHeaders(toSign!.checksum));
    expect(await incompleteUploads(s3, portal.bucket, 'uploads/purge-me/')).toHaveLength(1);
    // A small file's URL the customer holds back, to use once the files are gone.
    const late = randomData(64);
    const lateUrl = await customer.params('late.txt', late.length, 'text/plain', {}, await crc64nvme(late));
    expect(lateUrl.status).toBe(200);

    // Access ends at once, but the files stay until every URL the endpoint handed out has expired.
    const early = await admin.call('DELETE', '/admin/api/endpoints/purge-me', { purgeFiles: true, confirm: 'purge-me' });
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'purge_too_soon', message: expect.stringMatching(/in 3[0-6]\d s/) } } });
    // The held-back URL still stores (it lives up to 5 minutes): this is what the purge waits out.
    expect((await putSmall(lateUrl.body, late)).status).toBe(200);
    expect(await listKeys(s3, portal.bucket, 'uploads/purge-me/')).toEqual(['uploads/purge-me/done.txt', 'uploads/purge-me/late.txt']);

    // Six minutes later (the record's time moved back, as the wait would): the purge takes everything.
    const recordKey = endpointRecordKey('purge-me');
    const stored = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: portal.bucket, Key: recordKey }))).Body!.transformToString()) as { disabled: boolean; updatedAt: string };
    expect(stored.disabled).toBe(true);
    await s3.send(new PutObjectCommand({ Bucket: portal.bucket, Key: recordKey, Body: JSON.stringify({ ...stored, updatedAt: new Date(Date.now() - 6 * 60_000).toISOString() }), ContentType: 'application/json' }));
    const res = await admin.call('DELETE', '/admin/api/endpoints/purge-me', { purgeFiles: true, confirm: 'purge-me' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ filesPurged: 2, uploadsAborted: 1 });
    expect(await incompleteUploads(s3, portal.bucket, 'uploads/purge-me/')).toEqual([]);
    expect(await listKeys(s3, portal.bucket, 'uploads/purge-me/')).toEqual([]);
  });
});

describe('the file catalog behind the browser: sort, search, time range, pages, stale entries and reconcile', () => {
  const ENDPOINT = 'catalog-tour';
  const keyOf = (i: number) => `uploads/${ENDPOINT}/${i % 2 ? 'odd/' : ''}f-${String(i).padStart(2, '0')}.dat`;
  const COUNT = 55;

  beforeAll(async () => {
    await createEndpoint(admin, { name: ENDPOINT, customerEmail: 'tour@example.com' });
    // Straight into the bucket, as the uploads Lambda stores them; the catalog follows their events.
    for (let i = 0; i < COUNT; i++) {
      await s3.send(
        new PutObjectCommand({
          Bucket: portal.bucket,
          Key: keyOf(i),
          Body: randomData(100 + ((i * 37) % 55)),
          Metadata: buildObjectMetadata({ originalName: i === 7 ? 'Quarterly Report.pdf' : `File ${String(i).padStart(2, '0')}.dat`, uploadedBy: `u${i % 3}@tour.example` }, `f-${i}.dat`),
        }),
      );
    }
    await portal.events.idle();
  });

  it('sorts a folder by name, time and size in both directions, and pages of 50 hold every file once', async () => {
    const all = async (query: Record<string, string>) => {
      const out: Listing['files'] = [];
      let token: string | null = null;
      do {
        const page: Listing = await list({ endpoint: ENDPOINT, scope: 'endpoint', pageSize: '50', ...query, ...(token ? { continuationToken: token } : {}) });
        out.push(...page.files);
        token = page.nextToken;
      } while (token);
      return out;
    };
    const byName = await all({ sort: 'name' });
    expect(byName).toHaveLength(COUNT);
    expect(new Set(byName.map((f) => f.key)).size).toBe(COUNT);
    const names = byName.map((f) => f.name.toLowerCase());
    expect(names).toEqual([...names].sort());
    expect((await all({ sort: 'name', order: 'desc' })).map((f) => f.key)).toEqual(byName.map((f) => f.key).reverse());
    const sizes = (await all({ sort: 'size', order: 'asc' })).map((f) => f.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    const times = (await all({ sort: 'time' })).map((f) => f.lastModified);
    expect(times).toEqual([...times].sort().reverse());
    // A folder listing holds its own files and sub-folders only.
    const root = await list({ endpoint: ENDPOINT });
    expect(root.folders).toEqual(['odd/']);
    expect(root.files).toHaveLength(28);
  });

  it('searches by name prefix and by substring (case-insensitive), and filters an upload-time range', async () => {
    const prefix = await list({ endpoint: ENDPOINT, scope: 'endpoint', name: 'file 1' });
    expect(prefix.files.map((f) => f.name).sort()).toEqual(['File 10.dat', 'File 11.dat', 'File 12.dat', 'File 13.dat', 'File 14.dat', 'File 15.dat', 'File 16.dat', 'File 17.dat', 'File 18.dat', 'File 19.dat']);
    const substring = await list({ endpoint: ENDPOINT, scope: 'endpoint', contains: 'REPORT' });
    // Put without a checksum: S3's default CRC64NVME, as the catalog copied it from HeadObject.
    expect(substring.files).toEqual([
      expect.objectContaining({ name: 'Quarterly Report.pdf', uploadedBy: 'u1@tour.example', checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: expect.stringMatching(/^[A-Za-z0-9+/]{11}=$/) } }),
    ]);
    expect(substring.scanned).toBeGreaterThanOrEqual(COUNT);
    expect(substring.tookMs).toBeGreaterThanOrEqual(0);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await list({ endpoint: ENDPOINT, scope: 'endpoint', sort: 'time', from: future })).files).toEqual([]);
    expect((await list({ endpoint: ENDPOINT, scope: 'endpoint', sort: 'size', to: future, pageSize: '100' })).files).toHaveLength(COUNT);
    expect((await admin.get('/admin/api/files', { endpoint: ENDPOINT, sort: 'owner' })).status).toBe(400);
    expect((await admin.get('/admin/api/files', { endpoint: ENDPOINT, pageSize: '7' })).status).toBe(400);
    expect((await admin.get('/admin/api/files', { endpoint: ENDPOINT, from: '2026-02-02', to: '2026-02-01' })).body).toMatchObject({ error: { code: 'invalid_time_range' } });
  });

  it('answers 404 for the download or share of an entry whose object is gone and stops listing it (audited); reconcile removes the others', async () => {
    const downloaded = keyOf(0);
    const shared = keyOf(2);
    const untouched = keyOf(4);
    portal.events.hold();
    for (const key of [downloaded, shared, untouched]) await s3.send(new DeleteObjectCommand({ Bucket: portal.bucket, Key: key }));
    // The Object Deleted events are lost: the catalog still lists the files, as downloadable.
    await new Promise((resolve) => setTimeout(resolve, 50));
    portal.events.release(() => []);
    const before = (await list({ endpoint: ENDPOINT })).files;
    expect(before.filter((f) => [downloaded, shared, untouched].includes(f.key)).map((f) => f.downloadable)).toEqual([true, true, true]);

    expect(await admin.get('/admin/api/files/download', { key: downloaded })).toMatchObject({ status: 404, body: { error: { code: 'file_not_found' } } });
    expect(await admin.call('POST', '/admin/api/files/share', { key: shared, expiresInSeconds: 3600 })).toMatchObject({ status: 404, body: { error: { code: 'file_not_found' } } });
    const after = (await list({ endpoint: ENDPOINT })).files.map((f) => f.key);
    expect(after).not.toContain(downloaded);
    expect(after).not.toContain(shared);
    expect(after).toContain(untouched);
    expect((await admin.get(`/admin/api/endpoints/${ENDPOINT}`)).body).toMatchObject({ fileCount: COUNT - 2 });
    const trail = await auditTrail(admin, { endpoint: ENDPOINT });
    for (const key of [downloaded, shared]) {
      expect(trail).toContainEqual(expect.objectContaining({ action: 'catalog.reconciled', target: key, details: expect.objectContaining({ thisCall: { checked: 1, added: 0, repaired: 0, removed: 1 } }) }));
    }
    // Again: still 404, nothing left to remove, so nothing more audited.
    expect((await admin.get('/admin/api/files/download', { key: downloaded })).status).toBe(404);
    expect((await auditTrail(admin, { endpoint: ENDPOINT })).filter((e) => e.action === 'catalog.reconciled' && e.target === downloaded)).toHaveLength(1);

    let result = (await admin.call('POST', '/admin/api/catalog/reconcile', { endpoint: ENDPOINT })).body;
    while (!result.done) result = (await admin.call('POST', '/admin/api/catalog/reconcile', { endpoint: ENDPOINT, continuationToken: result.continuationToken })).body;
    expect(result).toMatchObject({ endpoint: ENDPOINT, done: true, removed: 1, added: 0, fileCount: COUNT - 3 });
    expect((await list({ endpoint: ENDPOINT })).files.map((f) => f.key)).not.toContain(untouched);
    expect((await admin.get(`/admin/api/endpoints/${ENDPOINT}`)).body).toMatchObject({ fileCount: COUNT - 3, usageReconciledAt: expect.any(String) });
    expect(await auditTrail(admin, { endpoint: ENDPOINT })).toContainEqual(expect.objectContaining({ action: 'catalog.reconciled', target: ENDPOINT, details: expect.objectContaining({ done: true, fileCount: COUNT - 3 }) }));
    expect((await admin.call('POST', '/admin/api/catalog/reconcile', { endpoint: ENDPOINT, continuationToken: 'forged' })).status).toBe(400);
  });
});
