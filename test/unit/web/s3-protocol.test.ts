import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PartToSign } from '../../../contract/api/uploads.js';
import { ApiError } from '../../../web/src/shared/api-client.js';
import { PartUrlBatcher } from '../../../web/src/shared/part-url-batcher.js';
import {
  createBatchFetcher,
  createS3Protocol,
  isRetryableCompleteFailure,
  partChecksumHeaders,
  sendableHeaders,
  sentMetadata,
  type FileChecksums,
} from '../../../web/src/shared/s3-protocol.js';
import { DifferentFileError } from '../../../web/src/shared/stored-part-check.js';
import { MiB } from '../../../contract/limits.js';

afterEach(() => vi.unstubAllGlobals());

function stubFetch(body: unknown) {
  const calls: { url: string; method: string; body: unknown }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, method: String(init.method), body: init.body ? JSON.parse((init.body as string)) : undefined });
    return new Response(JSON.stringify(typeof body === 'function' ? (body as (url: string) => unknown)(url) : body), { status: 200 });
  });
  return calls;
}

const data = new Blob([new Uint8Array(10)]);
const file = { id: 'f1', name: 'report.pdf', type: 'application/pdf', size: 200 * MiB, data, meta: { name: 'report.pdf', type: 'application/pdf', relativePath: 'q3/report.pdf', other: 'x', endpoint: '' } };

/** A hashed file: every part's checksum at hand, `crc-<n>` (tests need no real bytes). */
function hashedFile(totalParts: number, partSize = 16 * MiB, size = totalParts * partSize): FileChecksums {
  const part = (n: number): PartToSign => ({ partNumber: n, size: n < totalParts ? partSize : size - (totalParts - 1) * partSize, checksum: `crc-${n}` });
  return {
    totalParts,
    hashedThrough: totalParts,
    hashed: (n) => (n >= 1 && n <= totalParts ? part(n) : undefined),
    part: async (n) => part(n),
    whenHashedThrough: async () => {},
    whole: async () => 'whole-crc',
  };
}

const protocolFor = (checksums: FileChecksums, batcher = new PartUrlBatcher({ lifetimeMs: 1_800_000, batchSize: 100, fetchBatch: createBatchFetcher() }), completeRetryDelays?: number[]) =>
  createS3Protocol({ batcher, checksumsOf: () => checksums, completeRetryDelays });

