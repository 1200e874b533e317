// A scan verdict read back from the object's tags, for an entry the catalog still shows as pending:
// GuardDuty tags every object it scans, so the tag outlives a scan-result event that was lost (or sent
// before the catalog existed). Reconcile uses it; the events Lambda never needs it.
import { GetObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import { scanStatusOfTags } from '../../../contract/malware-scan.js';
import { isObjectNotFound } from '../../shared/s3-errors.js';
import type { CatalogDb } from './catalog-db.js';
import type { CatalogPath } from './catalog-path.js';
import { applyScanResult } from './scan-writer.js';

/** Records the verdict the object's tag holds on the entry of version `etag`; true when that changed the entry. */
export async function recoverScanFromTags(db: CatalogDb, s3: S3Client, bucket: string, path: CatalogPath, etag: string, now: Date): Promise<boolean> {
  let tags;
  try {
    tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: path.key }));
  } catch (error) {
    if (isObjectNotFound(error)) return false; // deleted meanwhile: its own event takes it out
    throw error;
  }
  const status = scanStatusOfTags(tags.TagSet ?? []);
  if (status === null) return false; // not scanned yet: the scan's own event will come
  // The threats' names are in the scan-result event only; the tag says only that there were some.
  const result = await applyScanResult(db, path, { etag, status, threats: [], at: now.toISOString() });
  return result.outcome === 'applied';
}
