// A scan verdict read back from the object's tags, for an entry the catalog still shows as pending:
// GuardDuty tags every object it scans, so the tag outlives a scan-result event that was lost (or sent
// before the catalog existed). An object without a tag long after it was stored will never get one
// (GuardDuty scans only objects created while its plan exists): its entry becomes `not_scanned`
// (contract/malware-scan.ts, reconciledScanState). Reconcile uses it; the events Lambda never needs it.
// `readScanVerdict` is the one reading of that tag: the admin file browser (download of a file the
// catalog does not know yet) and release ask it too.
import { GetObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import { reconciledScanState, scanStatusOfTags, type ScanResultStatus } from '../../../contract/malware-scan.js';
import { isObjectNotFound } from '../../shared/s3-errors.js';
import type { CatalogDb } from './catalog-db.js';
import type { CatalogPath } from './catalog-path.js';
import { applyScanResult, recordNeverScanned } from './scan-writer.js';

/** The version of the object reconcile examines: its ETag (without quotes), size, and since when it is known to be stored. */
export interface ListedVersion {
  etag: string;
  size: number;
  storedAt: Date;
}

/** GuardDuty's verdict as the object's tags hold it: `status` null when it has none (not scanned yet). */
export interface ScanVerdict {
  status: ScanResultStatus | null;
}

/** The verdict the object's tags hold; null when there is no such object (NoSuchKey): each caller says what that means. */
export async function readScanVerdict(s3: S3Client, bucket: string, key: string): Promise<ScanVerdict | null> {
  try {
    const tagging = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
    return { status: scanStatusOfTags(tagging.TagSet ?? []) };
  } catch (error) {
    if (isObjectNotFound(error)) return null;
    throw error;
  }
}

/**
 * Records on the entry of `version` the verdict the object's tag holds, or `not_scanned` when it has
 * none and never will; true when that changed the entry.
 */
export async function recoverScanFromTags(db: CatalogDb, s3: S3Client, bucket: string, path: CatalogPath, version: ListedVersion, now: Date): Promise<boolean> {
  const verdict = await readScanVerdict(s3, bucket, path.key);
  if (!verdict) return false; // deleted meanwhile: its own event takes it out
  const { status } = verdict;
  const state = reconciledScanState(status, version.size, version.storedAt, now);
  if (state === 'pending') return false; // not scanned yet: the scan's own event will come
  if (status === null) return recordNeverScanned(db, path, version.etag);
  // The threats' names are in the scan-result event only; the tag says only that there were some.
  const result = await applyScanResult(db, path, { etag: version.etag, status, threats: [], at: now.toISOString() });
  return result.outcome === 'applied';
}
