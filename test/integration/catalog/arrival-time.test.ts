// When a file arrived: a multipart object's LastModified is when its upload was initiated (S3, and the
// local S3 server like it), so the catalog records the Object Created event's time instead, and the
// newest-first feed lists a long upload by when it was completed. Reconcile, which has no event, keeps
// that time, and records LastModified only for a file it is the first to see.
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, HeadObjectCommand, PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCatalogFiles } from '../../../lambdas/shared/catalog/file-listing.js';
import { reconcileEndpoint, startProgress } from '../../../lambdas/shared/catalog/reconcile.js';
import { buildObjectMetadata } from '../../../lambdas/shared/object-metadata.js';
import { CREDS, MovableClock, REGION } from '../s3-server/helpers.js';
import { BUCKET, catalogEntry, startCatalogWorld, type CatalogWorld } from './fixture.js';

const TWO_DAYS_MS = 2 * 86_400_000;

const clock = new MovableClock();
let w: CatalogWorld;
beforeAll(async () => {
  w = await startCatalogWorld({ s3Server: { clock: clock.now } });
});
afterAll(async () => w?.close());

const entry = (key: string) => catalogEntry(w.db, key);

const newestFirst = async (endpoint: string) =>
  (
    await listCatalogFiles(
      w.db,
      { scope: 'endpoint', endpoint, folder: '', sort: 'time', order: 'desc', namePrefix: null, contains: null, from: null, to: null },
      { pageSize: 100, token: null, toEntry: (f) => f },
    )
  ).entries;

const reconcile = async (endpoint: string) => (await reconcileEndpoint({ db: w.db, s3: w.s3, bucket: BUCKET, now: () => new Date(), scanMode: 'off' }, startProgress(endpoint), 60_000)).progress;

/** A multipart upload initiated now and completed two days later (the server's clock and the signer's both moved ahead); answers its Object Created event. */
async function slowMultipartUpload(key: string) {
  const metadata = buildObjectMetadata({ originalName: 'huge.bin', uploadedBy: 'jane@acme.example' }, 'huge.bin');
  const created = await w.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, Metadata: metadata }));
  const part = await w.s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: created.UploadId, PartNumber: 1, Body: 'the only part' }));
  const later = new S3Client({ region: REGION, endpoint: w.s3Server.server.url, forcePathStyle: true, credentials: CREDS, systemClockOffset: TWO_DAYS_MS });
  const from = w.events.length;
  try {
    await clock.aheadBy(TWO_DAYS_MS, () =>
      later.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: created.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } })),
    );
  } finally {
    later.destroy();
  }
  return w.eventOf(key, from);
}

describe('a multipart upload completed two days after it was initiated', () => {
  it('is stamped by the local S3 server with its initiation time, as S3 does, and listed first by its completion time', async () => {
    const multipart = 'uploads/arrivals/huge.bin';
    const initiatedAt = Date.now();
    const event = await slowMultipartUpload(multipart);
    // A small file stored after the upload began, long before it was completed.
    const small = 'uploads/arrivals/small.txt';
    const from = w.events.length;
    await w.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: small, Body: 'small', Metadata: buildObjectMetadata({ originalName: 'small.txt', uploadedBy: 'jane@acme.example' }, 'small.txt') }));
    const smallEvent = await w.eventOf(small, from);

    const head = await w.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: multipart }));
    expect(head.LastModified!.getTime()).toBeLessThan(initiatedAt + 60_000);
    expect(Date.parse(event.time)).toBeGreaterThanOrEqual(initiatedAt + TWO_DAYS_MS - 1000);

    expect(await w.handle(event)).toMatchObject({ results: [{ outcome: 'applied' }] });
    expect(await w.handle(smallEvent)).toMatchObject({ results: [{ outcome: 'applied' }] });
    const listed = await newestFirst('arrivals');
    expect(listed.map((f) => f.key)).toEqual([multipart, small]);
    expect(listed[0]!.uploadedAt).toBe(new Date(event.time).toISOString());
  });

  it('keeps its arrival time when the event comes again, and when reconcile checks it', async () => {
    const multipart = 'uploads/arrivals-again/huge.bin';
    const event = await slowMultipartUpload(multipart);
    const arrived = new Date(event.time).toISOString();
    expect(await w.handle(event)).toMatchObject({ results: [{ outcome: 'applied' }] });
    expect(await w.handle(event)).toMatchObject({ results: [{ outcome: 'duplicate' }] });
    expect((await entry(multipart))?.file?.uploadedAt).toBe(arrived);

    expect(await reconcile('arrivals-again')).toMatchObject({ checked: 1, added: 0, repaired: 0, removed: 0, fileCount: 1 });
    expect((await entry(multipart))?.file?.uploadedAt).toBe(arrived);
  });

  it('is recorded at LastModified by reconcile when its event was lost (the best time without one), and at its arrival once the event comes', async () => {
    const multipart = 'uploads/arrivals-lost/huge.bin';
    const event = await slowMultipartUpload(multipart);
    const head = await w.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: multipart }));
    expect(await reconcile('arrivals-lost')).toMatchObject({ added: 1 });
    expect((await entry(multipart))?.file?.uploadedAt).toBe(head.LastModified!.toISOString());

    // A late delivery of the event is newer than anything reconcile recorded: its arrival time wins.
    expect(await w.handle(event)).toMatchObject({ results: [{ outcome: 'applied' }] });
    expect((await entry(multipart))?.file?.uploadedAt).toBe(new Date(event.time).toISOString());
  });
});
