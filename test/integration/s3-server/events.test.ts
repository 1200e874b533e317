// S3 events from the local S3 server: EventBridge-shaped, one per committed change, with sequencers that order the
// changes of a key (also across restarts), handed to onEvent after the request without ever failing it.
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeleteObjectTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { compareSequencers, type S3EventBridgeEvent } from '../../../contract/s3-events.js';
import { BUCKET, CREDS, REGION, sdkError, startTestServer, type TestServer } from './helpers.js';

const OWNER_ACCOUNT = '444455556666';
const UPLOADER_ACCOUNT = '111122223333';
const OTHER = { accessKeyId: 'AKIDOTHERACCOUNT', secretAccessKey: 'other-secret' };

let t: TestServer;
let s3: S3Client;
const received: S3EventBridgeEvent[] = [];
/** Swapped by the tests of listener failures; the server only ever sees the wrapper. */
let listener: (event: S3EventBridgeEvent) => unknown = (event) => received.push(event);

beforeAll(async () => {
  t = await startTestServer({
    accountId: OWNER_ACCOUNT,
    credentials: [{ ...CREDS, accountId: UPLOADER_ACCOUNT }, OTHER],
    // Returns what the listener returns, so the server sees an async listener's promise.
    onEvent: (event) => listener(event),
  });
  s3 = t.client();
});
afterAll(() => t.close());

/** The events for `key`, once `count` have arrived (delivery follows the response). */
async function eventsFor(key: string, count: number): Promise<S3EventBridgeEvent[]> {
  const forKey = () => received.filter((e) => e.detail.object.key === key);
  await vi.waitFor(() => expect(forKey()).toHaveLength(count), { timeout: 3000, interval: 10 });
  return forKey();
}

