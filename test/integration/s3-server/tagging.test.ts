// Object tagging on the local S3 server: the tagging API, tags on writes, S3's limits, persistence, and the optional
// GuardDuty-style tag condition on reads and tag writes.
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
  type S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server } from '../../../local/s3/server.js';
import { BUCKET, CREDS, errorCode, REGION, sdkError, signedRequest, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
let s3: S3Client;

beforeAll(async () => {
  t = await startTestServer();
  s3 = t.client();
});
afterAll(() => t.close());

const tagsOf = async (client: S3Client, key: string): Promise<Tag[]> => (await client.send(new GetObjectTaggingCommand({ Bucket: BUCKET, Key: key }))).TagSet ?? [];
const putTags = (client: S3Client, key: string, tags: Tag[]) => client.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: key, Tagging: { TagSet: tags } }));
const manyTags = (n: number): Tag[] => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));

describe('tagging API', () => {
  it('round-trips tags set by PutObject, PutObjectTagging and DeleteObjectTagging, with x-amz-tagging-count', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'tagged.txt', Body: 'x', Tagging: 'project=alpha&note=two%20words&empty=' }));
    expect(await tagsOf(s3, 'tagged.txt')).toEqual([
      { Key: 'project', Value: 'alpha' },
      { Key: 'note', Value: 'two words' },
      { Key: 'empty', Value: '' },
    ]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'tagged.txt' }))).TagCount).toBe(3);
    expect((await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'tagged.txt' }))).TagCount).toBe(3);

    // PutObjectTagging replaces the whole set; unicode and S3's allowed punctuation pass.
    await putTags(s3, 'tagged.txt', [{ Key: 'GuardDutyMalwareScanStatus', Value: 'NO_THREATS_FOUND' }, { Key: 'ünï +-=._:/@', Value: '日本語 +-=._:/@' }]);
    expect(await tagsOf(s3, 'tagged.txt')).toEqual([
      { Key: 'GuardDutyMalwareScanStatus', Value: 'NO_THREATS_FOUND' },
      { Key: 'ünï +-=._:/@', Value: '日本語 +-=._:/@' },
    ]);
    const deleted = await s3.send(new DeleteObjectTaggingCommand({ Bucket: BUCKET, Key: 'tagged.txt' }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(await tagsOf(s3, 'tagged.txt')).toEqual([]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'tagged.txt' }))).TagCount).toBeUndefined();
  });

  it('drops the tags of a replaced object, and answers NoSuchKey for a missing one', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'replaced.txt', Body: 'v1', Tagging: 'a=1' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'replaced.txt', Body: 'v2' }));
    expect(await tagsOf(s3, 'replaced.txt')).toEqual([]);
    // Thunks, so that no rejection waits unobserved while an earlier call is awaited.
    const calls = [() => tagsOf(s3, 'missing.txt'), () => putTags(s3, 'missing.txt', [{ Key: 'a', Value: '1' }]), () => s3.send(new DeleteObjectTaggingCommand({ Bucket: BUCKET, Key: 'missing.txt' }))];
    for (const call of calls) {
      const err = await sdkError(call());
      expect([err.status, err.name]).toEqual([404, 'NoSuchKey']);
    }
  });

  it('applies x-amz-tagging of CreateMultipartUpload at completion', async () => {
    const key = 'multipart-tagged.bin';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, Tagging: 'stage=upload&owner=acme' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: 'only part' }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    expect(await tagsOf(s3, key)).toEqual([
      { Key: 'stage', Value: 'upload' },
      { Key: 'owner', Value: 'acme' },
    ]);
    // Refused at create, not later.
    const err = await sdkError(s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, Tagging: manyTags(11).map((g) => `${g.Key}=${g.Value}`).join('&') })));
    expect([err.status, err.name]).toEqual([400, 'BadRequest']);
  });

  it('takes the tagging field of a presigned POST (an XML Tagging document) and x-amz-tagging hoisted into a presigned PUT', async () => {
    const tagging = '<Tagging><TagSet><Tag><Key>via</Key><Value>post</Value></Tag></TagSet></Tagging>';
    // The presigner bundles its own copy of the S3 client types; at run time any S3Client works.
    const post = await createPresignedPost(s3, { Bucket: BUCKET, Key: 'posted.txt', Fields: { tagging }, Expires: 60 });
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', new Blob(['posted']), 'posted.txt');
    expect((await fetch(post.url, { method: 'POST', body: form })).status).toBe(204);
    expect(await tagsOf(s3, 'posted.txt')).toEqual([{ Key: 'via', Value: 'post' }]);

    const url = await getSignedUrl(t.client({ requestChecksumCalculation: 'WHEN_REQUIRED' }), new PutObjectCommand({ Bucket: BUCKET, Key: 'presigned-tagged.txt', Tagging: 'via=presigned-put' }), { expiresIn: 60 });
    expect(new URL(url).searchParams.get('x-amz-tagging')).toBe('via=presigned-put');
    expect((await fetch(url, { method: 'PUT', body: 'put' })).status).toBe(200);
    expect(await tagsOf(s3, 'presigned-tagged.txt')).toEqual([{ Key: 'via', Value: 'presigned-put' }]);
  });

  it('keeps tags across a restart', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'durable.txt', Body: 'x', Tagging: 'keep=me' }));
    await putTags(s3, 'durable.txt', [{ Key: 'keep', Value: 'me too' }]);
    await t.restart();
    s3 = t.client();
    expect(await tagsOf(s3, 'durable.txt')).toEqual([{ Key: 'keep', Value: 'me too' }]);
  });
});

