// GET /api/s3/params: a presigned PUT for a small file. Its signed headers bind the fresh key's object:
// If-None-Match: * (stored once, never replacing anything), the exact length, the type, the metadata
// and, from the page, the file's checksum; all of them stay headers, none is hoisted into the query.
import { describe, expect, it } from 'vitest';
import { readObjectMetadata } from '../../../lambdas/shared/object-metadata.js';
import { GiB } from '../../../contract/limits.js';
import { BUCKET, useHarness, endpointRecord, MiB } from './harness.js';

const h = useHarness();

const params = (query: Record<string, string>, token = h.customer()) => h.call('GET', '/api/s3/params', { token, query });

function metaHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.startsWith('x-amz-meta-')).map(([k, v]) => [k.slice('x-amz-meta-'.length), v]));
}

const signedHeaders = (url: string): string[] => new URL(url).searchParams.get('X-Amz-SignedHeaders')!.split(';');

describe('small-file presigned PUT', () => {
  it('answers {method: PUT, url, headers, key, expires}: the headers to send, every one of them signed, and the exact length signed too', async () => {
    const result = await params({ filename: 'Notes ü.txt', type: 'text/plain', 'metadata[size]': '1234', 'metadata[name]': 'Notes ü.txt' });
    expect(result.status).toBe(200);
    const { method, url, headers, key, expires } = result.body;
    expect(method).toBe('PUT');
    expect(key).toBe('uploads/acme/Notes ü.txt');
    const parsed = new URL(url);
    expect(parsed.host).toBe(`${BUCKET}.s3.eu-west-1.amazonaws.com`);
    expect(decodeURIComponent(parsed.pathname)).toBe('/uploads/acme/Notes ü.txt');
    expect(headers).toMatchObject({ 'content-type': 'text/plain', 'if-none-match': '*' });
    expect(readObjectMetadata(metaHeaders(headers))).toEqual({ originalName: 'Notes ü.txt', uploadedBy: 'customer@example.com', declaredSize: 1234 });
    // Header values a browser can send as they are (ASCII, no line breaks).
    expect(Object.values(headers as Record<string, string>).every((v) => /^[\x20-\x7e]*$/.test(v))).toBe(true);
    // Browsers refuse to set Content-Length themselves, so it is not listed; it is bound all the same.
    expect(headers['content-length']).toBeUndefined();
    expect(signedHeaders(url)).toEqual(['content-length', 'content-type', 'host', 'if-none-match', ...Object.keys(metaHeaders(headers)).map((n) => `x-amz-meta-${n}`).sort()]);
    // Nothing the URL binds is hoisted into the query (S3 would not hold the object to it there).
    expect([...parsed.searchParams.keys()].filter((n) => !n.startsWith('X-Amz-') && n !== 'x-id')).toEqual([]);
    expect(parsed.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(expires).toBe(300);
    expect(h.metrics.get('SmallUploadsPresigned')).toBe(1);
  });

  it("with the page's checksum, also binds x-amz-checksum-crc64nvme (and the algorithm) as signed headers", async () => {
    const result = await params({ filename: 'summed.txt', type: 'text/plain', 'metadata[size]': '9', checksum: 'rosUhgp5mIg=' });
    expect(result.status).toBe(200);
    expect(result.body.headers).toMatchObject({ 'x-amz-checksum-crc64nvme': 'rosUhgp5mIg=', 'x-amz-sdk-checksum-algorithm': 'CRC64NVME' });
    expect(signedHeaders(result.body.url)).toEqual(expect.arrayContaining(['content-length', 'x-amz-checksum-crc64nvme', 'x-amz-sdk-checksum-algorithm']));
    expect(result.body.url).not.toContain('rosUhgp5mIg');
    expect(h.bucket.reservations().find((r) => r.key === result.body.key)).toMatchObject({ kind: 'put', declaredSize: 9, checksumAlgorithm: 'CRC64NVME' });
  });

  it.each(['rosUhgp5mIg', 'rosUhgp5mIg==', 'ros_hgp5mIg=', 'y/Q5Jg=='])('refuses the checksum %j with 400 invalid_checksum before choosing a key', async (checksum) => {
    const result = await params({ filename: 'bad.txt', 'metadata[size]': '9', checksum });
    expect(result).toMatchObject({ status: 400, body: { error: { code: 'invalid_checksum' } } });
    expect(h.bucket.reservations().filter((r) => String(r.key).includes('bad'))).toEqual([]);
  });

  it('lives min(PRESIGN_EXPIRES_SECONDS, 300) seconds', async () => {
    h.rebuild({ presignExpiresSeconds: 120 });
    try {
      const result = await params({ filename: 'short.txt', 'metadata[size]': '1' });
      expect(result.body.expires).toBe(120);
      expect(new URL(result.body.url).searchParams.get('X-Amz-Expires')).toBe('120');
    } finally {
      h.rebuild();
    }
  });

  it("serves a stock client that sends no size (Uppy's meta fields hold none) a URL that binds no length, admitted for S3's largest single PUT", async () => {
    const result = await params({ filename: 'stock.txt', type: 'text/plain', 'metadata[name]': 'stock.txt', 'metadata[type]': 'text/plain' });
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ method: 'PUT', key: 'uploads/acme/stock.txt', headers: { 'if-none-match': '*', 'content-type': 'text/plain' } });
    expect(signedHeaders(result.body.url)).not.toContain('content-length');
    expect(signedHeaders(result.body.url)).toContain('if-none-match');
    expect(readObjectMetadata(metaHeaders(result.body.headers))).toEqual({ originalName: 'stock.txt', uploadedBy: 'customer@example.com', declaredSize: undefined });
    expect(h.bucket.reservations().find((r) => r.key === 'uploads/acme/stock.txt')).toMatchObject({ kind: 'put', declaredSize: null, boundBytes: 5 * GiB });
  });

  it('refuses a stock client that sends no size (400 size_required) where the endpoint allows less than one PUT without a length could store, and reserves nothing', async () => {
    h.bucket.putEndpoint(endpointRecord('capped', { maxFileSizeBytes: 4 * GiB }));
    const capped = await params({ filename: 'a.txt', type: 'text/plain' }, h.customer('capped'));
    expect(capped).toMatchObject({ status: 400, body: { error: { code: 'size_required', message: expect.stringMatching(/metadata\[size\].*4,294,967,296 bytes/) } } });
    h.bucket.putEndpoint(endpointRecord('quota', { quotaBytes: 3 * GiB }));
    expect(await params({ filename: 'a.txt', type: 'text/plain' }, h.customer('quota'))).toMatchObject({ status: 400, body: { error: { code: 'size_required' } } });
    h.bucket.putEndpoint(endpointRecord('pdfs', { allowedExtensions: ['pdf'] }));
    expect(await params({ filename: 'a.exe', type: 'text/plain' }, h.customer('pdfs'))).toMatchObject({ status: 400, body: { error: { code: 'extension_not_allowed' } } });
    expect(h.bucket.reservations().filter((r) => /^uploads\/(capped|quota|pdfs)\//.test(String(r.key)))).toEqual([]);
  });

  it('accepts an empty file (size 0)', async () => {
    const result = await params({ filename: 'empty.txt', 'metadata[size]': '0' });
    expect(result.status).toBe(200);
    expect(signedHeaders(result.body.url)).toContain('content-length');
  });

  it('chooses a fresh key: an existing file or a reserved name gets a distinct one', async () => {
    h.bucket.putObject('uploads/acme/dup.txt', 'x');
    const first = await params({ filename: 'dup.txt', 'metadata[size]': '1' });
    const second = await params({ filename: 'dup.txt', 'metadata[size]': '1' });
    expect([first.body.key, second.body.key]).toEqual(['uploads/acme/dup (2).txt', 'uploads/acme/dup (3).txt']);
    expect(decodeURIComponent(new URL(second.body.url).pathname)).toBe('/uploads/acme/dup (3).txt');
    expect(h.bucket.reservations().filter((r) => String(r.key).includes('dup ('))).toEqual([
      expect.objectContaining({ kind: 'put', declaredSize: 1, checksumAlgorithm: null }),
      expect.objectContaining({ kind: 'put', declaredSize: 1, checksumAlgorithm: null }),
    ]);
  });

  it('keeps the relative path and sanitises like multipart', async () => {
    const result = await params({ filename: '../x.txt', 'metadata[size]': '1', 'metadata[relativePath]': 'docs/../../x.txt' });
    expect(result.body.key).toBe('uploads/acme/docs/x.txt');
  });

  it('refuses a declared size over the endpoint maximum (413) or over the multipart threshold (400)', async () => {
    h.bucket.putEndpoint(endpointRecord('small', { maxFileSizeBytes: 5000 }));
    expect((await params({ filename: 'a.txt', 'metadata[size]': '5001' }, h.customer('small'))).status).toBe(413);
    const big = await params({ filename: 'a.txt', 'metadata[size]': String(100 * MiB + 1) });
    expect(big).toMatchObject({ status: 400, body: { error: { code: 'use_multipart' } } });
  });

  it('refuses a file type the endpoint does not allow, and a missing filename', async () => {
    h.bucket.putEndpoint(endpointRecord('pdfs', { allowedExtensions: ['pdf'] }));
    expect((await params({ filename: 'a.exe', 'metadata[size]': '1' }, h.customer('pdfs'))).body.error.code).toBe('extension_not_allowed');
    expect((await params({ type: 'text/plain', 'metadata[size]': '1' })).body.error.code).toBe('invalid_filename');
  });

  it('lets an admin choose the endpoint with metadata[endpoint]; a customer cannot', async () => {
    const admin = await params({ filename: 'a.txt', 'metadata[size]': '1', 'metadata[endpoint]': 'globex' }, h.admin());
    expect(admin.body.key).toBe('uploads/globex/a.txt');
    expect((await params({ filename: 'a.txt', 'metadata[size]': '1', 'metadata[endpoint]': 'globex' })).status).toBe(403);
  });
});
