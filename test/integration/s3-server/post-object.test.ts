// Presigned POST (browser form uploads) on the local S3 server: policy signature, expiry, every condition, streamed file.
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPostOptions } from '@aws-sdk/s3-presigned-post';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormDataReader } from '../../../local/s3/form-data.js';
import { BUCKET, errorCode, errorMessage, MovableClock, sdkError, startTestServer, type TestServer } from './helpers.js';

const clock = new MovableClock();
let t: TestServer;
let s3: S3Client;

beforeAll(async () => {
  t = await startTestServer({ clock: clock.now });
  s3 = t.client();
});
afterAll(() => t.close());

async function presign(options: Partial<PresignedPostOptions> = {}): Promise<{ url: string; fields: Record<string, string> }> {
  // The presigner bundles its own copy of the S3 client types; at run time any S3Client works.
  return createPresignedPost(s3, {
    Bucket: BUCKET,
    Key: 'uploads/acme/${filename}',
    Conditions: [['starts-with', '$key', 'uploads/acme/'], ['content-length-range', 1, 1024 * 1024], ['starts-with', '$Content-Type', ''], ['eq', '$x-amz-meta-uploader', 'alice']],
    Fields: { 'Content-Type': 'text/plain', 'x-amz-meta-uploader': 'alice' },
    Expires: 600,
    ...options,
  });
}

async function submit(post: { url: string; fields: Record<string, string> }, file: Buffer | string, filename = 'notes.txt', extra: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...post.fields, ...extra })) form.append(name, value);
  form.append('file', new Blob([typeof file === 'string' ? file : new Uint8Array(file)]), filename);
  return fetch(post.url, { method: 'POST', body: form });
}