describe("S3's tag limits", () => {
  it('allows 10 tags, keys of 128 and values of 256 characters (counted as characters, not bytes)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'limits.txt', Body: 'x' }));
    await putTags(s3, 'limits.txt', manyTags(10));
    await putTags(s3, 'limits.txt', [{ Key: 'ä'.repeat(128), Value: 'ö'.repeat(256) }]);
    expect((await tagsOf(s3, 'limits.txt'))[0]!.Value).toHaveLength(256);
  });

  it.each([
    ['11 tags', manyTags(11), 'BadRequest', 'Object tags cannot be greater than 10'],
    ['a 129-character key', [{ Key: 'k'.repeat(129), Value: 'v' }], 'InvalidTag', 'The TagKey you have provided is invalid'],
    ['an empty key', [{ Key: '', Value: 'v' }], 'InvalidTag', 'The TagKey you have provided is invalid'],
    ['a 257-character value', [{ Key: 'k', Value: 'v'.repeat(257) }], 'InvalidTag', 'The TagValue you have provided is invalid'],
    ['a duplicate key', [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }], 'InvalidTag', 'Cannot provide multiple Tags with the same key'],
    ['an aws: key', [{ Key: 'aws:origin', Value: 'me' }], 'InvalidTag', 'Your TagKey cannot be prefixed with aws:'],
  ] as const)('PutObjectTagging refuses %s (400 %s) and keeps the old tags', async (_what, tags, code, message) => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'limits-refused.txt', Body: 'x', Tagging: 'old=tag' }));
    const err = await sdkError(putTags(s3, 'limits-refused.txt', [...tags]));
    expect([err.status, err.name, err.message]).toEqual([400, code, message]);
    expect(await tagsOf(s3, 'limits-refused.txt')).toEqual([{ Key: 'old', Value: 'tag' }]);
  });

  it('applies the same limits to x-amz-tagging, refuses duplicates there as InvalidArgument, and stores nothing', async () => {
    const put = (Tagging: string) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'limits-header.txt', Body: 'x', Tagging }));
    expect((await sdkError(put(manyTags(11).map((g) => `${g.Key}=${g.Value}`).join('&')))).name).toBe('BadRequest');
    expect((await sdkError(put(`k=${'v'.repeat(257)}`))).name).toBe('InvalidTag');
    expect((await sdkError(put('k=1&k=2'))).name).toBe('InvalidArgument');
    expect((await sdkError(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'limits-header.txt' })))).status).toBe(404);
  });

  it('requires Content-MD5 or a checksum on PutObjectTagging, and a well-formed document', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'raw-tagging.txt', Body: 'x' }));
    const body = '<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet></Tagging>';
    const path = `/${BUCKET}/raw-tagging.txt`;
    const bare = await signedRequest(t.server.url, { method: 'PUT', path, query: { tagging: '' }, body });
    expect([bare.status, errorCode(bare.body)]).toEqual([400, 'InvalidRequest']);
    const md5 = (text: string) => ({ 'content-md5': createHash('md5').update(text).digest('base64') });
    const broken = await signedRequest(t.server.url, { method: 'PUT', path, query: { tagging: '' }, headers: md5('<Tagging><Tag/></Tagging>'), body: '<Tagging><Tag/></Tagging>' });
    expect([broken.status, errorCode(broken.body)]).toEqual([400, 'MalformedXML']);
    const ok = await signedRequest(t.server.url, { method: 'PUT', path, query: { tagging: '' }, headers: md5(body), body });
    expect(ok.status).toBe(200);
    expect(await tagsOf(s3, 'raw-tagging.txt')).toEqual([{ Key: 'a', Value: '1' }]);
  });
});

