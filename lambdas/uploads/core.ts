// What every upload operation needs, built once per Lambda instance.
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { UploadMetrics } from './metrics.js';
import type { PartSigner } from './part-signer.js';
import type { UploadSettings } from './settings.js';

export interface UploadsCore {
  s3: S3Client;
  settings: UploadSettings;
  metrics: UploadMetrics;
  logger: Logger;
  now: () => Date;
  /** Signs part URLs for `settings.bucket` without a round trip per part. */
  partSigner: PartSigner;
}
