import { afterEach, describe, expect, it, vi } from 'vitest';
import { PartUrlBatcher } from '../../../web/src/shared/part-url-batcher.js';
import { ApiError } from '../../../web/src/shared/api-client.js';
import { createBatchFetcher, createS3Protocol, isRetryableCompleteFailure, sentMetadata } from '../../../web/src/shared/s3-protocol.js';

afterEach(() => vi.unstubAllGlobals());

function stubFetch(body: unknown) {
  const calls: { url: string; method: string; body: unknown }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, method: String(init.method), body: init.body ? JSON.parse(String(init.body)) : undefined });
    return new Response(JSON.stringify(body), { status: 200 });
  });
  return calls;
}

const file = { name: 'report.pdf', type: 'application/pdf', size: 200 * 1024 ** 2, meta: { name: 'report.pdf', type: 'application/pdf', relativePath: 'q3/report.pdf', other: 'x', endpoint: '' } };

describe('Companion S3 protocol over the portal API', () => {
  it("sends only the metadata the API reads (folder path, admin target endpoint) and the size", () => {
    expect(sentMetadata({ relativePath: 'a/b.txt', endpoint: 'acme', name: 'b.txt', secret: 'no' }, 12)).toEqual({ relativePath: 'a/b.txt', endpoint: 'acme', size: '12' });
    expect(sentMetadata({ relativePath: null, endpoint: '' }, null)).toEqual({});
  });

  it('creates, lists, completes and aborts with the documented paths', async () => {
    const batcher = new PartUrlBatcher({ lifetimeMs: 1_800_000, fetchBatch: async () => ({}) });
    const forget = vi.spyOn(batcher, 'forget');
    const protocol = createS3Protocol({ batcher, totalParts: () => 13 });
    const calls = stubFetch({ key: 'uploads/acme/report.pdf', uploadId: 'u/1' });
    await protocol.createMultipartUpload(file);
    await protocol.listParts(file, { key: 'uploads/acme/a b.pdf', uploadId: 'u/1' });
    await protocol.completeMultipartUpload(file, { key: 'k', uploadId: 'u/1', parts: [{ PartNumber: 1, ETag: '"e"', Size: 5 }] });
    await protocol.abortMultipartUpload(file, { key: 'k', uploadId: 'u/1' });
    expect(calls).toEqual([
      {
        url: '/api/s3/multipart',
        method: 'POST',
        body: { filename: 'report.pdf', type: 'application/pdf', metadata: { relativePath: 'q3/report.pdf', size: '209715200' }, partNumbers: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] },
      },
      { url: '/api/s3/multipart/u%2F1?key=uploads%2Facme%2Fa+b.pdf', method: 'GET', body: undefined },
      { url: '/api/s3/multipart/u%2F1/complete?key=k', method: 'POST', body: { parts: [{ PartNumber: 1, ETag: '"e"' }] } },
      { url: '/api/s3/multipart/u%2F1?key=k', method: 'DELETE', body: {} },
    ]);
    expect(forget).toHaveBeenCalledTimes(2);
  });

  it('has the first batch signed by create: those parts start without a batch call, later ones use one', async () => {
    const urls = Object.fromEntries([1, 2, 3, 4].map((n) => [String(n), `https://s3/created/${n}`]));
    const calls = stubFetch({ key: 'uploads/acme/report.pdf', uploadId: 'u1', presignedUrls: urls });
    const batcher = new PartUrlBatcher({ lifetimeMs: 1_800_000, batchSize: 4, fetchBatch: createBatchFetcher() });
    const protocol = createS3Protocol({ batcher, totalParts: () => 6 });
    // Uppy keeps the answer in the file's state: the URLs stay out of it.
    expect(await protocol.createMultipartUpload(file)).toEqual({ key: 'uploads/acme/report.pdf', uploadId: 'u1' });
    expect(calls[0]!.body).toMatchObject({ partNumbers: [1, 2, 3, 4] });
    for (const n of [1, 2, 3, 4]) {
      expect(await protocol.signPart(file, { uploadId: 'u1', key: 'uploads/acme/report.pdf', partNumber: n })).toEqual({ method: 'PUT', url: `https://s3/created/${n}` });
    }
    expect(calls).toHaveLength(1);
    // (The stub answers the batch call without URLs, so signing part 5 fails after asking.)
    await protocol.signPart(file, { uploadId: 'u1', key: 'uploads/acme/report.pdf', partNumber: 5 }).catch(() => {});
    expect(calls[1]!.url).toBe('/api/s3/multipart/u1/batch?key=uploads%2Facme%2Freport.pdf&partNumbers=5%2C6');
  });

  it('asks for no more parts than the file has, and for none when the size is unknown', async () => {
    const calls = stubFetch({ key: 'k', uploadId: 'u1' });
    const batcher = new PartUrlBatcher({ lifetimeMs: 1_800_000, batchSize: 100, fetchBatch: async () => ({}) });
    await createS3Protocol({ batcher, totalParts: () => 2 }).createMultipartUpload(file);
    await createS3Protocol({ batcher, totalParts: () => 2 }).createMultipartUpload({ ...file, size: null });
    expect(calls[0]!.body).toMatchObject({ partNumbers: [1, 2] });
    expect(calls[1]!.body).not.toHaveProperty('partNumbers');
  });

  it('asks for presigned POST parameters with metadata[...] query fields', async () => {
    const protocol = createS3Protocol({ batcher: new PartUrlBatcher({ lifetimeMs: 1, fetchBatch: async () => ({}) }), totalParts: () => 1 });
    const calls = stubFetch({ method: 'POST', url: 'https://bucket.s3.amazonaws.com/', fields: { key: 'k' } });
    const params = await protocol.getUploadParameters({ ...file, meta: { ...file.meta, endpoint: 'acme' } });
    expect(params).toMatchObject({ method: 'POST', fields: { key: 'k' } });
    expect(calls[0]!.url).toBe('/api/s3/params?filename=report.pdf&type=application%2Fpdf&metadata%5BrelativePath%5D=q3%2Freport.pdf&metadata%5Bendpoint%5D=acme&metadata%5Bsize%5D=209715200');
  });

  it('signs parts through the batcher, knowing how many parts the file has, with no XHR timeout', async () => {
    const calls = stubFetch({ presignedUrls: { '1': 'https://s3/1', '2': 'https://s3/2', '3': 'https://s3/3' } });
    const batcher = new PartUrlBatcher({ lifetimeMs: 1_800_000, batchSize: 12, fetchBatch: createBatchFetcher() });
    const protocol = createS3Protocol({ batcher, totalParts: () => 3 });
    const signed = await protocol.signPart(file, { uploadId: 'u1', key: 'uploads/acme/r.pdf', partNumber: 1 });
    expect(signed).toEqual({ method: 'PUT', url: 'https://s3/1' });
    expect(await protocol.signPart(file, { uploadId: 'u1', key: 'uploads/acme/r.pdf', partNumber: 3 })).toEqual({ method: 'PUT', url: 'https://s3/3' });
    expect(calls.map((c) => c.url)).toEqual(['/api/s3/multipart/u1/batch?key=uploads%2Facme%2Fr.pdf&partNumbers=1%2C2%2C3']);
  });

  it('sends complete again after no answer or a 5xx, and never after a refusal of the checks', () => {
    const retryable = [new ApiError(0, 'network_error', ''), new ApiError(502, 'http_502', ''), new ApiError(503, 'http_503', ''), new ApiError(500, 'server_error', ''), new ApiError(429, 'http_429', ''), new ApiError(409, 'complete_in_progress', '')];
    const final = [new ApiError(409, 'parts_missing', ''), new ApiError(404, 'no_such_upload', ''), new ApiError(401, 'unauthenticated', ''), new ApiError(400, 'invalid_body', ''), new Error('x'), new DOMException('Aborted', 'AbortError')];
    for (const error of retryable) expect(isRetryableCompleteFailure(error), error.message || (error as ApiError).code).toBe(true);
    for (const error of final) expect(isRetryableCompleteFailure(error), (error as ApiError).code ?? error.name).toBe(false);
  });

  function stubFetchSequence(statuses: number[]) {
    const calls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      calls.push(url);
      const status = statuses[calls.length - 1] ?? 200;
      if (status === 0) throw new TypeError('Failed to fetch');
      const body = status === 200 ? { key: 'k', location: 'https://s3/k' } : { error: { code: status === 409 ? 'parts_missing' : 'server_error', message: 'no' } };
      return new Response(JSON.stringify(body), { status });
    });
    return calls;
  }
  const parts = [{ PartNumber: 1, ETag: '"e"' }];
  const protocolWith = (delays: number[]) => createS3Protocol({ batcher: new PartUrlBatcher({ lifetimeMs: 1, fetchBatch: async () => ({}) }), totalParts: () => 1, completeRetryDelays: delays });

  it('retries complete with back-off until it succeeds', async () => {
    const calls = stubFetchSequence([503, 0, 200]);
    await expect(protocolWith([0, 0, 0]).completeMultipartUpload(file, { key: 'k', uploadId: 'u1', parts })).resolves.toMatchObject({ key: 'k' });
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
