// Object operations of the local S3 server: metadata round-trip, ranges, conditional writes, deletes, odd keys, aborted uploads.
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET, errorCode, rawRequest, sdkError, signRequest, signedRequest, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
let s3: S3Client;
const TEN = '0123456789';

beforeAll(async () => {
  t = await startTestServer();
  s3 = t.client();
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ten.txt', Body: TEN }));
});
afterAll(() => t.close());

async function listAllFiles(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => `${e.parentPath}/${e.name}`);
}

describe('metadata', () => {
  it('round-trips user metadata and representation headers through PUT, HEAD, GET and listing', async () => {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'docs/report.pdf',
        Body: 'pdf bytes',
        ContentType: 'application/pdf',
        ContentDisposition: 'attachment; filename="report.pdf"',
        CacheControl: 'no-store',
        Metadata: { uploader: 'alice', 'original-name': 'Report Final.pdf' },
      }),
    );
    expect(put.ETag).toBe(`"${createHash('md5').update('pdf bytes').digest('hex')}"`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'docs/report.pdf' }));
    expect(head).toMatchObject({
      ContentLength: 9,
      ContentType: 'application/pdf',
      ContentDisposition: 'attachment; filename="report.pdf"',
      CacheControl: 'no-store',
      ETag: put.ETag,
      Metadata: { uploader: 'alice', 'original-name': 'Report Final.pdf' },
    });
    expect(head.LastModified).toBeInstanceOf(Date);
    const get = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'docs/report.pdf' }));
    expect([await get.Body!.transformToString(), get.ETag, get.LastModified?.getTime()]).toEqual(['pdf bytes', put.ETag, head.LastModified!.getTime()]);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'docs/' }));
    expect(listed.Contents?.[0]).toMatchObject({ Key: 'docs/report.pdf', Size: 9, ETag: put.ETag });
    expect(listed.Contents?.[0]?.LastModified?.getTime()).toBe(head.LastModified!.getTime());
  });

  it('applies response-content-* overrides on presigned GETs', async () => {
    const url = await getSignedUrl(
      s3,
      new GetObjectCommand({ Bucket: BUCKET, Key: 'ten.txt', ResponseContentDisposition: 'attachment; filename="digits.txt"', ResponseContentType: 'text/x-digits' }),
      { expiresIn: 60 },
    );
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="digits.txt"');
    expect(res.headers.get('content-type')).toBe('text/x-digits');
  });
});

describe('Range', () => {
  const get = async (range: string): Promise<{ status: number; body: string; contentRange: string | null }> => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'ten.txt' }), { expiresIn: 60 });
    const res = await fetch(url, { headers: { range } });
    return { status: res.status, body: await res.text(), contentRange: res.headers.get('content-range') };
  };

  it('serves bytes=a-b, a- and -n as 206 with Content-Range', async () => {
    expect(await get('bytes=2-4')).toEqual({ status: 206, body: '234', contentRange: 'bytes 2-4/10' });
    expect(await get('bytes=7-')).toEqual({ status: 206, body: '789', contentRange: 'bytes 7-9/10' });
    expect(await get('bytes=-3')).toEqual({ status: 206, body: '789', contentRange: 'bytes 7-9/10' });
    expect(await get('bytes=5-100')).toEqual({ status: 206, body: '56789', contentRange: 'bytes 5-9/10' });
    const sdk = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'ten.txt', Range: 'bytes=0-0' }));
    expect([await sdk.Body!.transformToString(), sdk.ContentRange, sdk.ContentLength]).toEqual(['0', 'bytes 0-0/10', 1]);
  });

  it('answers 416 for unsatisfiable ranges and ignores malformed ones, like S3', async () => {
    const beyond = await get('bytes=10-');
    expect([beyond.status, errorCode(beyond.body), beyond.contentRange]).toEqual([416, 'InvalidRange', 'bytes */10']);
    expect((await get('bytes=-0')).status).toBe(416);
    expect(await get('bytes=5-2')).toMatchObject({ status: 200, body: TEN });
    expect(await get('items=1-2')).toMatchObject({ status: 200, body: TEN });
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'empty', Body: new Uint8Array(0), ContentLength: 0 }));
    const empty = await sdkError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'empty', Range: 'bytes=0-1' })));
    expect([empty.name, empty.status]).toEqual(['InvalidRange', 416]);
    const whole = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'empty' }));
    expect([whole.ContentLength, await whole.Body!.transformToString()]).toEqual([0, '']);
  });
});

describe('conditional writes and reads', () => {
  it('If-None-Match: * creates once and then refuses with 412, leaving the first version', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'once.txt', Body: 'first', IfNoneMatch: '*' }));
    const again = await sdkError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'once.txt', Body: 'second', IfNoneMatch: '*' })));
    expect([again.name, again.status]).toEqual(['PreconditionFailed', 412]);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'once.txt' }));
    expect(await got.Body!.transformToString()).toBe('first');
  });

  it('only one of many concurrent If-None-Match: * writers wins', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'race.txt', Body: `writer ${i}`, IfNoneMatch: '*' }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('If-Match replaces only the named version and refuses a missing object', async () => {
    const v1 = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'match.txt', Body: 'v1' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'match.txt', Body: 'v2', IfMatch: v1.ETag }));
    const stale = await sdkError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'match.txt', Body: 'v3', IfMatch: v1.ETag })));
    expect([stale.name, stale.status]).toEqual(['PreconditionFailed', 412]);
    const missing = await sdkError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'no-such.txt', Body: 'x', IfMatch: v2.ETag })));
    expect(missing.status).toBe(412);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'match.txt' }));
    expect(await got.Body!.transformToString()).toBe('v2');
  });

  it('honours If-None-Match / If-Match on GET', async () => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'ten.txt' }));
    const notModified = await sdkError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'ten.txt', IfNoneMatch: head.ETag })));
    expect(notModified.status).toBe(304);
    const failed = await sdkError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'ten.txt', IfMatch: '"nope"' })));
    expect(failed.status).toBe(412);
  });
});