describe('readTagCondition (a GuardDuty tag policy)', () => {
  const GUARDDUTY = { accessKeyId: 'AKIDGUARDDUTY', secretAccessKey: 'guardduty-secret' };
  const SCAN_TAG = 'GuardDutyMalwareScanStatus';
  let g: TestServer;
  let user: S3Client;
  let guardDuty: S3Client;

  beforeAll(async () => {
    g = await startTestServer({
      credentials: [CREDS, GUARDDUTY],
      readTagCondition: { prefix: 'uploads/', tag: SCAN_TAG, value: 'NO_THREATS_FOUND', exemptAccessKeyIds: [GUARDDUTY.accessKeyId], guardTagWrites: true, unguardedPrefixes: ['uploads/.portal-pending/'] },
    });
    user = g.client();
    guardDuty = g.client({ credentials: GUARDDUTY });
  });
  afterAll(() => g.close());

  const presignedGet = async (key: string) => fetch(await getSignedUrl(user, new GetObjectCommand({ Bucket: BUCKET, Key: key }), { expiresIn: 60 }));

  it('denies reads under the prefix until the exempt principal tags the object clean, and again when it is not', async () => {
    const key = 'uploads/acme/file.bin';
    await user.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'payload', Tagging: 'origin=portal' }));
    expect((await sdkError(user.send(new GetObjectCommand({ Bucket: BUCKET, Key: key })))).status).toBe(403);
    expect((await sdkError(user.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })))).status).toBe(403);
    const denied = await presignedGet(key);
    expect([denied.status, errorCode(await denied.text())]).toEqual([403, 'AccessDenied']);
    // The scanner itself reads it, and tags it.
    expect(await (await guardDuty.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString()).toBe('payload');
    await putTags(guardDuty, key, [{ Key: 'origin', Value: 'portal' }, { Key: SCAN_TAG, Value: 'NO_THREATS_FOUND' }]);
    const allowed = await presignedGet(key);
    expect([allowed.status, await allowed.text()]).toEqual([200, 'payload']);
    expect((await user.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).TagCount).toBe(2);

    await putTags(guardDuty, key, [{ Key: SCAN_TAG, Value: 'THREATS_FOUND' }]);
    expect((await presignedGet(key)).status).toBe(403);
  });

  it('denies a missing key under the prefix to others (404 only for the exempt principal) and leaves other prefixes alone', async () => {
    expect((await sdkError(user.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'uploads/none.bin' })))).status).toBe(403);
    expect((await sdkError(guardDuty.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'uploads/none.bin' })))).status).toBe(404);
    await user.send(new PutObjectCommand({ Bucket: BUCKET, Key: '_portal/config.json', Body: '{}' }));
    expect((await presignedGet('_portal/config.json')).status).toBe(200);
    await putTags(user, '_portal/config.json', [{ Key: SCAN_TAG, Value: 'whatever' }]);
  });

  it('leaves an unguarded sub-prefix readable before any scan (the upload reservations), and guards its siblings', async () => {
    await user.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/.portal-pending/acme/r.json', Body: '{"ok":true}' }));
    expect(await (await user.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/.portal-pending/acme/r.json' }))).Body!.transformToString()).toBe('{"ok":true}');
    await user.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'uploads/.portal-pendingX/r.json', Body: 'x' }));
    expect((await sdkError(user.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/.portal-pendingX/r.json' })))).status).toBe(403);
  });

  it('lets only the exempt principal write tags under the prefix, including the scan tag on uploads', async () => {
    const key = 'uploads/acme/self-tagged.bin';
    const selfTagged = await sdkError(user.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x', Tagging: `${SCAN_TAG}=NO_THREATS_FOUND` })));
    expect([selfTagged.status, selfTagged.name]).toEqual([403, 'AccessDenied']);
    expect((await sdkError(user.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, Tagging: `${SCAN_TAG}=NO_THREATS_FOUND` })))).status).toBe(403);
    await user.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x', Tagging: 'origin=portal' }));
    expect((await sdkError(putTags(user, key, [{ Key: SCAN_TAG, Value: 'NO_THREATS_FOUND' }]))).status).toBe(403);
    expect((await sdkError(user.send(new DeleteObjectTaggingCommand({ Bucket: BUCKET, Key: key })))).status).toBe(403);
    expect(await tagsOf(guardDuty, key)).toEqual([{ Key: 'origin', Value: 'portal' }]);
    await guardDuty.send(new DeleteObjectTaggingCommand({ Bucket: BUCKET, Key: key }));
    expect(await tagsOf(user, key)).toEqual([]);
  });

  it('refuses an exempt access key that is not a configured credential', async () => {
    await expect(
      startS3Server({ dataDir: `${g.root}/unused`, credentials: [CREDS], buckets: [BUCKET], region: REGION, readTagCondition: { prefix: '', tag: SCAN_TAG, value: 'x', exemptAccessKeyIds: ['AKIDTYPO'] } }),
    ).rejects.toThrow(/unknown access keys: AKIDTYPO/);
  });
});
