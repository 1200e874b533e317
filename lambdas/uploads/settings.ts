// The uploads Lambda's settings, from the environment the stack (or the local gateway) sets.
// Every problem is reported at once, at start-up, rather than on the first upload.

const MiB = 1024 * 1024;

export interface UploadSettings {
  bucket: string;
  /** Lifetime of presigned part URLs and POST policies. @default 1800 (Uppy re-signs on expiry) */
  presignExpiresSeconds: number;
  /** Parallel part uploads per file, told to the page. @default 6 (Uppy's default `limit`) */
  concurrency: number;
  /** Files from this size on use multipart; smaller ones a presigned POST. @default 100 MiB (Uppy's default) */
  multipartThresholdBytes: number;
  /** Smallest part size the page should use. @default 16 MiB (fewer requests than S3's 5 MiB minimum) */
  minPartSizeBytes: number;
  /** How long an endpoint record is reused between requests. @default 30 (a disable takes effect within 30 s) */
  endpointCacheSeconds: number;
}

export const DEFAULT_SETTINGS = {
  presignExpiresSeconds: 1800,
  concurrency: 6,
  multipartThresholdBytes: 100 * MiB,
  minPartSizeBytes: 16 * MiB,
  endpointCacheSeconds: 30,
} satisfies Partial<UploadSettings>;

/** SigV4 presigned URLs live at most 7 days. */
const MAX_PRESIGN_SECONDS = 604_800;
/** S3's minimum size of every part but the last. */
export const S3_MIN_PART_BYTES = 5 * MiB;

export function uploadSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): UploadSettings {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const bucket = env.BUCKET_NAME ?? '';
  if (!bucket) problems.push('BUCKET_NAME is required');
  const settings: UploadSettings = {
    bucket,
    presignExpiresSeconds: integer('PRESIGN_EXPIRES_SECONDS', DEFAULT_SETTINGS.presignExpiresSeconds, 60, MAX_PRESIGN_SECONDS),
    concurrency: integer('UPLOAD_CONCURRENCY', DEFAULT_SETTINGS.concurrency, 1, 64),
    multipartThresholdBytes: integer('MULTIPART_THRESHOLD_BYTES', DEFAULT_SETTINGS.multipartThresholdBytes, S3_MIN_PART_BYTES, 5 * 1024 * MiB),
    minPartSizeBytes: integer('MIN_PART_SIZE_BYTES', DEFAULT_SETTINGS.minPartSizeBytes, S3_MIN_PART_BYTES, 5 * 1024 * MiB),
    endpointCacheSeconds: DEFAULT_SETTINGS.endpointCacheSeconds,
  };
  if (problems.length > 0) throw new Error(`Invalid uploads configuration: ${problems.join('; ')}`);
  return settings;
}
