// Upload reservations: one small JSON object per file key, written with `If-None-Match: *` before an
// upload starts. Writing it is the atomic "this key is mine" step (two uploads of `report.pdf` at the
// same moment cannot both get the same key, which matters most for presigned POSTs, since those cannot
// carry If-None-Match), and it keeps the size declared at create, which S3 does not return for an
// in-progress multipart upload (ListParts and ListMultipartUploads carry no metadata) but completion
// must check against.
//
// They live under PENDING_PREFIX (contract/bucket-layout.ts). The uploads role cannot delete objects,
// so a lifecycle rule expires that prefix a day after incomplete multipart uploads are aborted.
import { createHash } from 'node:crypto';
import { reservationKey as reservationKeyFor } from '../../contract/bucket-layout.js';

/** The reservation object of `objectKey` (named by the key's SHA-256, as a key can be 1,024 bytes long already). */
export const reservationKey = (endpoint: string, objectKey: string): string =>
  reservationKeyFor(endpoint, createHash('sha256').update(objectKey, 'utf8').digest('hex'));

export interface UploadReservation {
  version: 1;
  key: string;
  endpoint: string;
  kind: 'multipart' | 'post';
  /** Bytes declared at create; null for a presigned POST that declared none. */
  declaredSize: number | null;
  uploadedBy: string;
  createdAt: string;
}