describe('delete and errors', () => {
  it('deletes with 204 whether or not the key exists, and reports S3-shaped errors', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'gone.txt', Body: 'x' }));
    expect((await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone.txt' }))).$metadata.httpStatusCode).toBe(204);
    expect((await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'gone.txt' }))).$metadata.httpStatusCode).toBe(204);
    const missing = await signedRequest(t.server.url, { path: `/${BUCKET}/gone.txt` });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatch(/<Error><Code>NoSuchKey<\/Code><Message>[^<]+<\/Message><Key>gone.txt<\/Key><Resource>\/portal-bucket\/gone.txt<\/Resource><RequestId>[0-9A-F]+<\/RequestId>/);
    const head = await signedRequest(t.server.url, { method: 'HEAD', path: `/${BUCKET}/gone.txt` });
    expect([head.status, head.body]).toEqual([404, '']);
    const bucket = await signedRequest(t.server.url, { path: `/no-such-bucket/x` });
    expect([bucket.status, errorCode(bucket.body)]).toEqual([404, 'NoSuchBucket']);
    // Object tagging is implemented (tagging.test.ts); bucket tagging is refused rather than mistaken for a listing.
    const tagging = await signedRequest(t.server.url, { path: `/${BUCKET}`, query: { tagging: '' } });
    expect([tagging.status, errorCode(tagging.body)]).toEqual([501, 'NotImplemented']);
    const longKey = await sdkError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k'.repeat(1025), Body: 'x' })));
    expect(longKey.name).toBe('KeyTooLongError');
  });

  it('DeleteObjects removes a batch', async () => {
    await Promise.all(['b/1', 'b/2', 'b/3'].map((Key) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: Key }))));
    const res = await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'b/1' }, { Key: 'b/2' }, { Key: 'b/404' }] } }));
    expect(res.Deleted?.map((d) => d.Key)).toEqual(['b/1', 'b/2', 'b/404']);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'b/' }));
    expect(left.Contents?.map((c) => c.Key)).toEqual(['b/3']);
  });
});

describe('keys are data, never paths', () => {
  it('stores traversal-looking keys inside dataDir and reads each back exactly', async () => {
    const keys = ['../../escape.txt', '../', '..', '.', 'a/../../b', '/leading', '//double//slash', 'x/./y', '..%2F..%2Fenc', 'tab\there', 'nul-ish \u0001 ctrl', 'new\nline', '\\windows\\..\\path', 'C:\\evil'];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `content:${key}` }));
    for (const key of keys) {
      const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      expect(await got.Body!.transformToString(), key).toBe(`content:${key}`);
    }
    const listed = new Set((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents?.map((c) => c.Key));
    for (const key of keys) expect(listed.has(key), key).toBe(true);
    expect(await readdir(t.root)).toEqual(['data']);
    for (const file of await listAllFiles(t.dataDir)) expect(file.startsWith(`${t.dataDir}/`)).toBe(true);
  });

  it('answers a raw request whose path tries to climb out', async () => {
    const res = await signedRequest(t.server.url, { path: `/${BUCKET}/..%2F..%2F..%2Fetc%2Fpasswd` });
    expect([res.status, errorCode(res.body)]).toEqual([404, 'NoSuchKey']);
    const bad = await rawRequest(`${t.server.url}/${BUCKET}/%E0%A4%A`);
    expect(bad.status).toBe(400);
  });
});

describe('robustness', () => {
  it('leaves nothing behind when a client disconnects mid-body, and keeps serving', async () => {
    const before = await listAllFiles(t.dataDir);
    const body = Buffer.alloc(1024 * 1024, 1);
    const { url, headers } = await signRequest(t.server.url, { method: 'PUT', path: `/${BUCKET}/partial.bin`, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': String(body.length) } });
    await new Promise<void>((resolve) => {
      const req = request(url, { method: 'PUT', headers, agent: false });
      req.on('error', () => resolve());
      req.write(body.subarray(0, 200_000), () => setTimeout(() => req.destroy(), 50));
      req.on('close', () => resolve());
    });
    // The half-received body file is deleted as soon as the server notices the disconnect.
    for (let i = 0; i < 50 && (await listAllFiles(t.dataDir)).length !== before.length; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await listAllFiles(t.dataDir)).sort()).toEqual(before.sort());
    const head = await sdkError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'partial.bin' })));
    expect(head.status).toBe(404);
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'ten.txt' }))).ContentLength).toBe(10);
  });

  it('survives garbage requests', async () => {
    expect((await rawRequest(`${t.server.url}/${BUCKET}/x?%zz`)).status).toBe(400);
    const xml = await signedRequest(t.server.url, { method: 'POST', path: `/${BUCKET}`, query: { delete: '' }, headers: { 'content-md5': 'rL0Y20zC+Fzt72VPzMSk2A==' }, body: 'foo' });
    expect(xml.status).toBe(400);
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'ten.txt' }))).ContentLength).toBe(10);
  });
});