describe('Companion S3 protocol over the portal API', () => {
  it("sends only the metadata the API reads (folder path, admin target endpoint) and the size", () => {
    expect(sentMetadata({ relativePath: 'a/b.txt', endpoint: 'acme', name: 'b.txt', secret: 'no' }, 12)).toEqual({ relativePath: 'a/b.txt', endpoint: 'acme', size: '12' });
    expect(sentMetadata({ relativePath: null, endpoint: '' }, null)).toEqual({});
  });

  it('creates a checksummed upload with its first parts signed, then lists, completes with the whole checksum and aborts', async () => {
    const batcher = new PartUrlBatcher({ lifetimeMs: 1_800_000, batchSize: 100, firstBatchParts: 6, fetchBatch: async () => ({}) });
    const forget = vi.spyOn(batcher, 'forget');
    const protocol = protocolFor(hashedFile(13), batcher);
    const calls = stubFetch((url: string) =>
      url.startsWith('/api/s3/multipart/u%2F1/complete')
        ? { key: 'uploads/acme/report.pdf', location: null, checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'rosUhgp5mIg=', hex: 'ae8b14860a799888' } }
        : url.startsWith('/api/s3/multipart/')
          ? []
          : { key: 'uploads/acme/report.pdf', uploadId: 'u/1' },
    );
    await protocol.createMultipartUpload(file);
    await protocol.listParts(file, { key: 'uploads/acme/a b.pdf', uploadId: 'u/1' });
    const stored = await protocol.completeMultipartUpload(file, { key: 'k', uploadId: 'u/1', parts: [{ PartNumber: 1, ETag: '"e"', Size: 5 }] });
    await protocol.abortMultipartUpload(file, { key: 'k', uploadId: 'u/1' });
    expect(calls).toEqual([
      {
        url: '/api/s3/multipart',
        method: 'POST',
        body: {
          filename: 'report.pdf',
          type: 'application/pdf',
          metadata: { relativePath: 'q3/report.pdf', size: '209715200' },
          checksumAlgorithm: 'CRC64NVME',
          // Every part hashed by then (here: all 13).
          parts: Array.from({ length: 13 }, (_, i) => ({ partNumber: i + 1, size: 16 * MiB, checksum: `crc-${i + 1}` })),
        },
      },
      { url: '/api/s3/multipart/u%2F1?key=uploads%2Facme%2Fa+b.pdf', method: 'GET', body: undefined },
      { url: '/api/s3/multipart/u%2F1/complete?key=k', method: 'POST', body: { parts: [{ PartNumber: 1, ETag: '"e"' }], checksum: 'whole-crc' } },
      { url: '/api/s3/multipart/u%2F1?key=k', method: 'DELETE', body: {} },
    ]);
    // Uppy passes this to upload-success: no null location, and S3's checksum for the receipt.
    expect(stored).toEqual({ key: 'uploads/acme/report.pdf', checksum: { algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'rosUhgp5mIg=', hex: 'ae8b14860a799888' } });
    expect(forget).toHaveBeenCalledTimes(2);
  });

  it('has the first parts signed by create, and signs the rest in POST batches with sizes and checksums', async () => {
    const urls = Object.fromEntries([1, 2, 3, 4].map((n) => [String(n), `https://s3/created/${n}?X-Amz-SignedHeaders=host%3Bx-amz-checksum-crc64nvme`]));
    const calls = stubFetch({ key: 'uploads/acme/report.pdf', uploadId: 'u1', presignedUrls: urls });
    const batcher = new PartUrlBatcher({ lifetimeMs: 1_800_000, batchSize: 4, firstBatchParts: 4, fetchBatch: createBatchFetcher() });
    const protocol = protocolFor(hashedFile(6), batcher);
    // Uppy keeps the answer in the file's state: the URLs stay out of it.
    expect(await protocol.createMultipartUpload(file)).toEqual({ key: 'uploads/acme/report.pdf', uploadId: 'u1' });
    expect((calls[0]!.body as { parts: PartToSign[] }).parts.map((p) => p.partNumber)).toEqual([1, 2, 3, 4]);
    for (const n of [1, 2, 3, 4]) {
      expect(await protocol.signPart(file, { uploadId: 'u1', key: 'uploads/acme/report.pdf', partNumber: n })).toEqual({
        method: 'PUT',
        url: urls[String(n)],
        headers: { 'x-amz-checksum-crc64nvme': `crc-${n}` },
      });
    }
    expect(calls).toHaveLength(1);
    // (The stub answers the batch call without URLs, so signing part 5 fails after asking.)
    await protocol.signPart(file, { uploadId: 'u1', key: 'uploads/acme/report.pdf', partNumber: 5 }).catch(() => {});
    expect(calls[1]).toEqual({
      url: '/api/s3/multipart/u1/batch?key=uploads%2Facme%2Freport.pdf',
      method: 'POST',
      body: { parts: [5, 6].map((n) => ({ partNumber: n, size: 16 * MiB, checksum: `crc-${n}` })) },
    });
  });

  it('refuses to send a part whose bytes are not the ones that were hashed (boundaries differ)', async () => {
    stubFetch({ presignedUrls: { '1': 'https://s3/1' } });
    const protocol = protocolFor(hashedFile(3));
    await expect(protocol.signPart(file, { uploadId: 'u1', key: 'k', partNumber: 1, body: new Blob([new Uint8Array(5)]) })).rejects.toThrow(/holds 5 bytes, but 16777216 were checksummed/);
  });

  it('sends exactly the checksum headers a URL signed', () => {
    const url = (signed: string, extra = '') => `https://bucket.s3.test/k?X-Amz-SignedHeaders=${encodeURIComponent(signed)}&partNumber=1${extra}`;
    expect(partChecksumHeaders(url('host;x-amz-checksum-crc64nvme'), 'c')).toEqual({ 'x-amz-checksum-crc64nvme': 'c' });
    expect(partChecksumHeaders(url('host;x-amz-checksum-crc64nvme;x-amz-sdk-checksum-algorithm'), 'c')).toEqual({ 'x-amz-checksum-crc64nvme': 'c', 'x-amz-sdk-checksum-algorithm': 'CRC64NVME' });
    // Hoisted into the query: not sent twice. Not bound at all: sent anyway, S3 checks it.
    expect(partChecksumHeaders(url('host', '&x-amz-checksum-crc64nvme=c'), 'c')).toEqual({});
    expect(partChecksumHeaders(url('host'), 'c')).toEqual({ 'x-amz-checksum-crc64nvme': 'c' });
  });

  it('resumes only when every stored part is the same part of this file', async () => {
    const stored = (checksum: string) => [
      { PartNumber: 1, Size: 16 * MiB, ETag: '"a"', ChecksumCRC64NVME: 'crc-1' },
      { PartNumber: 2, Size: 16 * MiB, ETag: '"b"', ChecksumCRC64NVME: checksum },
    ];
    stubFetch(stored('crc-2'));
    await expect(protocolFor(hashedFile(4)).listParts(file, { key: 'k', uploadId: 'u1' })).resolves.toHaveLength(2);
    stubFetch(stored('other'));
    const refused = protocolFor(hashedFile(4)).listParts(file, { key: 'k', uploadId: 'u1' });
    await expect(refused).rejects.toBeInstanceOf(DifferentFileError);
    await expect(refused).rejects.toMatchObject({ partNumber: 2, message: expect.stringMatching(/^"report.pdf" is not the file this upload began with: part 2 .*Nothing already sent was lost/) });
  });

  it('asks for a presigned PUT with the file checksum and metadata[...] query fields, and keeps the key it names', async () => {
    const protocol = protocolFor(hashedFile(1, 3 * MiB));
    const calls = stubFetch({
      method: 'PUT',
      url: 'https://bucket.s3.amazonaws.com/uploads/acme/report.pdf?X-Amz-Signature=x',
      key: 'uploads/acme/report.pdf',
      headers: { 'content-type': 'application/pdf', 'if-none-match': '*', 'x-amz-checksum-crc64nvme': 'whole-crc', 'Content-Length': '10' },
      expires: 300,
    });
    const params = await protocol.getUploadParameters({ ...file, meta: { ...file.meta, endpoint: 'acme' } });
    expect(params).toEqual({
      method: 'PUT',
      url: 'https://bucket.s3.amazonaws.com/uploads/acme/report.pdf?X-Amz-Signature=x',
      headers: { 'content-type': 'application/pdf', 'if-none-match': '*', 'x-amz-checksum-crc64nvme': 'whole-crc' },
    });
    expect(calls[0]!.url).toBe(
      '/api/s3/params?filename=report.pdf&type=application%2Fpdf&checksum=whole-crc&metadata%5BrelativePath%5D=q3%2Freport.pdf&metadata%5Bendpoint%5D=acme&metadata%5Bsize%5D=209715200',
    );
    expect(protocol.takeSmallFileKey('f1')).toBe('uploads/acme/report.pdf');
    expect(protocol.takeSmallFileKey('f1')).toBeUndefined();
  });

  it('leaves to the browser the headers only it may set', () => {
    expect(sendableHeaders({ 'Content-Length': '5', host: 'x', 'Content-Type': 'a/b' })).toEqual({ 'Content-Type': 'a/b' });
  });

  it('sends complete again after no answer or a 5xx, and never after a refusal of the checks', () => {
    const retryable = [new ApiError(0, 'network_error', ''), new ApiError(502, 'http_502', ''), new ApiError(503, 'http_503', ''), new ApiError(500, 'server_error', ''), new ApiError(429, 'http_429', ''), new ApiError(409, 'complete_in_progress', '')];
    const final = [new ApiError(409, 'parts_missing', ''), new ApiError(409, 'checksum_mismatch', ''), new ApiError(404, 'no_such_upload', ''), new ApiError(401, 'unauthenticated', ''), new ApiError(400, 'invalid_body', ''), new Error('x'), new DOMException('Aborted', 'AbortError')];
    for (const error of retryable) expect(isRetryableCompleteFailure(error), error.message || (error).code).toBe(true);
    for (const error of final) expect(isRetryableCompleteFailure(error), (error as ApiError).code ?? error.name).toBe(false);
  });

  function stubFetchSequence(statuses: number[]) {
    const calls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      calls.push(url);
      const status = statuses[calls.length - 1] ?? 200;
      if (status === 0) throw new TypeError('Failed to fetch');
      const body = status === 200 ? { key: 'k', location: 'https://s3/k', checksum: null } : { error: { code: status === 409 ? 'parts_missing' : 'server_error', message: 'no' } };
      return new Response(JSON.stringify(body), { status });
    });
    return calls;
  }
  const parts = [{ PartNumber: 1, ETag: '"e"' }];
  const protocolWith = (delays: number[]) => protocolFor(hashedFile(1), new PartUrlBatcher({ lifetimeMs: 1, fetchBatch: async () => ({}) }), delays);

  it('retries complete with back-off until it succeeds', async () => {
    const calls = stubFetchSequence([503, 0, 200]);
    await expect(protocolWith([0, 0, 0]).completeMultipartUpload(file, { key: 'k', uploadId: 'u1', parts })).resolves.toEqual({ key: 'k', location: 'https://s3/k', checksum: null });
    expect(calls).toHaveLength(3);
  });

  it('gives up on complete after the last delay, and at once on a 409 from the checks', async () => {
    const calls = stubFetchSequence([502, 502, 502]);
    await expect(protocolWith([0, 0]).completeMultipartUpload(file, { key: 'k', uploadId: 'u1', parts })).rejects.toMatchObject({ status: 502 });
    expect(calls).toHaveLength(3);
    const refused = stubFetchSequence([409]);
    await expect(protocolWith([0, 0]).completeMultipartUpload(file, { key: 'k', uploadId: 'u1', parts })).rejects.toMatchObject({ status: 409, code: 'parts_missing' });
    expect(refused).toHaveLength(1);
  });

  it('stops waiting to retry complete when Uppy pauses or cancels', async () => {
    const calls = stubFetchSequence([503, 200]);
    const controller = new AbortController();
    const done = protocolWith([60_000]).completeMultipartUpload(file, { key: 'k', uploadId: 'u1', parts, signal: controller.signal });
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    controller.abort();
    await expect(done).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toHaveLength(1);
  });
});
