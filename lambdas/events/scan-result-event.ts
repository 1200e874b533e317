// Checks a GuardDuty Malware Protection scan-result event before anything acts on it: from GuardDuty,
// a scan of an object of this bucket inside an endpoint's folder, with the scanned version's ETag and
// a result status GuardDuty documents. Anything else is refused with a reason (logged, then dropped).
import { MAX_EVENT_KEY_CHARS } from '../../contract/limits.js';
import { GUARDDUTY_EVENT_SOURCE, SCAN_RESULT_DETAIL_TYPE, SCAN_RESULT_STATUSES, type ScanResultStatus } from '../../contract/malware-scan.js';
import { catalogPath, decodedEventKey, type CatalogPath } from '../shared/catalog/catalog-path.js';

export interface CheckedScanResult {
  id: string;
  rawKey: string;
  /** The key as given, and its URL-decoded form when that differs (as for S3's own events). */
  candidates: CatalogPath[];
  /** Without quotes. */
  etag: string;
  status: ScanResultStatus;
  threats: string[];
  /** The event's time (ISO 8601). */
  time: string;
}

export type ScanResultCheck = { ok: true; event: CheckedScanResult } | { ok: false; reason: string; id?: string; key?: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export const isScanResultEvent = (input: unknown): boolean => isObject(input) && input.source === GUARDDUTY_EVENT_SOURCE;

export function checkScanResultEvent(input: unknown, bucket: string): ScanResultCheck {
  if (!isObject(input)) return { ok: false, reason: 'not an object' };
  const id = typeof input.id === 'string' ? input.id : undefined;
  const refuse = (reason: string, key?: string): ScanResultCheck => ({ ok: false, reason, ...(id ? { id } : {}), ...(key !== undefined ? { key } : {}) });
  if (!id) return refuse('no event id');
  if (input.source !== GUARDDUTY_EVENT_SOURCE) return refuse(`source is not ${GUARDDUTY_EVENT_SOURCE}`);
  if (input['detail-type'] !== SCAN_RESULT_DETAIL_TYPE) return refuse('not a malware scan result');
  const detail = input.detail;
  if (!isObject(detail) || !isObject(detail.s3ObjectDetails) || !isObject(detail.scanResultDetails)) return refuse('detail is not a scan result detail');
  const object = detail.s3ObjectDetails;
  if (object.bucketName !== bucket) return refuse('another bucket');
  const key = object.objectKey;
  if (typeof key !== 'string' || key === '' || key.length > MAX_EVENT_KEY_CHARS) return refuse('no valid object key');
  const etag = typeof object.eTag === 'string' ? object.eTag.replace(/"/g, '') : '';
  if (!/^[0-9a-f]{32}(-\d{1,5})?$/i.test(etag)) return refuse('no valid ETag', key);
  const status = detail.scanResultDetails.scanResultStatus;
  if (typeof status !== 'string' || !(SCAN_RESULT_STATUSES as readonly string[]).includes(status)) return refuse('unknown scan result status', key);
  const threats = Array.isArray(detail.scanResultDetails.threats)
    ? detail.scanResultDetails.threats.flatMap((t: unknown) => (isObject(t) && typeof t.name === 'string' && t.name !== '' ? [t.name.slice(0, 256)] : []))
    : [];
  const decoded = decodedEventKey(key);
  const candidates = [catalogPath(key), decoded === null ? null : catalogPath(decoded)].filter((p): p is CatalogPath => p !== null);
  if (candidates.length === 0) return refuse('key outside uploads/<endpoint>/', key);
  const time = typeof input.time === 'string' && !Number.isNaN(Date.parse(input.time)) ? new Date(input.time).toISOString() : new Date().toISOString();
  return { ok: true, event: { id, rawKey: key, candidates, etag, status: status as ScanResultStatus, threats, time } };
}
