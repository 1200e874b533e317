// The admin Lambda against the real local S3 server and cognito-local, through the gateway: the file
// browser (trailing '/' on prefixes: `john` never lists `johnny/`), downloads (302 to a presigned GET
// that saves under the original name), share links, deletes and the audit trail of all of them.
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserClient, signInAdmin, startTestPortal, type TestPortal } from '../../support/local-portal.js';
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
  partHeaders,
  partsToSign,
  putPart,
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

beforeAll(async () => {
  portal = await startTestPortal();
  admin = new PortalApi(new BrowserClient(), portal);
  await signInAdmin(admin.client, portal);
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
  files.johnny.key = (await asAdmin.uploadSmall('johnny.txt', files.johnny.data, { endpoint: 'johnny' })).key;
  s3 = bucketClient(portal);
});
afterAll(async () => {
  s3?.destroy();
  await portal?.stop();
});

interface Listing {
  endpoint: string | null;
  prefix: string;
  folders: string[];
  files: { key: string; name: string; size: number; lastModified: string; uploadedBy: string | null }[];
  nextToken: string | null;
}

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
    // Without an endpoint the root is uploads/: `john` as a folder prefix still means `john/` only.
    const root = await list({});
    expect(root.folders).toEqual(expect.arrayContaining(['john/', 'johnny/']));
    expect(root.folders.every((f) => f.endsWith('/') && !f.startsWith('.'))).toBe(true);
    const johnAtRoot = await list({ prefix: 'john' });
    expect(johnAtRoot.prefix).toBe('john/');
    expect(johnAtRoot.files.every((f) => f.key.startsWith('uploads/john/'))).toBe(true);
    expect(johnAtRoot.files).toHaveLength(2);
  });

  it('treats an empty endpoint as an empty list, and pages with a continuation token', async () => {
    expect(await list({ endpoint: 'empty-one' })).toMatchObject({ folders: [], files: [], nextToken: null });
    const first = await list({ endpoint: 'john', pageSize: '1' });
    expect(first.nextToken).toEqual(expect.any(String));
    const seen = [...first.folders, ...first.files.map((f) => f.key)];
    let token = first.nextToken;
    while (token) {
      const page = await list({ endpoint: 'john', pageSize: '1', continuationToken: token });
      seen.push(...page.folders, ...page.files.map((f) => f.key));
      token = page.nextToken;
    }
    expect(seen.sort()).toEqual(['docs/', files.big.key, files.report.key].sort());
  });

  it('shows usage and the login of an endpoint', async () => {
    const detail = await admin.get('/admin/api/endpoints/john');
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ name: 'john', state: 'active', fileCount: 3, totalBytes: 3000 + 1500 + 5 * MiB + 77 });
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
    const audit = await admin.get('/admin/api/audit', { endpoint: 'reset-me' });
    expect(audit.body.events).toContainEqual(expect.objectContaining({ action: 'login.password_reset', target: created.login.username, details: { sessionsEnded: false } }));
  });

  it('deletes a file (404 afterwards), and the name is free again', async () => {
    const removed = await admin.call('DELETE', `/admin/api/files?key=${encodeURIComponent(files.johnny.key)}`);
    expect(removed.status).toBe(204);
    await expect(headObject(s3, portal.bucket, files.johnny.key)).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    expect((await list({ endpoint: 'johnny' })).files).toEqual([]);
    expect((await admin.call('DELETE', `/admin/api/files?key=${encodeURIComponent(files.johnny.key)}`)).status).toBe(404);
    expect((await admin.get('/admin/api/files/download', { key: files.johnny.key })).status).toBe(404);
    const again = await new CompanionClient(admin).uploadSmall('johnny.txt', randomData(5), { endpoint: 'johnny' });
    expect(again.key).toBe(files.johnny.key);
  });

  it('records every admin action in the audit trail, newest first, filterable by endpoint', async () => {
    const john = await admin.get('/admin/api/audit', { endpoint: 'john' });
    expect(john.status).toBe(200);
    const events = john.body.events as { at: string; action: string; endpoint: string; target: string; actor: { email: string }; sourceIp: string; requestId: string; details: object }[];
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['endpoint.created', 'file.downloaded', 'file.shared']));
    expect(actions.filter((a) => a === 'file.downloaded')).toHaveLength(2);
    expect(actions.filter((a) => a === 'file.shared')).toHaveLength(2);
    expect(events.every((e) => e.endpoint === 'john' && e.actor.email === 'admin@example.com' && e.sourceIp && e.requestId)).toBe(true);
    // The uploads Lambda wrote the completion of the admin's multipart upload, with the checksum S3 verified.
    const checksum = await crc64nvme(files.big.data);
    expect(events.filter((e) => e.action === 'upload.completed')).toEqual([
      expect.objectContaining({ target: files.big.key, details: { size: files.big.data.length, checksum: expect.objectContaining({ algorithm: 'CRC64NVME', base64: checksum }), principalKind: 'admin' } }),
    ]);
    const times = events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(events.find((e) => e.action === 'file.downloaded' && e.target === files.report.key)?.details).toMatchObject({ name: REPORT_NAME });
    // Never a password, not even the temporary one handed out at creation.
    expect(JSON.stringify(john.body)).not.toMatch(/password"\s*:\s*"/i);

    const johnny = await admin.get('/admin/api/audit', { endpoint: 'johnny' });
    expect(johnny.body.events.map((e: { action: string }) => e.action)).toEqual(['file.deleted', 'endpoint.created']);
    const all = await admin.get('/admin/api/audit', { from: new Date(Date.now() - 3600_000).toISOString() });
    expect(new Set(all.body.events.map((e: { endpoint: string }) => e.endpoint))).toEqual(new Set(['john', 'johnny', 'empty-one', 'reset-me']));
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

    const res = await admin.call('DELETE', '/admin/api/endpoints/purge-me', { purgeFiles: true, confirm: 'purge-me' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ filesPurged: 1, uploadsAborted: 1 });
    expect(await incompleteUploads(s3, portal.bucket, 'uploads/purge-me/')).toEqual([]);
    expect(await listKeys(s3, portal.bucket, 'uploads/purge-me/')).toEqual([]);
  });
});
