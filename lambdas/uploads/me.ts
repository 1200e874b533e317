// `GET /api/me`: who the page is talking for, where its files go, the endpoint's limits and the
// upload settings the page must use (so the browser never guesses them).
import type { MeResponse } from '../../contract/api/uploads.js';
import type { EndpointRecord } from '../shared/endpoint-record.js';
import type { Principal } from '../shared/identity.js';
import { CHECKSUM_ALGORITHM } from '../../contract/checksums.js';
import { MAX_BATCH_PARTS, S3_MAX_PARTS } from '../../contract/limits.js';
import { leftOf, type QuotaUse } from '../shared/catalog/quota-holds.js';
import type { UploadSettings } from './settings.js';

const NO_USE: QuotaUse = { usedBytes: 0, usedFiles: 0, reservedBytes: 0, reservedFiles: 0 };

export function describeMe(principal: Principal, record: EndpointRecord | null, settings: UploadSettings, use: QuotaUse | null = null): MeResponse {
  const u = use ?? NO_USE;
  const quotaBytes = record?.quotaBytes ?? null;
  const quotaFiles = record?.quotaFiles ?? null;
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
      quota: {
        quotaBytes,
        quotaFiles,
        usedBytes: u.usedBytes + u.reservedBytes,
        usedFiles: u.usedFiles + u.reservedFiles,
        leftBytes: leftOf(quotaBytes, u.usedBytes, u.reservedBytes),
        leftFiles: leftOf(quotaFiles, u.usedFiles, u.reservedFiles),
      },
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
