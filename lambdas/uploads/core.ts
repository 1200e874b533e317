// What every upload operation needs, built once per Lambda instance.
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AuditWriter } from '../shared/audit-writer.js';
import type { QuotaHolds } from '../shared/catalog/quota-holds.js';
import type { BucketPresigner } from './bucket-presigner.js';
import type { ChecksumModes } from './checksum-modes.js';
import type { UploadMetrics } from './metrics.js';
import type { PartSigner } from './part-signer.js';
import type { UploadSettings } from './settings.js';

export interface UploadsCore {
  s3: S3Client;
  settings: UploadSettings;
  metrics: UploadMetrics;
  logger: Logger;
  now: () => Date;
  /** Signs PUT URLs for `settings.bucket` without a round trip per URL. */
  presigner: BucketPresigner;
  /** Part URLs, through `presigner`. */
  partSigner: PartSigner;
  /** Whether an upload is checksummed, remembered per upload id. */
  checksumModes: ChecksumModes;
  /** The audit trail (completed uploads). */
  audit: AuditWriter;
  newAuditId: () => string;
  /** Quota and open-upload holds in the catalog table. */
  quota: QuotaHolds;
}
