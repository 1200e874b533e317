// The uploads Lambda against the real local S3 server and cognito-local, through the ALB-like
// gateway: an admin creates an endpoint, its customer signs in (temporary password, then a new one)
// and drives the Companion S3 protocol by hand, PUTting parts straight to the presigned S3 URLs: as a
// stock Companion client (no checksums) and as the portal's page does (every part and the whole file
// checksummed with CRC64NVME, computed here with the AWS SDK's own implementation as the oracle).
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartToSign } from '../../../contract/api/uploads.js';
import { AUDIT_ALL_PREFIX, AUDIT_ENDPOINT_PREFIX } from '../../../contract/audit-keys.js';
import { AUDIT_PREFIX } from '../../../contract/bucket-layout.js';
import { auditTrail } from '../../support/audit.js';
import { BrowserClient, signInCustomer, SMALL_PARTS, startTestPortal, type TestPortal } from '../../support/local-portal.js';
import {
  bucketClient,
  CompanionClient,
  crc64nvme,
  createEndpoint,
  headObject,
  incompleteUploads,
  listKeys,
  MiB,
  NEW_PASSWORD,
  objectSha256,
  partHeaders,
  partsToSign,
  PortalApi,
  putPart,
  putSmall,
  randomData,
  sendPut,
  sha256,
  signedInAdmin,
  signedInCustomer,
  splitParts,
  type Upload,
} from '../../support/portal-api.js';

const ENDPOINT = 'acme-uploads';
const CUSTOMER = 'ops@acme-uploads.example';
const PREFIX = `uploads/${ENDPOINT}/`;

let portal: TestPortal;
let admin: PortalApi;
let customer: CompanionClient;
let s3: S3Client;

beforeAll(async () => {
  portal = await startTestPortal(SMALL_PARTS);
  admin = await signedInAdmin(portal);
  const created = await createEndpoint(admin, { name: ENDPOINT, customerEmail: CUSTOMER });
  customer = new CompanionClient(await signedInCustomer(portal, created.login));
  s3 = bucketClient(portal);
});
afterAll(async () => {
  s3?.destroy();
  await portal?.stop();
});

/** Creates an upload of `size` declared bytes (as a stock client, or as the page with checksums), failing the test on anything but 200. */
async function start(filename: string, size: number, checksummed = false): Promise<Upload> {
  const created = await customer.create(filename, size, { checksummed });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  return created.body;
}

/** A stock client: signs each part alone (the plain protocol) and PUTs it; returns the ETags by number. */
async function sendPlainParts(upload: Upload, chunks: Buffer[], numbers = chunks.map((_, i) => i + 1)): Promise<Map<number, string>> {
  const etags = new Map<number, string>();
  await Promise.all(
    numbers.map(async (n) => {
      const signed = await customer.signPart(upload, n);
      expect(signed.status, JSON.stringify(signed.body)).toBe(200);
      etags.set(n, await putPart(signed.body.url, chunks[n - 1]!));
    }),
  );
  return etags;
}

/** The page: batch-signs the parts with their sizes and checksums and PUTs each with its checksum headers. */
async function sendSummedParts(upload: Upload, chunks: Buffer[], numbers = chunks.map((_, i) => i + 1)): Promise<Map<number, string>> {
  const toSign = await partsToSign(chunks, numbers);
  const signed = await customer.signBatch(upload, toSign);
  expect(signed.status, JSON.stringify(signed.body)).toBe(200);
  const etags = new Map<number, string>();
  await Promise.all(toSign.map(async (p) => etags.set(p.partNumber, await putPart(signed.body.presignedUrls[String(p.partNumber)]!, chunks[p.partNumber - 1]!, partHeaders(p.checksum)))));
  return etags;
}

const partList = (etags: Map<number, string>) => [...etags].sort(([a], [b]) => a - b).map(([PartNumber, ETag]) => ({ PartNumber, ETag }));

async function stillInProgress(upload: Upload): Promise<boolean> {
  return (await incompleteUploads(s3, portal.bucket, upload.key)).some((u) => u.uploadId === upload.uploadId);
}

const hexOf = (base64: string) => Buffer.from(base64, 'base64').toString('hex');

