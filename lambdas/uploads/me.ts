// `GET /api/me`: who the page is talking for, where its files go, the endpoint's limits and the
// upload settings the page must use (so the browser never guesses them).
import type { MeResponse } from '../../contract/api/uploads.js';
import type { EndpointRecord } from '../shared/endpoint-record.js';
import type { Principal } from '../shared/identity.js';
import { CHECKSUM_ALGORITHM } from '../../contract/checksums.js';
import { MAX_BATCH_PARTS, S3_MAX_PARTS } from '../../contract/limits.js';
import type { UploadSettings } from './settings.js';

export function describeMe(principal: Principal, record: EndpointRecord | null, settings: UploadSettings): MeResponse {
  return {
    user: {
      email: principal.email,
      username: principal.kind === 'customer' ? principal.username : principal.name,
      kind: principal.kind,
    },
    endpoint: record && {
      name: record.name,
      displayName: record.displayName || record.name,
      expiresAt: record.expiresAt,
      maxFileSizeBytes: record.maxFileSizeBytes,
      allowedExtensions: record.allowedExtensions,
    },
    upload: {
      concurrency: settings.concurrency,
      multipartThresholdBytes: settings.multipartThresholdBytes,
      minPartSizeBytes: settings.minPartSizeBytes,
      presignExpiresSeconds: settings.presignExpiresSeconds,
      maxParts: S3_MAX_PARTS,
      maxPartsPerBatch: MAX_BATCH_PARTS,
      checksumAlgorithm: CHECKSUM_ALGORITHM,
      incompleteUploadDays: settings.incompleteUploadDays,
    },
  };
}
