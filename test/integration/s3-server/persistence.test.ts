// Restart behaviour of the local S3 server: objects and in-progress multipart uploads survive; crash leftovers are cleaned.
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe('restart', () => {
  it('keeps objects, metadata, listing order and in-progress uploads', async () => {
    const s3 = t.client();
    const keys = ['persist/b.txt', 'persist/a.txt', 'persist/dir/c.txt', 'persist/../odd key'];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: `v:${key}`, ContentType: 'text/x-persist', Metadata: { k: 'v' } }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'persist/big.bin', ContentType: 'application/x-big', Metadata: { stage: 'mpu' } }));
    const part1 = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'persist/big.bin', UploadId, PartNumber: 1, Body: Buffer.alloc(5 * 1024 * 1024, 1) }));

    await t.restart();
    const after = t.client();
    const listed = await after.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'persist/' }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(['persist/../odd key', 'persist/a.txt', 'persist/b.txt', 'persist/dir/c.txt']);
    const head = await after.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'persist/a.txt' }));
    expect([head.ContentType, head.Metadata, head.ContentLength]).toEqual(['text/x-persist', { k: 'v' }, 'v:persist/a.txt'.length]);

    const parts = await after.send(new ListPartsCommand({ Bucket: BUCKET, Key: 'persist/big.bin', UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.ETag])).toEqual([[1, part1.ETag]]);
    const part2 = await after.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'persist/big.bin', UploadId, PartNumber: 2, Body: 'end' }));
    await after.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: 'persist/big.bin',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part1.ETag }, { PartNumber: 2, ETag: part2.ETag }] },
      }),
    );
    const big = await after.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'persist/big.bin' }));
    expect([big.ContentLength, big.ContentType, big.Metadata]).toEqual([5 * 1024 * 1024 + 3, 'application/x-big', { stage: 'mpu' }]);

    await t.restart();
    const again = await t.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'persist/big.bin', Range: 'bytes=-3' }));
    expect(await again.Body!.transformToString()).toBe('end');
  });

  it('removes crash leftovers on start: unreferenced bodies, torn sidecars, uploads without upload.json', async () => {
    const s3 = t.client();
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'survivor.txt', Body: 'still here' }));
    const objectsDir = join(t.dataDir, 'buckets', BUCKET, 'objects');
    await mkdir(join(objectsDir, '00'), { recursive: true });
    await writeFile(join(objectsDir, '00', `${'0'.repeat(64)}.deadbeef.blob`), 'orphan body');
    await writeFile(join(objectsDir, '00', `${'0'.repeat(64)}.json.cafe.tmp`), '{"torn":');
    const uploadsDir = join(t.dataDir, 'buckets', BUCKET, 'uploads');
    await mkdir(join(uploadsDir, 'half-created-upload'), { recursive: true });

    await t.restart();
    expect(await readdir(join(objectsDir, '00'))).not.toContain(`${'0'.repeat(64)}.deadbeef.blob`);
    expect(await readdir(join(objectsDir, '00'))).not.toContain(`${'0'.repeat(64)}.json.cafe.tmp`);
    expect(await readdir(uploadsDir)).not.toContain('half-created-upload');
    const got = await t.client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'survivor.txt' }));
    expect(await got.Body!.transformToString()).toBe('still here');
  });

  it('keeps the real key in the sidecar and only hashes on disk', async () => {
    await t.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: '../../../../tmp/pwned', Body: 'nope' }));
    const names = (await readdir(join(t.dataDir, 'buckets', BUCKET, 'objects'), { recursive: true })).map(String);
    expect(names.every((n) => /^[0-9a-f]{2}(\/[0-9a-f]{64}\.([0-9a-f]{24}\.blob|json))?$/.test(n))).toBe(true);
    const sidecars = names.filter((n) => n.endsWith('.json'));
    const contents = await Promise.all(sidecars.map((n) => readFile(join(t.dataDir, 'buckets', BUCKET, 'objects', n), 'utf8')));
    expect(contents.some((c) => (JSON.parse(c) as { key: string }).key === '../../../../tmp/pwned')).toBe(true);
  });
});
