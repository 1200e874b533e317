// The local stand-in for GuardDuty Malware Protection for S3. For each Object Created under uploads/
// it waits a configurable delay (scans take time; tests can see a file before and after), reads the
// object with its own access key (exempt from the bucket's tag condition, as GuardDuty's role is),
// looks for the EICAR test signature, writes the GuardDutyMalwareScanStatus tag and hands a
// GuardDuty-shaped scan-result event to the local event delivery. An object over the size limit is
// not read and gets UNSUPPORTED, as GuardDuty answers objects over its limit. It detects nothing but
// EICAR: it is a stand-in for tests and demos, not a malware scanner.
import { GetObjectCommand, PutObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import { SCAN_STATUS_TAG, GUARDDUTY_MAX_OBJECT_BYTES, type ScanResultEvent, type ScanResultStatus } from '../../contract/malware-scan.js';
import { UPLOADS_PREFIX } from '../../contract/bucket-layout.js';
import type { S3EventBridgeEvent } from '../../contract/s3-events.js';
import { containsEicar, EICAR_THREAT_NAME } from './eicar.js';
import { scanResultEvent } from './scan-result-event.js';

export interface ScannerOptions {
  /** A client signed with the scanner's exempt access key. */
  s3: S3Client;
  bucket: string;
  /** Pause between an object's arrival and its verdict. @default 2000 */
  delayMs?: number;
  /** Objects larger than this are not scanned (UNSUPPORTED). @default GuardDuty's limit, 100 GB */
  maxObjectBytes?: number;
  /** Where the scan-result event goes (the local event delivery). */
  deliver: (event: ScanResultEvent) => void;
  /** Told about each scan in progress (so that "idle" waits for it). */
  track?: (work: Promise<unknown>) => void;
  account?: string;
  region?: string;
  log?: (line: string) => void;
}

export const DEFAULT_SCAN_DELAY_MS = 2000;

export class ScannerStandIn {
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  /** The pause before each verdict; tests change it to watch a file before its scan. */
  delayMs: number;

  constructor(private readonly options: ScannerOptions) {
    this.delayMs = options.delayMs ?? DEFAULT_SCAN_DELAY_MS;
  }

  /** The local S3 server's events: Object Created under uploads/ is scanned, everything else ignored. */
  onS3Event(event: S3EventBridgeEvent): void {
    if (this.closed || event['detail-type'] !== 'Object Created' || !event.detail.object.key.startsWith(UPLOADS_PREFIX)) return;
    const { key, size } = event.detail.object;
    const work = this.later().then(() => (this.closed ? undefined : this.scan(key, size ?? 0)));
    this.options.track?.(work.catch((error: unknown) => this.options.log?.(`[scanner] ${key}: ${(error as Error).message}`)));
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, this.delayMs);
      this.timers.add(timer);
    });
  }

  /** Scans the object as it is now; a version replaced meanwhile gets its own event and scan. */
  async scan(key: string, size: number): Promise<ScanResultStatus | null> {
    const { s3, bucket } = this.options;
    const limit = this.options.maxObjectBytes ?? GUARDDUTY_MAX_OBJECT_BYTES;
    let status: ScanResultStatus;
    let threats: string[] = [];
    let object;
    try {
      object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(size > limit ? { Range: 'bytes=0-0' } : {}) }));
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return null; // gone: nothing to tag
      throw error;
    }
    const etag = (object.ETag ?? '').replace(/"/g, '');
    if (size > limit) {
      await object.Body?.transformToByteArray();
      status = 'UNSUPPORTED';
    } else {
      const infected = await containsEicar(object.Body as AsyncIterable<Uint8Array>);
      status = infected ? 'THREATS_FOUND' : 'NO_THREATS_FOUND';
      if (infected) threats = [EICAR_THREAT_NAME];
    }
    await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: [{ Key: SCAN_STATUS_TAG, Value: status }] } }));
    this.options.log?.(`[scanner] ${key}: ${status}`);
    this.options.deliver(scanResultEvent({ bucket, key, etag, status, threats, ...(this.options.account ? { account: this.options.account } : {}), ...(this.options.region ? { region: this.options.region } : {}) }));
    return status;
  }
}
