// One small handler per S3 event type. Each gets a checked event (s3-event.ts) and answers what it did.
import type { S3Client } from '@aws-sdk/client-s3';
import type { MalwareScanMode } from '../../contract/malware-scan.js';
import type { S3EventDetailType } from '../../contract/s3-events.js';
import type { CatalogDb } from '../shared/catalog/catalog-db.js';
import { applyEntryChange, type ChangeOutcome } from '../shared/catalog/entry-writer.js';
import type { FileFacts } from '../shared/catalog/catalog-items.js';
import { headObjectFacts } from '../shared/catalog/object-facts.js';
import type { AuditWriter } from '../shared/audit-writer.js';
import { addToDigest, type DigestDeps } from './arrival-digest.js';
import type { CheckedEvent } from './s3-event.js';
import { auditSinglePutUpload } from './single-put-audit.js';

export interface EventDeps {
  s3: S3Client;
  db: CatalogDb;
  bucket: string;
  now: () => Date;
  /** Arrivals -> pending digests (notifications); null when DIGEST_QUEUE_URL is unset. */
  digest?: DigestDeps | null;
  /** The deployment's malware scanning: the state a new file starts in. @default 'block' */
  scanMode?: MalwareScanMode;
  /** Where a single-PUT file's `upload.completed` is recorded (single-put-audit.ts); none when absent. */
  audit?: Pick<AuditWriter, 'recordOnce'> | null;
}

/** What a handler did with the key(s) it touched; 'gone' = the object no longer exists, nothing to record. */
export type EventOutcome = ChangeOutcome | 'gone';

export type EventHandler = (deps: EventDeps, event: CheckedEvent) => Promise<{ key: string; outcome: EventOutcome }[]>;

/**
 * Object Created: the object's metadata by HeadObject (the event carries none), then its file entry,
 * recorded as arrived at the event's time (arrivalFacts), unless a newer event on the key was recorded, then the endpoint's pending digest, then, for a file
 * sent with one PUT, its `upload.completed` audit event (once per version; a failure fails the event,
 * which is delivered again and finds the steps before done). When the object is gone already, its
 * Object Deleted event records that.
 */
export const objectCreated: EventHandler = async (deps, event) => {
  for (const path of event.candidates) {
    const head = await headObjectFacts(deps.s3, deps.bucket, path.key, path.segment);
    if (!head) continue;
    const facts = arrivalFacts(head, event.time);
    const outcome = await applyEntryChange(deps.db, { path, sequencer: event.sequencer, facts, scanMode: deps.scanMode ?? 'block' }, deps.now());
    if (deps.digest) await addToDigest(deps.db, deps.digest, path, event.sequencer, facts, outcome, deps.now());
    // The audit event keeps S3's LastModified: its id is per object version, and must not change with
    // which event (or reconcile) first saw the version.
    if (deps.audit) await auditSinglePutUpload(deps.audit, path, head, event.origin);
    return [{ key: path.key, outcome }];
  }
  return [{ key: event.rawKey, outcome: 'gone' }];
};

/**
 * The object's facts with `uploadedAt` = when it arrived: the event's time, which for a multipart
 * object is when the upload was completed (S3's LastModified is when it was initiated, and a large
 * upload resumed over days would otherwise sort days down the newest-first feed). Never earlier than
 * LastModified (HeadObject may already see a newer version than the event's); LastModified alone when
 * the event has no time. A redelivered event carries the same time, so the entry it writes is the same.
 */
export function arrivalFacts(head: FileFacts, eventTime: string | null): FileFacts {
  if (eventTime === null || eventTime <= head.uploadedAt) return head;
  return { ...head, uploadedAt: eventTime };
}

/**
 * Object Deleted: a tombstone at the key. The decoded form of the key is tombstoned too only when no
 * object exists there (it may be another file whose name the encoding looks like).
 */
export const objectDeleted: EventHandler = async (deps, event) => {
  const results: { key: string; outcome: EventOutcome }[] = [];
  for (const [i, path] of event.candidates.entries()) {
    if (i > 0 || path.key !== event.rawKey) {
      if (await headObjectFacts(deps.s3, deps.bucket, path.key, path.segment)) continue;
    }
    results.push({ key: path.key, outcome: await applyEntryChange(deps.db, { path, sequencer: event.sequencer, facts: null }, deps.now()) });
  }
  return results;
};

/** The event types this Lambda acts on; the others (tags: a later feature) are acknowledged and left. */
export const EVENT_HANDLERS: Partial<Record<S3EventDetailType, EventHandler>> = {
  'Object Created': objectCreated,
  'Object Deleted': objectDeleted,
};
