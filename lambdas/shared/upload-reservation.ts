// Upload reservations: one small JSON object per file key, written with `If-None-Match: *` before an
// upload starts. Writing it is the atomic "this key is mine" step (two uploads of `report.pdf` at the
// same moment cannot both get the same key, which matters most for presigned POSTs, since those cannot
// carry If-None-Match), and it keeps the size declared at create, which S3 does not return for an
// in-progress multipart upload (ListParts and ListMultipartUploads carry no metadata) but completion
// must check against.
//
// They live under `uploads/.portal-pending/<endpoint>/`, outside every endpoint's folder (endpoint names
// cannot start with a dot), so neither a customer's nor an admin's file listing of an endpoint sees
// them, and no customer key can address them. The uploads role cannot delete objects, so a lifecycle
// rule expires this prefix a day after incomplete multipart uploads are aborted.
import { createHash } from 'node:crypto';
import { UPLOADS_PREFIX } from './storage-layout.js';

export const PENDING_PREFIX = `${UPLOADS_PREFIX}.portal-pending/`;

/** Reservations of one endpoint (the admin Lambda purges them with the endpoint's files). */
export const pendingPrefix = (endpoint: string): string => `${PENDING_PREFIX}${endpoint}/`;

/** Hashed, as a file key can be 1,024 bytes long already. */
export const reservationKey = (endpoint: string, objectKey: string): string =>
  `${pendingPrefix(endpoint)}${createHash('sha256').update(objectKey, 'utf8').digest('hex')}.json`;

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
