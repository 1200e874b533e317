// The write-once prefix of the local S3 server, as the stack's audit-prefix bucket policy: an object
// there is created only with If-None-Match, and no request may overwrite, delete or retag it. The rest
// of the bucket is untouched by the rule.
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_PREFIX } from '../../../contract/bucket-layout.js';
import { startS3Server } from '../../../local/s3/server.js';
import { BUCKET, CREDS, sdkError, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
let s3: S3Client;
const EVENT = `${AUDIT_PREFIX}all/0000000000001-abc.json`;

const text = async (key: string) => (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();

beforeAll(async () => {
  t = await startTestServer({ writeOncePrefixes: [AUDIT_PREFIX] });
  s3 = t.client();
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: EVENT, Body: 'first', IfNoneMatch: '*' }));
});
afterAll(() => t.close());

describe('a write-once prefix', () => {
  it('creates an object sent with If-None-Match', async () => {
    expect(await text(EVENT)).toBe('first');
  });

  it('refuses a PUT without If-None-Match (AccessDenied), new key or existing one, and keeps the object', async () => {
    expect(await sdkError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: EVENT, Body: 'forged' })))).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(await sdkError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${AUDIT_PREFIX}all/new.json`, Body: 'x' })))).toMatchObject({ name: 'AccessDenied' });
    expect(await text(EVENT)).toBe('first');
  });

  it('refuses an overwrite with If-None-Match (the object exists: 412)', async () => {
    expect(await sdkError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: EVENT, Body: 'forged', IfNoneMatch: '*' })))).toMatchObject({ status: 412 });
    expect(await text(EVENT)).toBe('first');
  });

  it('refuses a delete, alone or in a batch (which deletes the other keys), and a retag', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/acme/a.txt', Body: 'a' }));
    expect(await sdkError(s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: EVENT })))).toMatchObject({ name: 'AccessDenied', status: 403 });
    const batch = await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: EVENT }, { Key: 'uploads/acme/a.txt' }] } }));
    expect(batch.Errors).toEqual([expect.objectContaining({ Key: EVENT, Code: 'AccessDenied' })]);
    expect(batch.Deleted).toEqual([expect.objectContaining({ Key: 'uploads/acme/a.txt' })]);
    expect(await sdkError(s3.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: EVENT, Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } })))).toMatchObject({ name: 'AccessDenied' });
    expect(await text(EVENT)).toBe('first');
  });

  it('lets parts be sent but completes a multipart upload only with If-None-Match', async () => {
    const key = `${AUDIT_PREFIX}all/multipart.json`;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const { ETag } = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: 'mp' }));
    const complete = (extra: { IfNoneMatch?: string }) => s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag }] }, ...extra }));
    expect(await sdkError(complete({}))).toMatchObject({ name: 'AccessDenied' });
    await complete({ IfNoneMatch: '*' });
    expect(await text(key)).toBe('mp');
  });

  it('leaves keys outside the prefix alone: overwrite and delete work', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/acme/b.txt', Body: 'one' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/acme/b.txt', Body: 'two' }));
    expect(await text('uploads/acme/b.txt')).toBe('two');
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'uploads/acme/b.txt' }));
  });

  it('refuses an empty prefix at start (it would make the whole bucket write-once)', async () => {
    await expect(startS3Server({ dataDir: `${t.root}/unused`, credentials: [CREDS], buckets: [BUCKET], writeOncePrefixes: [''] })).rejects.toThrow(/must not be empty/);
  });
});
