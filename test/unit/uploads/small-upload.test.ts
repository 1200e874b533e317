// GET /api/s3/params: a presigned POST for a small file, whose policy pins the exact (fresh) key, the
// metadata and type, and bounds the size.
import { describe, expect, it } from 'vitest';
import { readObjectMetadata } from '../../../lambdas/shared/object-metadata.js';
import { BUCKET, useHarness, endpointRecord, MiB } from './harness.js';

const h = useHarness();

const params = (query: Record<string, string>, token = h.customer()) => h.call('GET', '/api/s3/params', { token, query });

function policyOf(fields: Record<string, string>): { expiration: string; conditions: unknown[] } {
  return JSON.parse(Buffer.from(fields.Policy!, 'base64').toString('utf8'));
}

function metaFields(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([k]) => k.startsWith('x-amz-meta-')).map(([k, v]) => [k.slice('x-amz-meta-'.length), v]));
}

describe('small-file presigned POST', () => {
  it('answers {method, url, fields, expires} with a policy pinning key, metadata, type and the exact declared size', async () => {
    const result = await params({ filename: 'Notes ü.txt', type: 'text/plain', 'metadata[size]': '1234', 'metadata[name]': 'Notes ü.txt' });
    expect(result.status).toBe(200);
    const { method, url, fields, expires } = result.body;
    expect(method).toBe('POST');
    expect(expires).toBe(1800);
    expect(new URL(url).host).toBe(`${BUCKET}.s3.eu-west-1.amazonaws.com`);
    expect(fields.key).toBe('uploads/acme/Notes ü.txt');
    expect(fields['Content-Type']).toBe('text/plain');
    expect(readObjectMetadata(metaFields(fields))).toEqual({ originalName: 'Notes ü.txt', uploadedBy: 'customer@example.com', declaredSize: 1234 });
    const policy = policyOf(fields);
    expect(policy.conditions).toContainEqual(['content-length-range', 1234, 1234]);
    expect(policy.conditions).toContainEqual({ key: 'uploads/acme/Notes ü.txt' });
    expect(policy.conditions).toContainEqual({ bucket: BUCKET });
    expect(policy.conditions).toContainEqual({ 'Content-Type': 'text/plain' });
    for (const [name, value] of Object.entries(metaFields(fields))) expect(policy.conditions).toContainEqual({ [`x-amz-meta-${name}`]: value });
    expect(policy.conditions.some((c) => Array.isArray(c) && c[0] === 'starts-with')).toBe(false);
    const lifetime = Date.parse(policy.expiration) - Date.now();
    expect(lifetime).toBeGreaterThan(1790_000);
    expect(lifetime).toBeLessThanOrEqual(1800_000);
    expect(h.metrics.get('SmallUploadsPresigned')).toBe(1);
  });

  it('without a declared size, allows 0 up to the smaller of the endpoint maximum and the multipart threshold', async () => {
    const open = await params({ filename: 'a.txt', type: 'text/plain' });
    expect(policyOf(open.body.fields).conditions).toContainEqual(['content-length-range', 0, 100 * MiB]);
    h.bucket.putEndpoint(endpointRecord('small', { maxFileSizeBytes: 5000 }));
    const capped = await params({ filename: 'a.txt', type: 'text/plain' }, h.customer('small'));
    expect(policyOf(capped.body.fields).conditions).toContainEqual(['content-length-range', 0, 5000]);
    expect(metaFields(capped.body.fields)['declared-size']).toBeUndefined();
  });

  it('chooses a fresh key: an existing file or a reserved name gets a distinct one', async () => {
    h.bucket.putObject('uploads/acme/dup.txt', 'x');
    const first = await params({ filename: 'dup.txt', 'metadata[size]': '1' });
    const second = await params({ filename: 'dup.txt', 'metadata[size]': '1' });
    expect([first.body.fields.key, second.body.fields.key]).toEqual(['uploads/acme/dup (2).txt', 'uploads/acme/dup (3).txt']);
    expect(h.bucket.reservations().filter((r) => String(r.key).includes('dup ('))).toEqual([
      expect.objectContaining({ kind: 'post', declaredSize: 1 }),
      expect.objectContaining({ kind: 'post', declaredSize: 1 }),
    ]);
  });

  it('keeps the relative path and sanitises like multipart', async () => {
    const result = await params({ filename: '../x.txt', 'metadata[relativePath]': 'docs/../../x.txt' });
    expect(result.body.fields.key).toBe('uploads/acme/docs/x.txt');
  });

  it('refuses a declared size over the endpoint maximum (413) or over the multipart threshold (400)', async () => {
    h.bucket.putEndpoint(endpointRecord('small', { maxFileSizeBytes: 5000 }));
    expect((await params({ filename: 'a.txt', 'metadata[size]': '5001' }, h.customer('small'))).status).toBe(413);
    const big = await params({ filename: 'a.txt', 'metadata[size]': String(100 * MiB + 1) });
    expect(big).toMatchObject({ status: 400, body: { error: { code: 'use_multipart' } } });
  });

  it('refuses a file type the endpoint does not allow, and a missing filename', async () => {
    h.bucket.putEndpoint(endpointRecord('pdfs', { allowedExtensions: ['pdf'] }));
    expect((await params({ filename: 'a.exe' }, h.customer('pdfs'))).body.error.code).toBe('extension_not_allowed');
    expect((await params({ type: 'text/plain' })).body.error.code).toBe('invalid_filename');
  });

  it('lets an admin choose the endpoint with metadata[endpoint]; a customer cannot', async () => {
    const admin = await params({ filename: 'a.txt', 'metadata[endpoint]': 'globex' }, h.admin());
    expect(admin.body.fields.key).toBe('uploads/globex/a.txt');
    expect((await params({ filename: 'a.txt', 'metadata[endpoint]': 'globex' })).status).toBe(403);
  });
});
