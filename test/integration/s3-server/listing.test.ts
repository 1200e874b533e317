// ListObjects on the local S3 server: delimiter roll-up, pagination past 1,000 keys, ordering and parameter checks.
import { DeleteObjectCommand, ListObjectsCommand, ListObjectsV2Command, paginateListObjectsV2, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUCKET, bulkPut, errorCode, sdkError, signedRequest, startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
let s3: S3Client;
const put = (Key: string, Bucket = BUCKET): Promise<unknown> => s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));

beforeAll(async () => {
  t = await startTestServer();
  s3 = t.client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
  for (const key of ['uploads/john/a.txt', 'uploads/john/sub/b.txt', 'uploads/johnny/c.txt', 'uploads/john', 'uploads/top.txt']) await put(key);
});
afterAll(() => t.close());

describe('prefix and delimiter', () => {
  it('keeps folder "john/" apart from "johnny/"', async () => {
    const john = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'uploads/john/', Delimiter: '/' }));
    expect(john.Contents?.map((c) => c.Key)).toEqual(['uploads/john/a.txt']);
    expect(john.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['uploads/john/sub/']);
    expect([john.KeyCount, john.IsTruncated, john.Prefix, john.Delimiter]).toEqual([2, false, 'uploads/john/', '/']);

    const root = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'uploads/', Delimiter: '/' }));
    expect(root.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['uploads/john/', 'uploads/johnny/']);
    expect(root.Contents?.map((c) => c.Key)).toEqual(['uploads/john', 'uploads/top.txt']);

    const flat = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'uploads/john/' }));
    expect(flat.Contents?.map((c) => c.Key)).toEqual(['uploads/john/a.txt', 'uploads/john/sub/b.txt']);
  });

  it('treats an empty folder as a normal, empty answer', async () => {
    const empty = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'uploads/nobody/', Delimiter: '/' }));
    expect([empty.KeyCount, empty.IsTruncated, empty.Contents, empty.CommonPrefixes]).toEqual([0, false, undefined, undefined]);
    const otherBucket = await s3.send(new ListObjectsV2Command({ Bucket: 'other-bucket' }));
    expect(otherBucket.KeyCount).toBe(0);
  });

  it('pages across common prefixes without repeating one', async () => {
    for (const key of ['p/a/1', 'p/a/2', 'p/a/3', 'p/b/1', 'p/c', 'p/d/1', 'p/d/2']) await put(key);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'p/', Delimiter: '/', MaxKeys: 1, ContinuationToken: token }));
      seen.push(...(page.CommonPrefixes ?? []).map((p) => `prefix:${p.Prefix}`), ...(page.Contents ?? []).map((c) => `key:${c.Key}`));
      expect(page.KeyCount).toBe(1);
      token = page.NextContinuationToken;
    } while (token);
    expect(seen).toEqual(['prefix:p/a/', 'prefix:p/b/', 'key:p/c', 'prefix:p/d/']);
  });
});

describe('pagination', () => {
  it('continues past 1,000 keys with continuation tokens, in order and without duplicates', async () => {
    const keys = Array.from({ length: 1001 }, (_, i) => `many/${String(i).padStart(5, '0')}`);
    // Written in a scrambled order: the index must still answer in key order.
    const scrambled = [...keys].sort((a, b) => ((a.charCodeAt(9) * 7919) % 31) - ((b.charCodeAt(9) * 7919) % 31) || b.localeCompare(a));
    await bulkPut(t, scrambled.map((key) => ({ key, body: key })));

    const first = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'many/' }));
    expect([first.KeyCount, first.MaxKeys, first.IsTruncated]).toEqual([1000, 1000, true]);
    const second = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'many/', ContinuationToken: first.NextContinuationToken }));
    expect([second.KeyCount, second.IsTruncated, second.NextContinuationToken, second.ContinuationToken]).toEqual([1, false, undefined, first.NextContinuationToken]);
    expect([...first.Contents!, ...second.Contents!].map((c) => c.Key)).toEqual(keys);

    const paged: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 300 }, { Bucket: BUCKET, Prefix: 'many/' })) {
      paged.push(...(page.Contents ?? []).map((c) => c.Key!));
    }
    expect(paged).toEqual(keys);

    const capped = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'many/', MaxKeys: 5000 }));
    expect(capped.KeyCount).toBe(1000);
  });

  it('supports start-after and ListObjects (v1) markers', async () => {
    const after = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'many/', StartAfter: 'many/00997' }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(['many/00998', 'many/00999', 'many/01000']);
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: BUCKET, Prefix: 'many/', Marker: 'many/00998', MaxKeys: 1 }));
    expect([v1.Contents?.map((c) => c.Key), v1.IsTruncated]).toEqual([['many/00999'], true]);
    const v1Delimited = await s3.send(new ListObjectsCommand({ Bucket: BUCKET, Prefix: 'uploads/', Delimiter: '/', MaxKeys: 1 }));
    expect([v1Delimited.NextMarker, v1Delimited.IsTruncated]).toEqual(['uploads/john', true]);
  });

  it('sees deletes and overwrites immediately', async () => {
    await put('churn/1');
    await put('churn/2');
    await put('churn/1');
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'churn/2' }));
    await put('churn/3');
    const res = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'churn/' }));
    expect(res.Contents?.map((c) => c.Key)).toEqual(['churn/1', 'churn/3']);
  });
});

describe('order and parameters', () => {
  it('orders keys by UTF-8 bytes, as S3 does (not by UTF-16 code units)', async () => {
    const keys = ['order/a', 'order/Z', 'order/\uFFFD', 'order/\u{1F600}', 'order/\u00E9', 'order/a/b', 'order/a-b'];
    for (const key of keys) await put(key);
    const res = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'order/' }));
    const expected = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(res.Contents?.map((c) => c.Key)).toEqual(expected);
    expect(expected.indexOf('order/\uFFFD')).toBeLessThan(expected.indexOf('order/\u{1F600}'));
  });

  it('url-encodes keys with encoding-type=url', async () => {
    await put('enc/a key&<x>');
    const res = await signedRequest(t.server.url, { path: `/${BUCKET}`, query: { 'list-type': '2', prefix: 'enc/', 'encoding-type': 'url' } });
    expect(res.body).toContain('<Key>enc/a%20key%26%3Cx%3E</Key>');
    expect(res.body).toContain('<EncodingType>url</EncodingType>');
  });

  it('rejects bad max-keys, bad continuation tokens and unknown list types', async () => {
    const maxKeys = await signedRequest(t.server.url, { path: `/${BUCKET}`, query: { 'list-type': '2', 'max-keys': 'lots' } });
    expect([maxKeys.status, errorCode(maxKeys.body)]).toEqual([400, 'InvalidArgument']);
    const token = await sdkError(s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: 'garbage' })));
    expect([token.name, token.status]).toEqual(['InvalidArgument', 400]);
    const type = await signedRequest(t.server.url, { path: `/${BUCKET}`, query: { 'list-type': '3' } });
    expect(type.status).toBe(400);
    const bucket = await sdkError(s3.send(new ListObjectsV2Command({ Bucket: 'missing-bucket' })));
    expect([bucket.name, bucket.status]).toEqual(['NoSuchBucket', 404]);
  });
});