describe('uploads Lambda: the Companion S3 protocol against the local S3 server', () => {
  it('tells the signed-in customer its endpoint and upload settings (/api/me)', async () => {
    const me = await customer.api.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { email: CUSTOMER, kind: 'customer' }, endpoint: { name: ENDPOINT }, upload: { maxPartsPerBatch: 100, checksumAlgorithm: 'CRC64NVME' } });
  });

  it('stores a file a stock client sends in parts byte for byte, with its original name, uploader and declared size', async () => {
    const data = randomData(10 * MiB + 12_345);
    const chunks = splitParts(data, 5 * MiB);
    const upload = await start('Quarterly report é.bin', data.length);
    expect(upload.key).toBe(`${PREFIX}Quarterly report é.bin`);

    // Plain part URLs: no checksum parameters a stock client could not satisfy.
    const single = await customer.signPart(upload, 1);
    expect(single.status).toBe(200);
    const params = [...new URL(single.body.url).searchParams.keys()].map((k) => k.toLowerCase());
    expect(params.filter((k) => k.includes('checksum'))).toEqual([]);
    expect(single.body.url.startsWith(portal.s3Url)).toBe(true);
    const etags = await sendPlainParts(upload, chunks);

    const listed = await customer.listParts(upload);
    expect(listed.status).toBe(200);
    expect(listed.body.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([
      [1, 5 * MiB, etags.get(1)],
      [2, 5 * MiB, etags.get(2)],
      [3, 12_345, etags.get(3)],
    ]);

    const done = await customer.complete(upload, partList(etags));
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.key).toBe(upload.key);
    expect(done.body.checksum).toBeNull();
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

  it('stores a file the page sends with checksums, and S3 keeps the checksum the page computed (HeadObject with checksum mode)', async () => {
    const data = randomData(10 * MiB + 777);
    const chunks = splitParts(data, 5 * MiB);
    const fileChecksum = await crc64nvme(data);
    const upload = await start('summed report.bin', data.length, true);

    const toSign = await partsToSign(chunks);
    const signed = await customer.signBatch(upload, toSign);
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    for (const url of Object.values(signed.body.presignedUrls)) {
      const parsed = new URL(url);
      expect(parsed.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(expect.arrayContaining(['content-length', 'x-amz-checksum-crc64nvme']));
      expect([...parsed.searchParams.keys()].filter((k) => /^x-amz-(checksum|sdk-checksum)/i.test(k))).toEqual([]);
    }
    const etags = new Map<number, string>();
    for (const p of toSign) etags.set(p.partNumber, await putPart(signed.body.presignedUrls[String(p.partNumber)]!, chunks[p.partNumber - 1]!, partHeaders(p.checksum)));

    // Each part's checksum as S3 verified it, for the page to compare with the file when it resumes.
    const listed = await customer.listParts(upload);
    expect(listed.body.map((p) => [p.PartNumber, p.ChecksumCRC64NVME])).toEqual(toSign.map((p) => [p.partNumber, p.checksum]));

    const done = await customer.complete(upload, partList(etags), fileChecksum);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.checksum).toEqual({ algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: fileChecksum, hex: hexOf(fileChecksum) });
    expect(await objectSha256(s3, portal.bucket, upload.key)).toEqual({ sha256: sha256(data), size: data.length });
    const head = await headObject(s3, portal.bucket, upload.key, true);
    expect(head.ChecksumCRC64NVME).toBe(fileChecksum);
    expect(head.ChecksumType).toBe('FULL_OBJECT');

    // The answer lost and the completion sent again: the file is stored, but S3 did not check this
    // call's checksum, so none is answered (even a wrong one gets no receipt).
    const again = await customer.complete(upload, partList(etags), fileChecksum);
    expect(again).toMatchObject({ status: 200, body: { key: upload.key, checksum: null } });
    const forged = await customer.complete(upload, partList(etags), 'AAAAAAAAAAA=');
    expect(forged).toMatchObject({ status: 200, body: { key: upload.key, checksum: null } });
  });

  it('refuses a sign request whose checksum has the wrong length or alphabet (400), and a checksummed upload on the plain one-part call', async () => {
    const upload = await start('bad-sums.bin', 10 * MiB, true);
    const good: PartToSign = { partNumber: 1, size: 5 * MiB, checksum: await crc64nvme(randomData(10)) };
    for (const checksum of [good.checksum.slice(0, -2) + '=', `${good.checksum}=`, 'AAAAAAAAAA_=', 'AAAAAAAAAA-=', '00112233445566778899']) {
      const refused = await customer.signBatch(upload, [{ ...good, checksum }]);
      expect(refused.status, checksum).toBe(400);
      expect(refused.body.error.code, checksum).toBe('invalid_checksum');
    }
    expect((await customer.signBatch(upload, [good])).status).toBe(200);
    const plain = await customer.signPart(upload, 1);
    expect(plain.status).toBe(400);
    expect(plain.body.error.code).toBe('checksum_required');
    expect((await customer.abort(upload)).status).toBe(200);
  });

  it("lets S3 store exactly the signed part: other bytes are BadDigest, another length or a dropped checksum header 403, nothing stored", async () => {
    const data = randomData(5 * MiB + 100);
    const chunks = splitParts(data, 5 * MiB);
    const upload = await start('bound-parts.bin', data.length, true);
    const toSign = await partsToSign(chunks);
    const signed = await customer.signBatch(upload, toSign);
    const url = signed.body.presignedUrls['1']!;
    const headers = partHeaders(toSign[0]!.checksum);

    const flipped = Buffer.from(chunks[0]!);
    flipped[12345] = flipped[12345]! ^ 0xff;
    const altered = await sendPut(url, flipped, headers);
    expect(altered.status).toBe(400);
    expect(altered.text).toContain('<Code>BadDigest</Code>');
    const longer = await sendPut(url, Buffer.concat([chunks[0]!, Buffer.from('!')]), headers);
    expect(longer.status).toBe(403);
    expect(longer.text).toContain('SignatureDoesNotMatch');
    const unsummed = await sendPut(url, chunks[0]!, { 'x-amz-sdk-checksum-algorithm': 'CRC64NVME' });
    expect(unsummed.status).toBe(403);
    expect((await customer.listParts(upload)).body).toEqual([]);

    // The right bytes with the right headers are stored, and the file completes.
    const etags = new Map([[1, await putPart(url, chunks[0]!, headers)]]);
    etags.set(2, await putPart(signed.body.presignedUrls['2']!, chunks[1]!, partHeaders(toSign[1]!.checksum)));
    const done = await customer.complete(upload, partList(etags), await crc64nvme(data));
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(await objectSha256(s3, portal.bucket, upload.key)).toEqual({ sha256: sha256(data), size: data.length });
  });

  it("refuses a completion whose whole-file checksum does not match (409 checksum_mismatch): nothing stored, and the upload still completes correctly", async () => {
    const data = randomData(5 * MiB + 4321);
    const chunks = splitParts(data, 5 * MiB);
    const upload = await start('mismatch.bin', data.length, true);
    const etags = await sendSummedParts(upload, chunks);
    // The checksum of another file of the same size, as a mixed-up resume would compute it.
    const wrong = await crc64nvme(randomData(data.length));
    const missing = await customer.complete(upload, partList(etags));
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('checksum_required');
    const refused = await customer.complete(upload, partList(etags), wrong);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('checksum_mismatch');
    expect(await listKeys(s3, portal.bucket, upload.key)).toEqual([]);
    expect(await stillInProgress(upload)).toBe(true);

    const right = await crc64nvme(data);
    const done = await customer.complete(upload, partList(etags), right);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.checksum?.base64).toBe(right);
    expect((await headObject(s3, portal.bucket, upload.key, true)).ChecksumCRC64NVME).toBe(right);
    expect(await objectSha256(s3, portal.bucket, upload.key)).toEqual({ sha256: sha256(data), size: data.length });
  });

  it('stores a file whose parts went to the URLs signed by the create call (parts), which S3 accepts as batch-signed ones', async () => {
    const data = randomData(2 * 5 * MiB + 1234);
    const chunks = splitParts(data, 5 * MiB);
    const toSign = await partsToSign(chunks);
    const created = await customer.create('signed-along.dat', data.length, { checksummed: true, parts: toSign });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const { presignedUrls, ...upload } = created.body;
    expect(Object.keys(presignedUrls ?? {}).sort()).toEqual(['1', '2', '3']);
    const parts = await Promise.all(chunks.map(async (chunk, i) => ({ PartNumber: i + 1, ETag: await putPart(presignedUrls![String(i + 1)]!, chunk, partHeaders(toSign[i]!.checksum)) })));
    const done = await customer.complete(upload, parts, await crc64nvme(data));
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await objectSha256(s3, portal.bucket, upload.key)).sha256).toBe(sha256(data));
  });

  it('refuses a create whose parts are malformed (400) and starts no upload', async () => {
    const good = { partNumber: 1, size: 5 * MiB, checksum: await crc64nvme(randomData(10)) };
    for (const [parts, code] of [
      [[{ ...good, partNumber: 0 }, good], 'invalid_part_number'],
      [[{ ...good, checksum: good.checksum.slice(1) }], 'invalid_checksum'],
      [[{ ...good, size: 0 }], 'invalid_part_size'],
    ] as const) {
      const refused = await customer.create('bad-parts.dat', 10 * MiB, { checksummed: true, parts });
      expect(refused.status).toBe(400);
      expect((refused.body as unknown as { error: { code: string } }).error.code).toBe(code);
    }
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
    const etags = await sendPlainParts(upload, chunks, [1]);

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
    expect(listed.body.map((p) => p.PartNumber)).toEqual([1]);
    for (const [n, etag] of await sendPlainParts(upload, chunks, [2])) etags.set(n, etag);
    const done = await customer.complete(upload, partList(etags));
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await objectSha256(s3, portal.bucket, upload.key)).sha256).toBe(sha256(data));
  });

  it('refuses a wrong ETag (409) and keeps the upload resumable', async () => {
    const data = randomData(5 * MiB + 10);
    const upload = await start('wrong-etag.bin', data.length);
    const etags = await sendPlainParts(upload, splitParts(data, 5 * MiB));
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

  it('refuses a part of another length than its planned one (S3 403), a non-last part under 5 MiB (409), then completes after sending the right part', async () => {
    const data = randomData(5 * MiB + 100);
    const chunks = splitParts(data, 5 * MiB);
    const upload = await start('size-mismatch.bin', data.length);
    const etags = await sendPlainParts(upload, [chunks[0]!]);
    // Part 2 of 5 MiB + 100 bytes is exactly 100 bytes: its URL binds that length, so 200 bytes store nothing.
    const url = (await customer.signPart(upload, 2)).body.url;
    expect((await sendPut(url, randomData(200))).status).toBe(403);
    expect((await customer.listParts(upload)).body.map((p: { PartNumber: number }) => p.PartNumber)).toEqual([1]);
    expect(await stillInProgress(upload)).toBe(true);

    // A non-last part under 5 MiB is refused before S3 would be asked. (A client without a declared
    // size: with one, no part beyond what a valid upload of that size can have is even signed.)
    const small = (await customer.create('small-part.bin', undefined)).body;
    const smallEtags = await sendPlainParts(small, splitParts(randomData(2 * MiB), MiB));
    const tooSmall = await customer.complete(small, partList(smallEtags));
    expect(tooSmall.status).toBe(409);
    expect(tooSmall.body.error.code).toBe('part_too_small');
    expect((await customer.abort(small)).status).toBe(200);

    for (const [n, etag] of await sendPlainParts(upload, chunks, [2])) etags.set(n, etag);
    const done = await customer.complete(upload, partList(etags));
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(await objectSha256(s3, portal.bucket, upload.key)).toEqual({ sha256: sha256(data), size: data.length });
  });

  it('lists more than 1,000 parts (ListParts pages) and checks every one of them at completion', async () => {
    const count = 1001;
    // Declared, 1,001 bytes could have one part only (part-bounds.ts): this client declares no size.
    const created = await customer.create('many-parts.bin', undefined, { checksummed: true });
    expect(created.status).toBe(200);
    const upload = created.body;
    const chunks = Array.from({ length: count }, (_, i) => Buffer.from([i % 256]));
    const toSign = await partsToSign(chunks);
    const urls: Record<string, string> = {};
    for (let i = 0; i < count; i += 100) {
      const batch = await customer.signBatch(upload, toSign.slice(i, i + 100));
      expect(batch.status).toBe(200);
      Object.assign(urls, batch.body.presignedUrls);
    }
    expect((await customer.signBatch(upload, toSign.slice(0, 101))).status).toBe(400); // at most 100 a batch
    const etags = new Map<number, string>();
    // One byte a part: S3 takes them (only completion needs 5 MiB parts); 16 at a time.
    for (let i = 0; i < count; i += 16) {
      await Promise.all(toSign.slice(i, i + 16).map(async (p) => etags.set(p.partNumber, await putPart(urls[String(p.partNumber)]!, chunks[p.partNumber - 1]!, partHeaders(p.checksum)))));
    }
    const listed = await customer.listParts(upload);
    expect(listed.status).toBe(200);
    expect(listed.body.map((p) => p.PartNumber)).toEqual(toSign.map((p) => p.partNumber));
    expect(listed.body[1000]).toEqual({ PartNumber: 1001, Size: 1, ETag: etags.get(1001), ChecksumCRC64NVME: toSign[1000]!.checksum });
    const refused = await customer.complete(upload, partList(etags), await crc64nvme(Buffer.concat(chunks)));
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
    // A small file's URL binds its declared length, and S3 holds the PUT to it; without one it could take
    // a single PUT's 5 GiB, more than this endpoint's 1 MiB, so here it needs one.
    const undeclared = await limited.params('undeclared.pdf', undefined);
    expect(undeclared.status).toBe(400);
    expect(undeclared.body.error.code).toBe('size_required');
    const declared = await limited.params('declared.pdf', 100);
    expect((await putSmall(declared.body, randomData(MiB + 1))).status).toBe(403);
    expect(await listKeys(s3, portal.bucket, 'uploads/acme-limits/declared')).toEqual([]);
  });

  it('aborts: no multipart upload is left behind and the upload id is gone', async () => {
    const upload = await start('abandoned.bin', 6 * MiB);
    await sendPlainParts(upload, [randomData(5 * MiB)], [1]);
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

  it('sends a small file with the presigned PUT of /api/s3/params, bound to its length, type, metadata and checksum', async () => {
    const data = randomData(4321);
    const checksum = await crc64nvme(data);
    const params = await customer.params('notes.txt', data.length, 'text/plain', {}, checksum);
    expect(params.status).toBe(200);
    expect(params.body).toMatchObject({ method: 'PUT', key: `${PREFIX}notes.txt`, expires: 300, headers: { 'content-type': 'text/plain', 'if-none-match': '*', 'x-amz-checksum-crc64nvme': checksum } });

    // One byte more than declared (403), other bytes of the same length (BadDigest), a header left
    // out (403): S3 refuses each and nothing is stored.
    expect((await putSmall(params.body, Buffer.concat([data, Buffer.from('!')]))).status).toBe(403);
    const other = await putSmall(params.body, randomData(data.length));
    expect(other.status).toBe(400);
    expect(other.text).toContain('<Code>BadDigest</Code>');
    const { 'if-none-match': _dropped, ...withoutCondition } = params.body.headers;
    expect((await sendPut(params.body.url, data, withoutCondition)).status).toBe(403);
    expect(await listKeys(s3, portal.bucket, `${PREFIX}notes.txt`)).toEqual([]);

    const stored = await putSmall(params.body, data);
    expect(stored.status).toBe(200);
    expect(stored.headers.get('x-amz-checksum-crc64nvme')).toBe(checksum);
    expect(await objectSha256(s3, portal.bucket, `${PREFIX}notes.txt`)).toEqual({ sha256: sha256(data), size: data.length });
    const head = await headObject(s3, portal.bucket, `${PREFIX}notes.txt`, true);
    expect(head.ContentType).toBe('text/plain');
    expect(head.Metadata).toMatchObject({ 'original-name': 'notes.txt', 'uploaded-by': encodeURIComponent(CUSTOMER), 'declared-size': String(data.length) });
    expect(head.ChecksumCRC64NVME).toBe(checksum);
    expect(head.ChecksumType).toBe('FULL_OBJECT');
  });

  it("records a small file's upload once in the audit trail (upload.completed with the checksum S3 keeps), although S3's event comes twice", async () => {
    const data = randomData(2345);
    const checksum = await crc64nvme(data);
    await portal.events.idle();
    // S3's events for this upload, each delivered twice (EventBridge delivers at least once).
    portal.events.hold();
    let key: string;
    try {
      key = (await customer.uploadSmall('audited.txt', data)).key;
      await new Promise((resolve) => setTimeout(resolve, 50)); // the S3 server hands events over after each request
    } finally {
      portal.events.release((events) => events.flatMap((event) => [event, event]));
    }
    await portal.events.idle();
    expect(portal.events.deadLetters).toEqual([]);
    const trail = await auditTrail(admin, { endpoint: ENDPOINT });
    const stored = await headObject(s3, portal.bucket, key);
    expect(trail.filter((e) => e.target === key)).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{16}$/),
        at: stored.LastModified!.toISOString(),
        action: 'upload.completed',
        actor: { subject: '', email: CUSTOMER },
        endpoint: ENDPOINT,
        target: key,
        details: { size: data.length, checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: checksum, hex: Buffer.from(checksum, 'base64').toString('hex') }, etag: stored.ETag!.replace(/"/g, ''), upload: 'single PUT' },
        sourceIp: expect.stringMatching(/^(127\.0\.0\.1|::1)$/),
        requestId: expect.any(String),
      },
    ]);
    // One object per stream in the bucket: the second delivery found them stored.
    const id = trail.find((e) => e.target === key)!.id;
    const copies = (await listKeys(s3, portal.bucket, AUDIT_PREFIX)).filter((k) => k.endsWith(`-${id}.json`));
    expect(copies.map((k) => k.replace(/\d{13}-[0-9a-f]{16}\.json$/, ''))).toEqual([AUDIT_ALL_PREFIX, `${AUDIT_ENDPOINT_PREFIX}${ENDPOINT}/`]);
  });

  it("lets the portal's page send what the URLs bind (CORS preflight with the bucket's rule) and read S3's checksum", async () => {
    const data = randomData(100);
    const checksum = await crc64nvme(data);
    const params = await customer.params('cors.txt', data.length, 'text/plain', {}, checksum);
    const origin = new URL(portal.url).origin;
    const preflight = await fetch(params.body.url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': Object.keys(params.body.headers).join(',') },
    });
    expect(preflight.status).toBe(200);
    const allowed = (preflight.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(Object.keys(params.body.headers)));
    const stored = await sendPut(params.body.url, data, { ...params.body.headers, origin });
    expect(stored.status).toBe(200);
    expect(stored.headers.get('access-control-allow-origin')).toBe(origin);
    const exposed = (stored.headers.get('access-control-expose-headers') ?? '').toLowerCase().split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['etag', 'x-amz-checksum-crc64nvme', 'x-amz-checksum-type']));
  });

  it('answers a small-file URL replayed after the upload, or used for a key that exists, with 412, changing nothing', async () => {
    const data = randomData(1000);
    const params = await customer.params('once.txt', data.length, 'text/plain', {}, await crc64nvme(data));
    expect((await putSmall(params.body, data)).status).toBe(200);
    const before = await headObject(s3, portal.bucket, params.body.key!);
    const replayed = await putSmall(params.body, data);
    expect(replayed.status).toBe(412);
    expect(replayed.text).toContain('PreconditionFailed');
    const after = await headObject(s3, portal.bucket, params.body.key!);
    expect([after.ETag, after.LastModified]).toEqual([before.ETag, before.LastModified]);

    // A file stored at the key after the URL was handed out (behind the portal's back) is never replaced.
    const plain = await customer.params('taken.txt', 4, 'text/plain');
    expect(plain.status).toBe(200);
    expect(plain.body.headers['x-amz-checksum-crc64nvme']).toBeUndefined();
    await s3.send(new PutObjectCommand({ Bucket: portal.bucket, Key: plain.body.key!, Body: 'mine' }));
    const late = await putSmall(plain.body, Buffer.from('east'));
    expect(late.status).toBe(412);
    expect(await objectSha256(s3, portal.bucket, plain.body.key!)).toEqual({ sha256: sha256(Buffer.from('mine')), size: 4 });
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