/** Lets any event that a request might still (wrongly) produce arrive before asserting there is none. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

const unquoted = (etag: string | undefined) => etag?.replace(/"/g, '');

describe('event shape and order', () => {
  it('create, overwrite, tag, untag and delete: one event each, as S3 sends them to EventBridge, with growing sequencers', async () => {
    const key = 'seq/file.txt';
    const first = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'v1' }));
    const second = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'version two' }));
    const tagged = await s3.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: key, Tagging: { TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: 'NO_THREATS_FOUND' }] } }));
    const untagged = await s3.send(new DeleteObjectTaggingCommand({ Bucket: BUCKET, Key: key }));
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    const events = await eventsFor(key, 5);

    expect(events[0]).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: OWNER_ACCOUNT,
      time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      region: REGION,
      resources: [`arn:aws:s3:::${BUCKET}`],
      detail: {
        version: '0',
        bucket: { name: BUCKET },
        object: { key, size: 2, etag: unquoted(first.ETag), sequencer: expect.stringMatching(/^[0-9A-F]{16}$/) },
        'request-id': first.$metadata.requestId,
        requester: UPLOADER_ACCOUNT,
        'source-ip-address': '127.0.0.1',
        reason: 'PutObject',
      },
    });
    expect(events.map((e) => [e['detail-type'], e.detail.reason, e.detail['deletion-type'], e.detail.object.size, e.detail.object.etag, e.detail['request-id']])).toEqual([
      ['Object Created', 'PutObject', undefined, 2, unquoted(first.ETag), first.$metadata.requestId],
      ['Object Created', 'PutObject', undefined, 11, unquoted(second.ETag), second.$metadata.requestId],
      ['Object Tags Added', undefined, undefined, undefined, unquoted(second.ETag), tagged.$metadata.requestId],
      ['Object Tags Deleted', undefined, undefined, undefined, unquoted(second.ETag), untagged.$metadata.requestId],
      ['Object Deleted', 'DeleteObject', 'Permanently Deleted', undefined, unquoted(second.ETag), deleted.$metadata.requestId],
    ]);
    const sequencers = events.map((e) => e.detail.object.sequencer!);
    for (let i = 1; i < sequencers.length; i++) expect(compareSequencers(sequencers[i - 1]!, sequencers[i]!)).toBeLessThan(0);
    // Whatever order the events arrive in, the sequencers put them back in the order of the changes.
    const shuffled = [events[3]!, events[0]!, events[4]!, events[2]!, events[1]!];
    expect(shuffled.sort((a, b) => compareSequencers(a.detail.object.sequencer!, b.detail.object.sequencer!))).toEqual(events);
  });

  it('names CompleteMultipartUpload (once, not for a retried completion) and POST Object, with the signer as requester', async () => {
    const key = 'seq/multipart.bin';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const part = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: 'only part' }));
    const complete = () => s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    const done = await complete();
    await complete();
    const [created] = await eventsFor(key, 1);
    expect(created!.detail).toMatchObject({ reason: 'CompleteMultipartUpload', object: { key, size: 9, etag: unquoted(done.ETag) }, 'request-id': done.$metadata.requestId });
    expect(created!.detail.object.etag).toMatch(/^[0-9a-f]{32}-1$/);
    await settle();
    expect(received.filter((e) => e.detail.object.key === key)).toHaveLength(1);

    const other = t.client({ credentials: OTHER });
    // The presigner bundles its own copy of the S3 client types; at run time any S3Client works.
    const post = await createPresignedPost(other, { Bucket: BUCKET, Key: 'seq/posted.txt', Expires: 60 });
    const form = new FormData();
    for (const [name, value] of Object.entries(post.fields)) form.append(name, value);
    form.append('file', new Blob(['posted!']), 'posted.txt');
    const res = await fetch(post.url, { method: 'POST', body: form });
    expect(res.status).toBe(204);
    const [posted] = await eventsFor('seq/posted.txt', 1);
    // A key without its own account is the server's.
    expect(posted!.detail).toMatchObject({ reason: 'POST Object', requester: OWNER_ACCOUNT, object: { size: 7, etag: unquoted(res.headers.get('etag') ?? '') }, 'request-id': res.headers.get('x-amz-request-id') });
  });

  it('sends one Object Deleted per key DeleteObjects removed, and nothing for keys that did not exist', async () => {
    await Promise.all(['seq/batch-1', 'seq/batch-2'].map((Key) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: Key }))));
    await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: 'seq/batch-1' }, { Key: 'seq/batch-2' }, { Key: 'seq/never-existed' }] } }));
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'seq/never-existed-either' }));
    for (const key of ['seq/batch-1', 'seq/batch-2']) {
      const [, deleted] = await eventsFor(key, 2);
      expect([deleted!['detail-type'], deleted!.detail.reason, deleted!.detail['deletion-type'], deleted!.detail.object.size]).toEqual(['Object Deleted', 'DeleteObject', 'Permanently Deleted', undefined]);
    }
    await settle();
    expect(received.filter((e) => e.detail.object.key.startsWith('seq/never-existed'))).toEqual([]);
  });

  it('sends nothing for refused writes', async () => {
    const key = 'seq/refused.txt';
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'first' }));
    expect((await sdkError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'second', IfNoneMatch: '*' })))).status).toBe(412);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ChecksumAlgorithm: 'CRC64NVME' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: 1, Body: 'x', ChecksumAlgorithm: 'CRC64NVME' }));
    const wrong = await sdkError(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] }, ChecksumCRC64NVME: 'AAAAAAAAAAA=' })),
    );
    expect(wrong.name).toBe('BadDigest');
    await settle();
    expect(await eventsFor(key, 1)).toHaveLength(1);
  });

  it('keeps sequencers growing across a restart', async () => {
    const key = 'seq/restarted.txt';
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'before' }));
    const [before] = await eventsFor(key, 1);
    await t.restart();
    s3 = t.client();
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'after' }));
    const [, after] = await eventsFor(key, 2);
    expect(compareSequencers(before!.detail.object.sequencer!, after!.detail.object.sequencer!)).toBeLessThan(0);
  });
});

describe('listener failures', () => {
  it('never fail the S3 response: a throwing or rejecting listener is only logged', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      listener = () => {
        throw new Error('listener broke');
      };
      const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'seq/listener-throws.txt', Body: 'x' }));
      expect(put.$metadata.httpStatusCode).toBe(200);
      await vi.waitFor(() => expect(logged).toHaveBeenCalledWith('[local-s3] onEvent listener failed:', expect.objectContaining({ message: 'listener broke' })));

      listener = () => Promise.reject(new Error('async listener broke'));
      const second = await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'seq/listener-throws.txt' }));
      expect(second.$metadata.httpStatusCode).toBe(204);
      await vi.waitFor(() => expect(logged).toHaveBeenCalledWith('[local-s3] onEvent listener failed:', expect.objectContaining({ message: 'async listener broke' })));
    } finally {
      listener = (event) => received.push(event);
      logged.mockRestore();
    }
    // The server carries on, and so does delivery.
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'seq/after-failures.txt', Body: 'x' }));
    expect(await eventsFor('seq/after-failures.txt', 1)).toHaveLength(1);
  });
});
