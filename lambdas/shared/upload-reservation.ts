// Upload reservations: one small JSON object per file key, written with `If-None-Match: *` before an
// upload starts. Writing it is the atomic "this key is mine" step (two uploads of `report.pdf` at the
// same moment cannot both get the same key: the second would only learn at its end, from the
// If-None-Match of its own PUT or completion, that its name was taken), and it keeps what completion
// must check but S3 does not return for an in-progress multipart upload (ListParts and
// ListMultipartUploads carry no metadata): the size declared at create and whether the upload is
// checksummed.
//
// They live under PENDING_PREFIX (contract/bucket-layout.ts). The uploads role cannot delete objects,
// so a lifecycle rule expires that prefix a day after incomplete multipart uploads are aborted.
import { createHash } from 'node:crypto';
import { reservationKey as reservationKeyFor } from '../../contract/bucket-layout.js';
import type { ChecksumAlgorithm } from '../../contract/checksums.js';

/** The reservation object of `objectKey` (named by the key's SHA-256, as a key can be 1,024 bytes long already). */
export const reservationKey = (endpoint: string, objectKey: string): string =>
  reservationKeyFor(endpoint, createHash('sha256').update(objectKey, 'utf8').digest('hex'));

export interface UploadReservation {
  version: 1;
  key: string;
  endpoint: string;
  /** `post`: a small file's presigned POST, before small files went up with a presigned PUT. */
  kind: 'multipart' | 'put' | 'post';
  /** Bytes declared at create; null when none was (a stock Companion client's multipart upload). */
  declaredSize: number | null;
  /**
   * The algorithm every part and the whole file are checksummed with (the portal's page), or null (a
   * stock Companion client). Absent in reservations written before checksums: null.
   */
  checksumAlgorithm?: ChecksumAlgorithm | null;
  uploadedBy: string;
  createdAt: string;
  /** The upload's quota hold (lambdas/shared/catalog/quota-holds.ts); absent in reservations written before quotas. */
  holdId?: string;
  /**
   * Bytes this upload may store: its declared size, or for an upload without one the bound it was
   * admitted with (the least of the endpoint's maximum file size, what was left of its quota and S3's
   * largest object); null only in reservations written before every upload got a bound.
   */
  boundBytes?: number | null;
  /**
   * A multipart upload with a declared size: the part size it is cut in (contract/part-plan.ts with the
   * deployment's minimum part size at create), which fixes each part's length (lambdas/uploads/part-bounds.ts).
   * Absent in reservations written before it was kept.
   */
  partSize?: number | null;
}
