// The uploads Lambda against the real local S3 server and cognito-local, through the ALB-like
// gateway: an admin creates an endpoint, its customer signs in (temporary password, then a new one)
// and drives the Companion S3 protocol by hand, PUTting parts straight to the presigned S3 URLs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrowserClient, signInAdmin, signInCustomer, startTestPortal, type TestPortal } from '../../support/local-portal.js';
import {
  bucketClient,
  CompanionClient,
  createEndpoint,
  headObject,
  incompleteUploads,
  listKeys,
  MiB,
  NEW_PASSWORD,
  objectSha256,
  PortalApi,
  postForm,
  putPart,
  randomData,
  sha256,
  signedInCustomer,
  splitParts,
  type Upload,
} from '../../support/portal-api.js';
import type { S3Client } from '@aws-sdk/client-s3';

const ENDPOINT = 'acme-uploads';
const CUSTOMER = 'ops@acme-uploads.example';
const PREFIX = `uploads/${ENDPOINT}/`;

let portal: TestPortal;
let admin: PortalApi;
let customer: CompanionClient;
let s3: S3Client;

beforeAll(async () => {
  portal = await startTestPortal();
  admin = new PortalApi(new BrowserClient(), portal);
  await signInAdmin(admin.client, portal);
  const created = await createEndpoint(admin, { name: ENDPOINT, customerEmail: CUSTOMER });
  customer = new CompanionClient(await signedInCustomer(portal, created.login));
  s3 = bucketClient(portal);
});
afterAll(async () => {
  s3?.destroy();
  await portal?.stop();
});

/** Creates an upload of `size` declared bytes, failing the test on anything but 200. */
async function start(filename: string, size: number): Promise<Upload> {
  const created = await customer.create(filename, size);
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return created.body;
}

/** Signs and PUTs the given parts (1-based numbers) of `chunks`; returns their ETags by number. */
async function sendParts(upload: Upload, chunks: Buffer[], numbers = chunks.map((_, i) => i + 1)): Promise<Map<number, string>> {
  const signed = await customer.signBatch(upload, numbers);
  expect(signed.status, JSON.stringify(signed.body)).toBe(200);
  const etags = new Map<number, string>();
  await Promise.all(numbers.map(async (n) => etags.set(n, await putPart(signed.body.presignedUrls[String(n)]!, chunks[n - 1]!))));
  return etags;
}

const partList = (etags: Map<number, string>) => [...etags].sort(([a], [b]) => a - b).map(([PartNumber, ETag]) => ({ PartNumber, ETag }));

async function stillInProgress(upload: Upload): Promise<boolean> {
  return (await incompleteUploads(s3, portal.bucket, upload.key)).some((u) => u.uploadId === upload.uploadId);
}

