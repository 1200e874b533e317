// The part size a file is hashed and cut in. A new multipart upload takes it from the plan and the
// deployment's settings (/api/me); the server keeps the same plan with the upload and signs only parts
// of that length. Once begun, the upload keeps it in the file's metadata (Golden Retriever keeps that
// across reloads), and a resume uses it whatever /api/me says now: cut by a part size changed since,
// the original file would differ from its own stored parts and be refused as another file.
// Not from the list-parts answer: @uppy/aws-s3 cuts the file when it starts the upload, before it
// lists the parts, and an upload with no part stored yet answers none.
import type { UploadSettings } from '../../../contract/api/uploads.js';
import { S3_MAX_PART_BYTES, S3_MIN_PART_BYTES } from '../../../contract/limits.js';
import { planPartSize } from '../../../contract/part-plan.js';

/** File metadata: the part size (bytes) the file's multipart upload was begun with. */
export const PART_SIZE_META = 'uploadPartSize';

type PlanSettings = Pick<UploadSettings, 'multipartThresholdBytes' | 'minPartSizeBytes' | 'maxParts'>;

/** The part size a file is hashed and sent in when nothing was begun: the plan for multipart files, the whole file otherwise. */
export function hashPartSize(size: number, settings: PlanSettings): number {
  return size >= settings.multipartThresholdBytes ? planPartSize(size, { minPartSize: settings.minPartSizeBytes, maxParts: settings.maxParts }) : Math.max(1, size);
}

/** The part size kept in `meta`, when it is one S3 could have taken for a file of `size` bytes; else null. */
export function keptPartSize(meta: Record<string, unknown>, size: number, maxParts: number): number | null {
  const kept = meta[PART_SIZE_META];
  if (typeof kept !== 'number' || !Number.isSafeInteger(kept) || kept < S3_MIN_PART_BYTES || kept > S3_MAX_PART_BYTES) return null;
  return Math.ceil(size / kept) <= maxParts ? kept : null;
}

/** The part size of this file's upload: the one it was begun with, or the plan's for a new one. */
export function partSizeFor(file: { size: number | null; meta: Record<string, unknown> }, settings: PlanSettings): number {
  const size = file.size ?? 0;
  return (size >= settings.multipartThresholdBytes ? keptPartSize(file.meta, size, settings.maxParts) : null) ?? hashPartSize(size, settings);
}
