// Completion, list parts and abort through the API: verified against what S3 holds, never replacing an
// object, never aborting on a failed check (the upload stays resumable).
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, ListPartsCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { reservationKey } from '../../../lambdas/shared/upload-reservation.js';
import { s3Error } from './fake-bucket.js';
import { GiB, MiB } from '../../../contract/limits.js';
import { useHarness, createViaApi, endpointRecord, type CallResult } from './harness.js';

const h = useHarness();

/** Creates an upload of `sizes.reduce(+)` declared bytes and stores parts of these sizes; returns the client's part list. */
async function uploadWithParts(name: string, sizes: number[], declared = sizes.reduce((a, b) => a + b, 0), token = h.customer()) {
  const created = await createViaApi(h, name, declared, {}, token);
  expect(created.status).toBe(200);
  const { key, uploadId } = created.body;
  const parts = sizes.map((size, i) => ({ PartNumber: i + 1, ETag: h.bucket.putPart(uploadId, i + 1, size) }));
  return { key, uploadId, parts };
}

const complete = (key: string, uploadId: string, parts: unknown[], token = h.customer()) =>
  h.call('POST', `/api/s3/multipart/${encodeURIComponent(uploadId)}/complete`, { token, query: { key }, body: { parts } });

describe('complete', () => {
  it('completes a sizeless (stock Companion) upload once the part checks pass', async () => {
    const created = await h.call('POST', '/api/s3/multipart', { token: h.customer(), body: { filename: 'stock.bin', metadata: {} } });
    const { key, uploadId } = created.body;
    const parts = [5 * MiB, 7].map((size, i) => ({ PartNumber: i + 1, ETag: h.bucket.putPart(uploadId, i + 1, size) }));
    expect((await complete(key, uploadId, [parts[1]])).body.error.code).toBe('parts_not_contiguous');
    const done = await complete(key, uploadId, parts);
    expect(done.status).toBe(200);
    expect(h.bucket.objects.get(key)!.size).toBe(5 * MiB + 7);
  });

  it('completes a verified upload with If-None-Match: * and answers {location, key, checksum}', async () => {
    const { key, uploadId, parts } = await uploadWithParts('video.mp4', [16 * MiB, 16 * MiB, 3]);
    const result = await complete(key, uploadId, parts);
    expect(result.status).toBe(200);
    // Not checksummed (a stock client's upload): S3 reported no checksum, and none is claimed.
    expect(result.body).toEqual({ key, location: expect.stringContaining('video.mp4'), checksum: null });
    expect(h.bucket.objects.get(key)!.size).toBe(32 * MiB + 3);
    const call = h.s3Mock.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input;
    expect(call.IfNoneMatch).toBe('*');
    expect(call.MultipartUpload!.Parts).toEqual(parts);
    expect(h.metrics.get('UploadsCompleted')).toBe(1);
    expect(h.metrics.get('BytesCompleted')).toBe(32 * MiB + 3);
  });

  it('accepts the part list in any order and ETags with or without quotes', async () => {
    const { key, uploadId, parts } = await uploadWithParts('order.bin', [5 * MiB, 5 * MiB, 1]);
    const shuffled = [parts[2]!, { ...parts[0]!, ETag: parts[0]!.ETag.replace(/"/g, '') }, parts[1]!];
    expect((await complete(key, uploadId, shuffled)).status).toBe(200);
  });

  it('accepts a single-part upload smaller than 5 MiB', async () => {
    const { key, uploadId, parts } = await uploadWithParts('tiny.txt', [10]);
    expect((await complete(key, uploadId, parts)).status).toBe(200);
  });

  const failures: Array<[string, () => Promise<CallResult & { uploadId: string; key: string }>, number, string, RegExp]> = [
    ['a part list with a gap', async () => {
      const u = await uploadWithParts('gap.bin', [5 * MiB, 5 * MiB, 5 * MiB]);
      return { ...(await complete(u.key, u.uploadId, [u.parts[0], u.parts[2]])), ...u };
    }, 400, 'parts_not_contiguous', /missing 2/],
    ['a part list not starting at 1', async () => {
      const u = await uploadWithParts('from2.bin', [5 * MiB, 5 * MiB]);
      return { ...(await complete(u.key, u.uploadId, [u.parts[1]])), ...u };
    }, 400, 'parts_not_contiguous', /missing 1/],
    ['a repeated part', async () => {
      const u = await uploadWithParts('dup.bin', [5 * MiB, 5 * MiB]);
      return { ...(await complete(u.key, u.uploadId, [u.parts[0], u.parts[0], u.parts[1]])), ...u };
    }, 400, 'duplicate_part', /Part 1/],
    ['completion sent before every part is stored (truncation)', async () => {
      const u = await uploadWithParts('early.bin', [5 * MiB, 5 * MiB]);
      const list = [...u.parts, { PartNumber: 3, ETag: '"not-yet"' }];
      return { ...(await complete(u.key, u.uploadId, list)), ...u };
    }, 409, 'parts_missing', /part 3/],
    ['S3 holding parts beyond the list', async () => {
      const u = await uploadWithParts('extra.bin', [5 * MiB, 5 * MiB, 5 * MiB], 10 * MiB);
      return { ...(await complete(u.key, u.uploadId, u.parts.slice(0, 2))), ...u };
    }, 409, 'unexpected_parts', /part 3/],
    ['an ETag that differs from the stored part', async () => {
      const u = await uploadWithParts('etag.bin', [5 * MiB, 5 * MiB]);
      return { ...(await complete(u.key, u.uploadId, [u.parts[0], { PartNumber: 2, ETag: '"stale"' }])), ...u };
    }, 409, 'etag_mismatch', /part 2/],
    ['a short part before the last', async () => {
      const u = await uploadWithParts('short.bin', [5 * MiB, 5 * MiB - 1, 5 * MiB]);
      return { ...(await complete(u.key, u.uploadId, u.parts)), ...u };
    }, 409, 'part_too_small', /Part 2/],
    ['fewer bytes than declared', async () => {
      const u = await uploadWithParts('less.bin', [5 * MiB, 100], 5 * MiB + 101);
      return { ...(await complete(u.key, u.uploadId, u.parts)), ...u };
    }, 409, 'size_mismatch', /fewer than the 5242981 declared/],
    ['more bytes than declared', async () => {
      const u = await uploadWithParts('more.bin', [5 * MiB, 100], 5 * MiB + 99);
      return { ...(await complete(u.key, u.uploadId, u.parts)), ...u };
    }, 409, 'size_mismatch', /more than/],
  ];

  it.each(failures)('refuses %s with %i %s and leaves the upload resumable', async (_label, run, status, code, message) => {
    const result = await run();
    expect(result.status).toBe(status);
    expect(result.body.error.code).toBe(code);
    expect(result.body.error.message).toMatch(message);
    expect(h.s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
    expect(h.s3Mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0);
    expect(h.bucket.uploads.has(result.uploadId)).toBe(true);
    expect(h.bucket.objects.has(result.key)).toBe(false);
  });

  it('after a refusal, the client can upload the missing part and complete', async () => {
    const u = await uploadWithParts('resume.bin', [5 * MiB, 5 * MiB], 10 * MiB + 7);
    expect((await complete(u.key, u.uploadId, u.parts)).body.error.code).toBe('size_mismatch');
    const etag = h.bucket.putPart(u.uploadId, 3, 7);
    expect((await complete(u.key, u.uploadId, [...u.parts, { PartNumber: 3, ETag: etag }])).status).toBe(200);
  });

  it('verifies past 1,000 parts, following ListParts pages with PartNumberMarker', async () => {
    const sizes = Array.from({ length: 2345 }, () => 5 * MiB);
    const u = await uploadWithParts('huge.bin', sizes);
    const result = await complete(u.key, u.uploadId, u.parts);
    expect(result.status).toBe(200);
    const markers = h.s3Mock.commandCalls(ListPartsCommand).map((c) => c.args[0].input.PartNumberMarker);
    expect(markers).toEqual([undefined, '1000', '2000']);
    expect(h.s3Mock.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input.MultipartUpload!.Parts).toHaveLength(2345);
  });

  it('notices a part missing on the third ListParts page', async () => {
    const sizes = Array.from({ length: 2100 }, () => 5 * MiB);
    const u = await uploadWithParts('hole.bin', sizes);
    h.bucket.uploads.get(u.uploadId)!.parts.delete(2050);
    const result = await complete(u.key, u.uploadId, u.parts);
    expect(result).toMatchObject({ status: 409, body: { error: { code: 'parts_missing', message: expect.stringContaining('2050') } } });
  });

  it('refuses (413) parts holding more than the bound a sizeless upload was admitted with, even under a raised quota, and keeps the upload', async () => {
    h.bucket.putEndpoint(endpointRecord('bounded', { quotaBytes: 12 * GiB }));
    const token = h.customer('bounded');
    const created = await h.call('POST', '/api/s3/multipart', { token, body: { filename: 'stock.bin', metadata: {} } });
    expect(created.status).toBe(200);
    const { key, uploadId } = created.body;
    // More than S3 lets two length-free part URLs stage: the check stands behind that limit.
    const parts = [7 * GiB, 6 * GiB].map((size, i) => ({ PartNumber: i + 1, ETag: h.bucket.putPart(uploadId, i + 1, size) }));
    h.bucket.putEndpoint(endpointRecord('bounded', { quotaBytes: 100 * GiB }));
    const result = await complete(key, uploadId, parts, token);
    expect(result).toMatchObject({ status: 413, body: { error: { code: 'quota_exceeded', message: expect.stringContaining('admitted with') } } });
    expect(h.bucket.uploads.has(uploadId)).toBe(true);
    expect(h.bucket.objects.has(key)).toBe(false);
  });

  it("checks the endpoint's limits again against the real size at completion", async () => {
    h.bucket.putEndpoint(endpointRecord('tight'));
    const token = h.customer('tight');
    const u = await uploadWithParts('grow.pdf', [5 * MiB, 5 * MiB], 10 * MiB, token);
    // The admin lowers the limit while the upload runs.
    h.bucket.putEndpoint(endpointRecord('tight', { maxFileSizeBytes: 6 * MiB }));
    const result = await complete(u.key, u.uploadId, u.parts, token);
    expect(result).toMatchObject({ status: 413, body: { error: { code: 'file_too_large' } } });
    h.bucket.putEndpoint(endpointRecord('tight', { allowedExtensions: ['zip'] }));
    expect((await complete(u.key, u.uploadId, u.parts, token)).body.error.code).toBe('extension_not_allowed');
    expect(h.bucket.uploads.has(u.uploadId)).toBe(true);
  });

  it('answers 409 object_exists when a file took the key meanwhile (412 from S3), replacing nothing and keeping the upload', async () => {
    const u = await uploadWithParts('taken.pdf', [10]);
    h.bucket.putObject(u.key, 'someone else');
    const result = await complete(u.key, u.uploadId, u.parts);
    expect(result).toMatchObject({ status: 409, body: { error: { code: 'object_exists' } } });
    expect(h.bucket.objects.get(u.key)!.body).toBe('someone else');
    expect(h.bucket.uploads.has(u.uploadId)).toBe(true);
    expect(h.s3Mock.commandCalls(AbortMultipartUploadCommand)).toHaveLength(0);
  });

  it('maps S3 conflicts during completion to 409s', async () => {
    const u = await uploadWithParts('conflict.pdf', [10]);
    for (const [name, status, code] of [['ConditionalRequestConflict', 409, 'complete_in_progress'], ['InvalidPart', 400, 'parts_changed']] as const) {
      h.s3Mock.on(CompleteMultipartUploadCommand).rejects(s3Error(name, status));
      expect((await complete(u.key, u.uploadId, u.parts)).body.error.code).toBe(code);
    }
    h.bucket.install(h.s3Mock);
    expect(h.bucket.uploads.has(u.uploadId)).toBe(true);
  });

  it('answers 409 upload_unverifiable for an upload whose declared size was never recorded', async () => {
    const key = 'uploads/acme/outside.bin';
    const uploadId = h.bucket.startUpload(key);
    const etag = h.bucket.putPart(uploadId, 1, 10);
    const result = await complete(key, uploadId, [{ PartNumber: 1, ETag: etag }]);
    expect(result).toMatchObject({ status: 409, body: { error: { code: 'upload_unverifiable' } } });
    // A reservation for another key under the same name is not accepted either.
    h.bucket.putObject(reservationKey('acme', key), JSON.stringify({ version: 1, key: 'uploads/acme/other.bin', kind: 'multipart', declaredSize: 10 }));
    expect((await complete(key, uploadId, [{ PartNumber: 1, ETag: etag }])).body.error.code).toBe('upload_unverifiable');
  });

  it('answers a repeated complete whose first answer was lost as the first was answered, when the object is what the parts make', async () => {
    const { key, uploadId, parts } = await uploadWithParts('lost-answer.bin', [5 * MiB, 9]);
    expect((await complete(key, uploadId, parts)).status).toBe(200);
    const again = await complete(key, uploadId, [...parts].reverse());
    expect(again).toMatchObject({ status: 200, body: { key, location: null } });
    expect(h.s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(1);
    expect(h.metrics.get('UploadsCompleted')).toBe(1); // counted once
    expect(h.bucket.objects.get(key)!.size).toBe(5 * MiB + 9);
  });

  it('still answers 404 no_such_upload when the stored object is not what the sent parts make', async () => {
    const { key, uploadId, parts } = await uploadWithParts('other-parts.bin', [5 * MiB, 9]);
    expect((await complete(key, uploadId, parts)).status).toBe(200);
    const forged = [parts[0]!, { PartNumber: 2, ETag: '"0123456789abcdef0123456789abcdef"' }];
    expect(await complete(key, uploadId, forged)).toMatchObject({ status: 404, body: { error: { code: 'no_such_upload' } } });
    expect(await complete(key, uploadId, parts.slice(0, 1))).toMatchObject({ status: 404, body: { error: { code: 'no_such_upload' } } });
  });

  it('answers both of two simultaneous completes of one upload with the one stored object', async () => {
    const { key, uploadId, parts } = await uploadWithParts('twice.bin', [5 * MiB, 5 * MiB, 1]);
    const [first, second] = await Promise.all([complete(key, uploadId, parts), complete(key, uploadId, parts)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.body.key, second.body.key]).toEqual([key, key]);
    expect(h.s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(2); // the second met NoSuchUpload
    expect(h.metrics.get('UploadsCompleted')).toBe(1);
  });

  it('answers 404 for an upload that does not exist (or belongs to another key)', async () => {
    const u = await uploadWithParts('real.pdf', [10]);
    const result = await complete('uploads/acme/other.pdf', u.uploadId, u.parts);
    expect(result).toMatchObject({ status: 404, body: { error: { code: 'no_such_upload' } } });
  });

  it.each([
    [{}, 'invalid_parts'],
    [{ parts: [] }, 'invalid_parts'],
    [{ parts: 'all' }, 'invalid_parts'],
    [{ parts: [{ PartNumber: 0, ETag: '"a"' }] }, 'invalid_part_number'],
    [{ parts: [{ PartNumber: 10001, ETag: '"a"' }] }, 'invalid_part_number'],
    [{ parts: [{ PartNumber: '1', ETag: '"a"' }] }, 'invalid_part_number'],
    [{ parts: [{ PartNumber: 1.5, ETag: '"a"' }] }, 'invalid_part_number'],
    [{ parts: [{ PartNumber: 1 }] }, 'invalid_parts'],
    [{ parts: [null] }, 'invalid_part_number'],
  ])('refuses the body %j with 400 %s before calling S3', async (body, code) => {
    const result = await h.call('POST', '/api/s3/multipart/u1/complete', { token: h.customer(), query: { key: 'uploads/acme/a.pdf' }, body });
    expect(result).toMatchObject({ status: 400, body: { error: { code } } });
    expect(h.s3Mock.commandCalls(ListPartsCommand)).toHaveLength(0);
  });

  it('lets an admin complete an upload in an endpoint it started it in', async () => {
    const created = await createViaApi(h, 'admin.pdf', 10, { endpoint: 'globex' }, h.admin());
    const etag = h.bucket.putPart(created.body.uploadId, 1, 10);
    const result = await complete(created.body.key, created.body.uploadId, [{ PartNumber: 1, ETag: etag }], h.admin());
    expect(result).toMatchObject({ status: 200, body: { key: 'uploads/globex/admin.pdf' } });
    expect(created.body.key).toBe('uploads/globex/admin.pdf');
  });
});

describe('list parts', () => {
  it('answers every part as [{PartNumber, Size, ETag}], past 1,000', async () => {
    const u = await uploadWithParts('listed.bin', Array.from({ length: 1500 }, () => 5 * MiB));
    const result = await h.call('GET', `/api/s3/multipart/${u.uploadId}`, { token: h.customer(), query: { key: u.key } });
    expect(result.status).toBe(200);
    expect(result.body).toHaveLength(1500);
    expect(result.body[1499]).toEqual({ PartNumber: 1500, Size: 5 * MiB, ETag: u.parts[1499]!.ETag });
    expect(Object.keys(result.body[0]).sort()).toEqual(['ETag', 'PartNumber', 'Size']);
  });

  it('answers [] for an upload without parts and 404 for an unknown upload', async () => {
    const created = await createViaApi(h, 'empty.bin', 10);
    const empty = await h.call('GET', `/api/s3/multipart/${created.body.uploadId}`, { token: h.customer(), query: { key: created.body.key } });
    expect(empty).toEqual({ status: 200, body: [] });
    const missing = await h.call('GET', '/api/s3/multipart/nope', { token: h.customer(), query: { key: created.body.key } });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'no_such_upload' } } });
  });
});

describe('abort', () => {
  it('aborts the upload and answers {}', async () => {
    const created = await createViaApi(h, 'cancel.bin', 10);
    const result = await h.call('DELETE', `/api/s3/multipart/${created.body.uploadId}`, { token: h.customer(), query: { key: created.body.key } });
    expect(result).toEqual({ status: 200, body: {} });
    expect(h.bucket.uploads.has(created.body.uploadId)).toBe(false);
    expect(h.metrics.get('UploadsAborted')).toBe(1);
  });

  it('answers 404 for an upload that is already gone', async () => {
    const result = await h.call('DELETE', '/api/s3/multipart/gone', { token: h.customer(), query: { key: 'uploads/acme/cancel.bin' } });
    expect(result).toMatchObject({ status: 404, body: { error: { code: 'no_such_upload' } } });
    expect(h.metrics.get('UploadsAborted')).toBeUndefined();
  });
});