describe('uploads Lambda: the Companion S3 protocol against the local S3 server', () => {
  it('tells the signed-in customer its endpoint and upload settings (/api/me)', async () => {
    const me = await customer.api.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { email: CUSTOMER, kind: 'customer' }, endpoint: { name: ENDPOINT }, upload: { maxPartsPerBatch: 100 } });
  });

  it('stores a file sent in parts byte for byte, with its original name, uploader and declared size', async () => {
    const data = randomData(10 * MiB + 12_345);
    const chunks = splitParts(data, 5 * MiB);
    const upload = await start('Quarterly report é.bin', data.length);
    expect(upload.key).toBe(`${PREFIX}Quarterly report é.bin`);

    // One part signed alone, the rest in a batch; no checksum parameters a browser could not satisfy.
    const single = await customer.signPart(upload, 1);
    expect(single.status).toBe(200);
    const batch = await customer.signBatch(upload, [1, 2, 3]);
    expect(batch.status).toBe(200);
    for (const url of [single.body.url, ...Object.values(batch.body.presignedUrls) as string[]]) {
      const params = [...new URL(url).searchParams.keys()].map((k) => k.toLowerCase());
      expect(params.filter((k) => k.includes('checksum'))).toEqual([]);
      expect(url.startsWith(portal.s3Url)).toBe(true);
    }
    const etags = new Map<number, string>();
    etags.set(1, await putPart(single.body.url, chunks[0]!));
    for (const n of [2, 3]) etags.set(n, await putPart(batch.body.presignedUrls[String(n)]!, chunks[n - 1]!));

    const listed = await customer.listParts(upload);
    expect(listed.status).toBe(200);
    expect(listed.body.map((p: { PartNumber: number; Size: number; ETag: string }) => [p.PartNumber, p.Size, p.ETag])).toEqual([
      [1, 5 * MiB, etags.get(1)],
      [2, 5 * MiB, etags.get(2)],
      [3, 12_345, etags.get(3)],
    ]);

    const done = await customer.complete(upload, partList(etags));
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.key).toBe(upload.key);
    expect(await objectSha256(s3, portal.bucket, upload.key)).toEqual({ sha256: sha256(data), size: data.length });
    const head = await headObject(s3, portal.bucket, upload.key);
    expect(head.ETag).toMatch(/-3"$/); // an S3 multipart ETag: 3 parts
    expect(head.Metadata).toMatchObject({
      'original-name': encodeURIComponent('Quarterly report é.bin'),
      'uploaded-by': encodeURIComponent(CUSTOMER),
      'declared-size': String(data.length),
    });
    expect(await stillInProgress(upload)).toBe(false);
    // Completing again (the first answer lost on its way back) gets the same answer: the object the
    // local S3 server stored carries the multipart ETag these parts make. Other parts get a 404.
    const again = await customer.complete(upload, partList(etags));
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.key).toBe(upload.key);
    const otherLast = new Map(etags).set(3, '"0123456789abcdef0123456789abcdef"');
    const refused = await customer.complete(upload, partList(otherLast));
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe('no_such_upload');
    expect(await objectSha256(s3, portal.bucket, upload.key)).toEqual({ sha256: sha256(data), size: data.length });

    // The list comes from the catalog, which follows S3's events (delivered in process, just after).
    await portal.events.idle();
    const files = await customer.api.get('/api/files');
    expect(files.status).toBe(200);
    expect(files.body.files).toContainEqual(expect.objectContaining({ name: 'Quarterly report é.bin', size: data.length }));
  });

  it('stores a file whose parts went to the URLs signed by the create call (partNumbers), which S3 accepts as batch-signed ones', async () => {
    const data = randomData(2 * 5 * MiB + 1234);
    const chunks = splitParts(data, 5 * MiB);
    const created = await customer.create('signed-along.dat', data.length, { partNumbers: [1, 2, 3] });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const { presignedUrls, ...upload } = created.body;
    expect(Object.keys(presignedUrls ?? {}).sort()).toEqual(['1', '2', '3']);
    const parts = await Promise.all(chunks.map(async (chunk, i) => ({ PartNumber: i + 1, ETag: await putPart(presignedUrls![String(i + 1)]!, chunk) })));
    const done = await customer.complete(upload, parts);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await objectSha256(s3, portal.bucket, upload.key)).sha256).toBe(sha256(data));
  });

  it('refuses a create whose partNumbers are malformed (400) and starts no upload', async () => {
    const refused = await customer.create('bad-parts.dat', 10 * MiB, { partNumbers: [0, 1] });
    expect(refused.status).toBe(400);
    expect((refused.body as unknown as { error: { code: string } }).error.code).toBe('invalid_part_number');
    expect(await listKeys(s3, portal.bucket, `${PREFIX}bad-parts`)).toEqual([]);
    expect(await incompleteUploads(s3, portal.bucket, `${PREFIX}bad-parts`)).toEqual([]);
  });

  it('gives a second file of the same name a distinct key, and both survive', async () => {
    const first = randomData(2048);
    const second = randomData(3000);
    const firstKey = await customer.uploadMultipart('same-name.dat', first);
    const secondKey = await customer.uploadMultipart('same-name.dat', second);
    const third = await customer.uploadSmall('same-name.dat', randomData(10));
    expect(firstKey).toBe(`${PREFIX}same-name.dat`);
    expect(secondKey).toBe(`${PREFIX}same-name (2).dat`);
    expect(third.key).toBe(`${PREFIX}same-name (3).dat`);
    expect((await objectSha256(s3, portal.bucket, firstKey)).sha256).toBe(sha256(first));
    expect((await objectSha256(s3, portal.bucket, secondKey)).sha256).toBe(sha256(second));
    for (const key of [firstKey, secondKey, third.key]) {
      expect((await headObject(s3, portal.bucket, key)).Metadata?.['original-name']).toBe('same-name.dat');
    }
  });

  it('refuses to complete with a part missing or a gap, and completes once the part is there', async () => {
    const data = randomData(5 * MiB + 100);
    const chunks = splitParts(data, 5 * MiB);
    const upload = await start('missing-part.bin', data.length);
    const etags = await sendParts(upload, chunks, [1]);

    const missing = await customer.complete(upload, [...partList(etags), { PartNumber: 2, ETag: '"0123456789abcdef0123456789abcdef"' }]);
    expect(missing.status).toBe(409);
    expect(missing.body.error.code).toBe('parts_missing');
    const gap = await customer.complete(upload, [...partList(etags), { PartNumber: 3, ETag: '"0123456789abcdef0123456789abcdef"' }]);
    expect(gap.status).toBe(400);
    expect(gap.body.error.code).toBe('parts_not_contiguous');
    const short = await customer.complete(upload, partList(etags));
    expect(short.status).toBe(409);
    expect(short.body.error.code).toBe('size_mismatch');
    expect(await stillInProgress(upload)).toBe(true);

    // Resume: what S3 holds is listed, the missing part is sent, completion succeeds.
    const listed = await customer.listParts(upload);
    expect(listed.body.map((p: { PartNumber: number }) => p.PartNumber)).toEqual([1]);
    for (const [n, etag] of await sendParts(upload, chunks, [2])) etags.set(n, etag);
    const done = await customer.complete(upload, partList(etags));
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await objectSha256(s3, portal.bucket, upload.key)).sha256).toBe(sha256(data));
  });

  it('refuses a wrong ETag (409) and keeps the upload resumable', async () => {
    const data = randomData(5 * MiB + 10);
    const upload = await start('wrong-etag.bin', data.length);
    const etags = await sendParts(upload, splitParts(data, 5 * MiB));
    const forged = partList(etags).map((p) => (p.PartNumber === 2 ? { ...p, ETag: '"ffffffffffffffffffffffffffffffff"' } : p));
    const refused = await customer.complete(upload, forged);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('etag_mismatch');
    expect(refused.body.error.message).toMatch(/part 2\b/);
    expect(await stillInProgress(upload)).toBe(true);
    const done = await customer.complete(upload, partList(etags));
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await objectSha256(s3, portal.bucket, upload.key)).sha256).toBe(sha256(data));
  });

  it('refuses parts whose sizes do not add up to the declared size (409), then completes after re-sending the part', async () => {
    const data = randomData(5 * MiB + 100);
    const chunks = splitParts(data, 5 * MiB);
    const upload = await start('size-mismatch.bin', data.length);
    const etags = await sendParts(upload, [chunks[0]!, randomData(200)]);
    const tooBig = await customer.complete(upload, partList(etags));
    expect(tooBig.status).toBe(409);
    expect(tooBig.body.error).toMatchObject({ code: 'size_mismatch' });
    expect(tooBig.body.error.message).toMatch(/more than/);
    expect(await stillInProgress(upload)).toBe(true);

    // A non-last part under 5 MiB is refused before S3 would be asked.
    const small = await start('small-part.bin', 2 * MiB);
    const smallEtags = await sendParts(small, splitParts(randomData(2 * MiB), MiB));
    const tooSmall = await customer.complete(small, partList(smallEtags));
    expect(tooSmall.status).toBe(409);
    expect(tooSmall.body.error.code).toBe('part_too_small');
    expect((await customer.abort(small)).status).toBe(200);

    for (const [n, etag] of await sendParts(upload, chunks, [2])) etags.set(n, etag);
    const done = await customer.complete(upload, partList(etags));
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(await objectSha256(s3, portal.bucket, upload.key)).toEqual({ sha256: sha256(data), size: data.length });
  });

  it('lists more than 1,000 parts (ListParts pages) and checks every one of them at completion', async () => {
    const count = 1001;
    const upload = await start('many-parts.bin', count);
    const numbers = Array.from({ length: count }, (_, i) => i + 1);
    const urls: Record<string, string> = {};
    for (let i = 0; i < count; i += 100) {
      const batch = await customer.signBatch(upload, numbers.slice(i, i + 100));
      expect(batch.status).toBe(200);
      Object.assign(urls, batch.body.presignedUrls);
    }
    expect((await customer.signBatch(upload, numbers.slice(0, 101))).status).toBe(400); // at most 100 a batch
    const etags = new Map<number, string>();
    // One byte a part: S3 takes them (only completion needs 5 MiB parts); 16 at a time.
    for (let i = 0; i < count; i += 16) {
      await Promise.all(numbers.slice(i, i + 16).map(async (n) => etags.set(n, await putPart(urls[String(n)]!, Buffer.from([n % 256])))));
    }
    const listed = await customer.listParts(upload);
    expect(listed.status).toBe(200);
    expect(listed.body.map((p: { PartNumber: number }) => p.PartNumber)).toEqual(numbers);
    expect(listed.body[1000]).toEqual({ PartNumber: 1001, Size: 1, ETag: etags.get(1001) });
    const refused = await customer.complete(upload, partList(etags));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('part_too_small');
    expect((await customer.abort(upload)).status).toBe(200);
  });

  it("enforces the endpoint's size and type limits when an upload starts", async () => {
    const created = await createEndpoint(admin, { name: 'acme-limits', customerEmail: 'ops@acme-limits.example', maxFileSizeBytes: MiB, allowedExtensions: ['pdf', 'tar.gz'] });
    const limited = new CompanionClient(await signedInCustomer(portal, created.login));
    const tooBig = await limited.create('big.pdf', MiB + 1);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('file_too_large');
    expect((await limited.params('big.pdf', MiB + 1)).status).toBe(413);
    const wrongType = await limited.create('setup.exe', 100);
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.code).toBe('extension_not_allowed');
    expect((await limited.params('setup.exe', 100)).status).toBe(400);
    expect((await limited.uploadSmall('ok.tar.gz', randomData(100))).key).toBe('uploads/acme-limits/ok.tar.gz');
    // A presigned POST without a declared size is still bounded by the limit.
    const undeclared = await limited.params('undeclared.pdf', undefined);
    expect(undeclared.status).toBe(200);
    expect(await postForm(undeclared.body, randomData(MiB + 1))).toBe(400);
    expect(await listKeys(s3, portal.bucket, 'uploads/acme-limits/undeclared')).toEqual([]);
  });

  it('aborts: no multipart upload is left behind and the upload id is gone', async () => {
    const upload = await start('abandoned.bin', 6 * MiB);
    await sendParts(upload, [randomData(5 * MiB)], [1]);
    expect(await stillInProgress(upload)).toBe(true);
    const aborted = await customer.abort(upload);
    expect(aborted.status).toBe(200);
    expect(aborted.body).toEqual({});
    expect(await incompleteUploads(s3, portal.bucket, upload.key)).toEqual([]);
    expect((await customer.listParts(upload)).status).toBe(404);
    const late = await customer.complete(upload, [{ PartNumber: 1, ETag: '"x"' }]);
    expect(late.status).toBe(404);
    expect(late.body.error.code).toBe('no_such_upload');
    expect(await listKeys(s3, portal.bucket, upload.key)).toEqual([]);
  });

  it('sends a small file with the presigned POST of /api/s3/params, bounded to the declared size', async () => {
    const data = randomData(4321);
    const params = await customer.params('notes.txt', data.length, 'text/plain');
    expect(params.status).toBe(200);
    expect(params.body).toMatchObject({ method: 'POST', fields: { key: `${PREFIX}notes.txt`, 'Content-Type': 'text/plain' } });
    const policy = JSON.parse(Buffer.from(params.body.fields.Policy!, 'base64').toString('utf8')) as { conditions: unknown[] };
    expect(policy.conditions).toContainEqual(['content-length-range', data.length, data.length]);

    // One byte more than declared: S3 refuses it and nothing is stored.
    expect(await postForm(params.body, Buffer.concat([data, Buffer.from('!')]))).toBe(400);
    expect(await listKeys(s3, portal.bucket, `${PREFIX}notes.txt`)).toEqual([]);

    expect(await postForm(params.body, data)).toBeLessThan(300);
    expect(await objectSha256(s3, portal.bucket, `${PREFIX}notes.txt`)).toEqual({ sha256: sha256(data), size: data.length });
    const head = await headObject(s3, portal.bucket, `${PREFIX}notes.txt`);
    expect(head.ContentType).toBe('text/plain');
    expect(head.Metadata).toMatchObject({ 'original-name': 'notes.txt', 'uploaded-by': encodeURIComponent(CUSTOMER) });
  });

  it('answers 403 to the customer of a disabled endpoint, and its login can no longer sign in', async () => {
    const created = await createEndpoint(admin, { name: 'acme-disabled', customerEmail: 'ops@acme-disabled.example' });
    const blocked = new CompanionClient(await signedInCustomer(portal, created.login));
    const patched = await admin.call('PATCH', '/admin/api/endpoints/acme-disabled', { disabled: true });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);

    for (const response of [await blocked.api.get('/api/me'), await blocked.create('late.bin', 10 * MiB), await blocked.params('late.txt', 10)]) {
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('endpoint_disabled');
    }
    // Cognito disabled the login too: a new sign-in is refused at the hosted UI.
    const again = new BrowserClient();
    await signInCustomer(again, portal, created.login.email, NEW_PASSWORD);
    expect(again.cookies().has('PortalSession-0')).toBe(false);
  });
});
