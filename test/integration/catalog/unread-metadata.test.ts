// Files reconcile indexes from the bucket listing alone: with malwareScan block the bucket policy refuses
// HeadObject of an object until it is scanned clean or released, so reconcile writes the key's last
// segment as its name and no uploader, and marks the entry. Once the object can be read (released, or
// scanned clean) its metadata fills them in: at the release, or at the next reconcile run.
import { PutObjectCommand, PutObjectTaggingCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAN_STATUS, SCAN_RELEASE_TAG, SCAN_RELEASE_VALUE, SCAN_STATUS_TAG } from '../../../contract/malware-scan.js';
import { catalogPath } from '../../../lambdas/shared/catalog/catalog-path.js';
import { readUnreadMetadata, reconcileEndpoint, startProgress } from '../../../lambdas/shared/catalog/reconcile.js';
import { buildObjectMetadata } from '../../../lambdas/shared/object-metadata.js';
import { CREDS } from '../s3-server/helpers.js';
import { BUCKET, catalogEntry, startCatalogWorld, type CatalogWorld } from './fixture.js';

let w: CatalogWorld;
beforeAll(async () => {
  // The block policy as the local S3 server enforces it: no read (HeadObject included) of an object
  // under uploads/ without the clean verdict or the release tag.
  w = await startCatalogWorld({
    s3Server: {
      readTagCondition: {
        prefix: 'uploads/',
        tag: SCAN_STATUS_TAG,
        value: CLEAN_STATUS,
        exemptAccessKeyIds: [],
        releaseTag: { tag: SCAN_RELEASE_TAG, value: SCAN_RELEASE_VALUE, writerAccessKeyIds: [CREDS.accessKeyId], keepableValues: [] },
      },
    },
  });
});
afterAll(async () => w?.close());

const deps = () => ({ db: w.db, s3: w.s3, bucket: BUCKET, now: () => new Date(), scanMode: 'block' as const });
const reconcile = async (endpoint: string) => (await reconcileEndpoint(deps(), startProgress(endpoint), 60_000)).progress;
const entry = (key: string) => catalogEntry(w.db, key);

async function store(key: string, originalName: string) {
  const segment = key.slice(key.lastIndexOf('/') + 1);
  await w.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'contract', Metadata: buildObjectMetadata({ originalName, uploadedBy: 'legal@example.com' }, segment) }));
}

const tag = (key: string, Key: string, Value: string) => w.s3.send(new PutObjectTaggingCommand({ Bucket: BUCKET, Key: key, Tagging: { TagSet: [{ Key, Value }] } }));

describe('a file reconcile could only list (HeadObject refused)', () => {
  it('is indexed with its key segment and no uploader, marked, and left so while it stays unreadable', async () => {
    const key = 'uploads/unread/contract.pdf';
    await store(key, 'Signed contract.pdf');
    expect(await reconcile('unread')).toMatchObject({ added: 1, fileCount: 1 });
    expect((await entry(key))?.file).toMatchObject({ name: 'contract.pdf', uploadedBy: null, metadataUnread: true });
    // Read again, still refused: nothing to write.
    expect(await reconcile('unread')).toMatchObject({ added: 0, repaired: 0 });
    expect(await readUnreadMetadata(deps(), catalogPath(key)!)).toBe(false);
    expect((await entry(key))?.file).toMatchObject({ name: 'contract.pdf', metadataUnread: true });
  });

  it('gets its name and uploader once released (the release reads them)', async () => {
    const key = 'uploads/unread-released/contract.pdf';
    await store(key, 'Signed contract.pdf');
    await reconcile('unread-released');
    await tag(key, SCAN_RELEASE_TAG, SCAN_RELEASE_VALUE);
    expect(await readUnreadMetadata(deps(), catalogPath(key)!)).toBe(true);
    const file = (await entry(key))?.file;
    expect(file).toMatchObject({ name: 'Signed contract.pdf', uploadedBy: 'legal@example.com', contentType: expect.any(String) });
    expect(file?.metadataUnread).toBeUndefined();
    // Once read, there is nothing more to do.
    expect(await readUnreadMetadata(deps(), catalogPath(key)!)).toBe(false);
  });

  it('gets its name and uploader at the next reconcile once it became readable (scanned clean)', async () => {
    const key = 'uploads/unread-clean/contract.pdf';
    await store(key, 'Signed contract.pdf');
    await reconcile('unread-clean');
    await tag(key, SCAN_STATUS_TAG, CLEAN_STATUS);
    expect(await reconcile('unread-clean')).toMatchObject({ added: 0, repaired: 1, fileCount: 1 });
    expect((await entry(key))?.file).toMatchObject({ name: 'Signed contract.pdf', uploadedBy: 'legal@example.com' });
    expect((await entry(key))?.file?.metadataUnread).toBeUndefined();
    expect(await reconcile('unread-clean')).toMatchObject({ added: 0, repaired: 0 });
  });
});