describe('accepted uploads', () => {
  it('stores the file under the ${filename}-substituted key with its content type and metadata (204)', async () => {
    const res = await submit(await presign(), 'hello from a browser form');
    expect(res.status).toBe(204);
    expect(res.headers.get('etag')).toBe(`"${createHash('md5').update('hello from a browser form').digest('hex')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/acme/notes.txt' }));
    expect([await got.Body!.transformToString(), got.ContentType, got.Metadata]).toEqual(['hello from a browser form', 'text/plain', { uploader: 'alice' }]);
  });

  it('honours success_action_status 201 with an XML PostResponse', async () => {
    const post = await presign({ Fields: { 'Content-Type': 'text/plain', 'x-amz-meta-uploader': 'alice', success_action_status: '201' } });
    const res = await submit(post, 'created', 'created.txt');
    expect(res.status).toBe(201);
    const body = await res.text();
    expect(body).toContain('<Key>uploads/acme/created.txt</Key>');
    expect(body).toContain(`<Bucket>${BUCKET}</Bucket>`);
  });

  it('streams a larger binary file whose bytes look like boundaries', async () => {
    const post = await presign({ Key: 'uploads/acme/binary.bin', Conditions: [['content-length-range', 0, 8 * 1024 * 1024], ['eq', '$x-amz-meta-uploader', 'alice'], ['starts-with', '$Content-Type', 'text/']] });
    const tricky = Buffer.concat([randomBytes(3 * 1024 * 1024), Buffer.from('\r\n--'), randomBytes(100), Buffer.from('\r\n------WebKitFormBoundary\r\n'), randomBytes(5000)]);
    const res = await submit(post, tricky, 'ignored-name.bin');
    expect(res.status).toBe(204);
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/acme/binary.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(tricky)).toBe(true);
  });
});

describe('refused uploads', () => {
  it('EntityTooLarge / EntityTooSmall outside content-length-range, storing nothing', async () => {
    const post = await presign({ Key: 'uploads/acme/sized.bin', Conditions: [['content-length-range', 10, 100], ['eq', '$x-amz-meta-uploader', 'alice'], ['starts-with', '$Content-Type', '']] });
    const big = await submit(post, Buffer.alloc(101));
    expect([big.status, errorCode(await big.text())]).toEqual([400, 'EntityTooLarge']);
    const small = await submit(post, Buffer.alloc(9));
    expect([small.status, errorCode(await small.text())]).toEqual([400, 'EntityTooSmall']);
    expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'uploads/acme/sized.bin' })))).status).toBe(404);
    expect((await submit(post, Buffer.alloc(100))).status).toBe(204);
  });

  it('403 when the key leaves the allowed prefix', async () => {
    const post = await presign();
    const res = await submit(post, 'x', 'a.txt', { key: 'uploads/other-customer/a.txt' });
    const body = await res.text();
    expect([res.status, errorCode(body)]).toEqual([403, 'AccessDenied']);
    expect(errorMessage(body)).toContain('Policy Condition failed: ["starts-with", "$key", "uploads/acme/"]');
  });

  it('403 once the policy has expired', async () => {
    const post = await presign({ Expires: 60 });
    await clock.aheadBy(61_000, async () => {
      const res = await submit(post, 'late');
      const body = await res.text();
      expect([res.status, errorCode(body), errorMessage(body)]).toEqual([403, 'AccessDenied', 'Invalid according to Policy: Policy expired.']);
    });
  });

  it('403 for fields no condition covers, or a changed condition value', async () => {
    const post = await presign();
    const extra = await submit(post, 'x', 'a.txt', { 'x-amz-meta-sneaky': 'yes' });
    expect([extra.status, errorMessage(await extra.text())]).toEqual([403, 'Invalid according to Policy: Extra input fields: x-amz-meta-sneaky']);
    const changed = await submit(post, 'x', 'a.txt', { 'x-amz-meta-uploader': 'mallory' });
    expect(changed.status).toBe(403);
    expect((await submit(post, 'x', 'a.txt', { 'x-ignore-anything': 'fine' })).status).toBe(204);
  });

  it('403 for a tampered policy or signature, or an unknown key; anonymous forms are refused', async () => {
    const post = await presign();
    const policy = JSON.parse(Buffer.from(post.fields.Policy!, 'base64').toString()) as { conditions: unknown[] };
    policy.conditions = policy.conditions.filter((c) => !(Array.isArray(c) && c[0] === 'content-length-range'));
    const tampered = await submit({ ...post, fields: { ...post.fields, Policy: Buffer.from(JSON.stringify(policy)).toString('base64') } }, 'x');
    expect([tampered.status, errorCode(await tampered.text())]).toEqual([403, 'SignatureDoesNotMatch']);
    const badSig = await submit({ ...post, fields: { ...post.fields, 'X-Amz-Signature': '0'.repeat(64) } }, 'x');
    expect(badSig.status).toBe(403);
    const unknown = await submit({ ...post, fields: { ...post.fields, 'X-Amz-Credential': post.fields['X-Amz-Credential']!.replace(/^[^/]+/, 'AKIDNOBODY') } }, 'x');
    expect([unknown.status, errorCode(await unknown.text())]).toEqual([403, 'InvalidAccessKeyId']);
    const anonymous = await submit({ url: post.url, fields: { key: 'uploads/acme/anon.txt' } }, 'x');
    expect([anonymous.status, errorCode(await anonymous.text())]).toEqual([403, 'AccessDenied']);
  });

  it('refuses a form without a file (400) or without its key (403), and a non-form body (412)', async () => {
    const post = await presign();
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    const noFile = await fetch(post.url, { method: 'POST', body: form });
    expect(noFile.status).toBe(400);
    const { key: _key, ...withoutKey } = post.fields;
    const noKey = await submit({ url: post.url, fields: withoutKey }, 'x');
    expect(noKey.status).toBe(403);
    const notForm = await fetch(post.url, { method: 'POST', body: 'plain', headers: { 'content-type': 'text/plain' } });
    expect(notForm.status).toBe(412);
  });
});

describe('form parser', () => {
  it('finds fields and the file however the body is split into chunks', async () => {
    const boundary = '----XyZ';
    const file = Buffer.concat([Buffer.from('line1\r\n--not-it\r\n'), randomBytes(300)]);
    const body = Buffer.concat([
      Buffer.from(`preamble\r\n--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nk/\${filename}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="x-amz-meta-a"\r\n\r\nv\u00e9\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f \\"q\\".bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    for (const size of [1, 2, 7, 13, 64, body.length]) {
      const chunks = Array.from({ length: Math.ceil(body.length / size) }, (_, i) => body.subarray(i * size, (i + 1) * size));
      const reader = new FormDataReader(Readable.from(chunks), boundary, 20 * 1024);
      const { fields, file: part } = await reader.readFields();
      expect(fields, `chunk ${size}`).toEqual([
        { name: 'key', value: 'k/${filename}' },
        { name: 'x-amz-meta-a', value: 'v\u00e9' },
      ]);
      expect(part).toEqual({ filename: 'f "q".bin', contentType: 'application/octet-stream' });
      const received: Buffer[] = [];
      for await (const chunk of reader.fileContent()) received.push(chunk);
      expect(Buffer.concat(received).equals(file), `chunk ${size}`).toBe(true);
      reader.release();
    }
  });
});
