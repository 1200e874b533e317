// How big each multipart part is for a file of a given size: pure, so the rule has table tests. The page
// cuts files with it, and the uploads Lambda signs no part beyond the plan of the declared size (a part
// number past its part count, or a part larger than its part size), so what an upload can store is
// bounded by its declared size plus at most one part.

import { MiB, S3_MAX_PART_BYTES, S3_MAX_PARTS, S3_MIN_PART_BYTES, UPLOAD_DEFAULTS } from './limits.js';

export interface PartPlanOptions {
  /** @default 16 MiB: fewer, larger requests than S3's 5 MiB floor; the API sends its own value via /api/me. */
  minPartSize?: number;
  /** @default 10,000 (S3's maximum). */
  maxParts?: number;
}

export class PartPlanError extends RangeError {
  override readonly name = 'PartPlanError';
}

/**
 * The part size for a multipart upload: at least `minPartSize`, and large enough that the file fits
 * in `maxParts` parts. Rounded up to a whole MiB so part boundaries stay tidy; never over 5 GiB.
 */
export function planPartSize(fileSize: number, options: PartPlanOptions = {}): number {
  const minPartSize = Math.max(options.minPartSize ?? UPLOAD_DEFAULTS.minPartSizeBytes, S3_MIN_PART_BYTES);
  const maxParts = Math.min(options.maxParts ?? S3_MAX_PARTS, S3_MAX_PARTS);
  if (!Number.isSafeInteger(fileSize) || fileSize < 0) throw new PartPlanError(`Invalid file size: ${fileSize}`);
  if (!(maxParts >= 1)) throw new PartPlanError(`Invalid maxParts: ${maxParts}`);
  const needed = Math.ceil(fileSize / maxParts);
  const size = Math.max(minPartSize, Math.ceil(needed / MiB) * MiB);
  if (size > S3_MAX_PART_BYTES) {
    throw new PartPlanError(`A file of ${fileSize} bytes does not fit in ${maxParts} parts of at most 5 GiB`);
  }
  return size;
}

/** How many parts a file of `fileSize` bytes becomes with parts of `partSize` (the last may be short). */
export function partCount(fileSize: number, partSize: number): number {
  return Math.max(1, Math.ceil(fileSize / partSize));
}
