// Files stored before malware scanning was on, end to end against the local portal with scanning
// `block`: GuardDuty scans only objects created while its plan exists, so such a file never gets a
// verdict. Reconcile first shows it pending (GuardDuty might still scan it), and once a day has passed
// since it was stored (SCAN_VERDICT_DEADLINE_MS; reconcile's clock is moved forward instead of waiting)
// `not_scanned`. The local S3 server enforces the block policy: S3 refuses a presigned GET of it and the
// admin API its download, until an admin releases it with a written reason (audited); then the release
// tag alone, on an object with no scan tag, lets the same presigned GET and the admin's download through.
import * as dynamodb from '@aws-sdk/client-dynamodb';
import { GetObjectTaggingCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReconcileResult } from '../../../contract/api/admin.js';
import { SCAN_VERDICT_DEADLINE_MS } from '../../../contract/malware-scan.js';
import { sdkCatalogDb } from '../../../lambdas/shared/catalog/catalog-db.js';
import { reconcileEndpoint, startProgress } from '../../../lambdas/shared/catalog/reconcile.js';
import { randomData } from '../../support/portal-api.js';
import { startScanBlockWorld, type ScanBlockWorld } from './scan-block-fixture.js';

const ENDPOINT = 'from-before';
const KEY = `uploads/${ENDPOINT}/old-contract.pdf`;
const REASON = 'Stored in 2025 before scanning was on; the customer confirmed it is their signed contract';

let w: ScanBlockWorld;
const data = randomData(2048);

beforeAll(async () => {
  w = await startScanBlockWorld({ name: ENDPOINT, customerEmail: 'legal@example.com' });
  // As before the deployment that turned scanning on: no scanner looks at the object, and no event
  // reaches the catalog (held, never delivered).
  w.portal.scanner!.close();
  w.portal.events.hold();
  await w.s3.send(new PutObjectCommand({ Bucket: w.portal.bucket, Key: KEY, Body: data }));
});
afterAll(() => w?.close());

/** The console's reconcile action, run to its end (its clock is the real one). */
async function reconcileFromConsole(): Promise<ReconcileResult> {
  let result = (await w.admin.call<ReconcileResult>('POST', '/admin/api/catalog/reconcile', { endpoint: ENDPOINT })).body;
  while (!result.done) result = (await w.admin.call<ReconcileResult>('POST', '/admin/api/catalog/reconcile', { endpoint: ENDPOINT, continuationToken: result.continuationToken })).body;
  return result;
}

describe('a file stored before scanning was on (block)', () => {
  it('reconcile adds it pending while GuardDuty might still scan it: not downloadable', async () => {
    expect(await reconcileFromConsole()).toMatchObject({ added: 1, fileCount: 1 });
    expect(await w.fileOf(KEY)).toMatchObject({ scan: { state: 'pending' }, downloadable: false });
  });

  it('a day after it was stored, reconcile marks it not_scanned (the object still has no tag); S3 and the admin API refuse its download', async () => {
    const { portal, s3 } = w;
    const db = sdkCatalogDb(portal.catalog.table, async () => ({ client: portal.catalog.client, sdk: dynamodb }));
    const later = new Date(Date.now() + SCAN_VERDICT_DEADLINE_MS + 60_000);
    const { progress, done } = await reconcileEndpoint({ db, s3, bucket: portal.bucket, now: () => later, scanMode: 'block' }, startProgress(ENDPOINT), 60_000);
    expect([done, progress]).toEqual([true, expect.objectContaining({ added: 0, repaired: 1, fileCount: 1 })]);
    expect(await w.fileOf(KEY)).toMatchObject({ scan: { state: 'not_scanned', release: null }, downloadable: false });
    await w.expectDownloadsRefused(KEY);
  });

  it('an admin releases it with a written reason: audited, the release tag alone on the object, recorded on the file', async () => {
    const released = await w.release(KEY, REASON);
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body).toMatchObject({ key: KEY, downloadable: true, scan: { state: 'not_scanned', release: { reason: REASON, by: w.portal.adminCredentials.email } } });
    expect(await w.fileOf(KEY)).toMatchObject({ scan: { state: 'not_scanned', release: { reason: REASON } }, downloadable: true });
    const tags = await w.s3.send(new GetObjectTaggingCommand({ Bucket: w.portal.bucket, Key: KEY }));
    expect(tags.TagSet).toEqual([{ Key: 'PortalScanRelease', Value: 'released' }]);
    expect(await w.releasedAudits(KEY)).toEqual([expect.objectContaining({ details: expect.objectContaining({ reason: REASON, state: 'not_scanned', name: 'old-contract.pdf' }) })]);
  });

  it('after the release: the same presigned GET and the admin API\'s download both return the bytes', async () => {
    await w.expectDownloadsReturn(KEY, data);
  });

  it('the next reconcile keeps it released and not_scanned', async () => {
    expect(await reconcileFromConsole()).toMatchObject({ added: 0, repaired: 0, removed: 0 });
    expect(await w.fileOf(KEY)).toMatchObject({ scan: { state: 'not_scanned', release: { reason: REASON } }, downloadable: true });
  });
});
