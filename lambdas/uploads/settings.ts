// The uploads Lambda's settings, from its parsed environment (contract/lambda-env.ts holds each
// variable's default and bounds).
import { ENDPOINT_RECORD_CACHE_SECONDS } from '../../contract/limits.js';
import type { EnvValues } from '../../contract/lambda-env.js';

export interface UploadSettings {
  bucket: string;
  /** Lifetime of presigned part URLs (PRESIGN_EXPIRES_SECONDS); a small file's URL lives at most 5 minutes of it. */
  presignExpiresSeconds: number;
  /** Parallel part uploads per file, told to the page (UPLOAD_CONCURRENCY). */
  concurrency: number;
  /** Files from this size on use multipart; smaller ones a presigned PUT (MULTIPART_THRESHOLD_BYTES). */
  multipartThresholdBytes: number;
  /** Smallest part size the page should use (MIN_PART_SIZE_BYTES). */
  minPartSizeBytes: number;
  /**
   * How long an endpoint record is reused between requests. @default 30: a disabled endpoint or a
   * removed login is refused within 30 s on every warm instance, inside the 60 s revocation bound;
   * completion always reads the record afresh.
   */
  endpointCacheSeconds: number;
  /** Open multipart uploads per login (MAX_OPEN_UPLOADS_PER_LOGIN). */
  maxOpenUploadsPerLogin: number;
  /** When the lifecycle rule aborts an unfinished upload (INCOMPLETE_UPLOAD_DAYS): the page shows it as the deadline, and the quota hold is released after it. */
  incompleteUploadDays: number;
}

export const UPLOAD_SETTINGS_ENV = ['BUCKET_NAME', 'PRESIGN_EXPIRES_SECONDS', 'UPLOAD_CONCURRENCY', 'MULTIPART_THRESHOLD_BYTES', 'MIN_PART_SIZE_BYTES', 'MAX_OPEN_UPLOADS_PER_LOGIN', 'INCOMPLETE_UPLOAD_DAYS'] as const;

export function uploadSettings(env: EnvValues<(typeof UPLOAD_SETTINGS_ENV)[number]>): UploadSettings {
  return {
    bucket: env.BUCKET_NAME,
    presignExpiresSeconds: env.PRESIGN_EXPIRES_SECONDS,
    concurrency: env.UPLOAD_CONCURRENCY,
    multipartThresholdBytes: env.MULTIPART_THRESHOLD_BYTES,
    minPartSizeBytes: env.MIN_PART_SIZE_BYTES,
    endpointCacheSeconds: ENDPOINT_RECORD_CACHE_SECONDS,
    maxOpenUploadsPerLogin: env.MAX_OPEN_UPLOADS_PER_LOGIN,
    incompleteUploadDays: env.INCOMPLETE_UPLOAD_DAYS,
  };
}
