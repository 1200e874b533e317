// The EventBridge event GuardDuty Malware Protection for S3 sends after a scan
// (contract/malware-scan.ts ScanResultEvent), built for the local scanner stand-in and for tests.
import { randomUUID } from 'node:crypto';
import { GUARDDUTY_EVENT_SOURCE, SCAN_RESULT_DETAIL_TYPE, type ScanResultEvent, type ScanResultStatus } from '../../contract/malware-scan.js';

export interface ScanResultFacts {
  bucket: string;
  key: string;
  /** Without quotes. */
  etag: string;
  status: ScanResultStatus;
  threats?: string[];
  account?: string;
  region?: string;
  at?: Date;
}

/** GuardDuty's scanStatus for a result: skipped objects are the ones it cannot scan. */
const scanStatusOf = (status: ScanResultStatus): string => (status === 'UNSUPPORTED' ? 'SKIPPED' : status === 'FAILED' || status === 'ACCESS_DENIED' ? 'FAILED' : 'COMPLETED');

export function scanResultEvent(facts: ScanResultFacts): ScanResultEvent {
  const account = facts.account ?? '111122223333';
  const region = facts.region ?? 'us-east-1';
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': SCAN_RESULT_DETAIL_TYPE,
    source: GUARDDUTY_EVENT_SOURCE,
    account,
    time: (facts.at ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:guardduty:${region}:${account}:malware-protection-plan/local-scanner`],
    detail: {
      schemaVersion: '1.0',
      scanStatus: scanStatusOf(facts.status),
      resourceType: 'S3_OBJECT',
      s3ObjectDetails: { bucketName: facts.bucket, objectKey: facts.key, eTag: facts.etag, versionId: null, s3Throttled: false },
      scanResultDetails: { scanResultStatus: facts.status, threats: facts.threats?.length ? facts.threats.map((name) => ({ name })) : null },
    },
  };
}
