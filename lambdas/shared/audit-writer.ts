// Writing the audit trail: every event goes to the structured log and durably into the bucket (one
// object per event and stream, contract/audit-keys.ts). The admin Lambda writes admin actions and
// reads the trail back; the uploads Lambda writes completed multipart uploads, the events Lambda
// completed single PUTs and infected files, the notify Lambda deliveries. Writing with If-None-Match
// keeps an event, once stored, from ever being replaced.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import { createHash, randomBytes } from 'node:crypto';
import type { AuditEvent } from '../../contract/api/admin.js';
import { auditKeys } from '../../contract/audit-keys.js';

/** A fresh event id: 16 random hex characters, the tail of the event's keys. */
export const newAuditId = (): string => randomBytes(8).toString('hex');

/**
 * An audit id as long as newAuditId's, derived from what the event records (the action, the object's key
 * and version): a duplicate delivery of the same S3 event names the same audit object, which
 * If-None-Match then keeps from being written twice.
 */
export const versionedAuditId = (...parts: string[]): string => createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);

/**
 * When a result event is stamped: now, but always after its intent, so the trail (newest first, by
 * time) lists a result above its intent even when both fall in the same millisecond or a test clock
 * stands still.
 */
export function resultTime(intentAt: string, now: Date): Date {
  return new Date(Math.max(now.getTime(), Date.parse(intentAt) + 1));
}

export class AuditWriter {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly logger: Logger,
  ) {}

  /** Logs the event, then stores it; rejects when the bucket write fails (the caller decides what that means). */
  async record(event: AuditEvent): Promise<void> {
    this.logger.info('audit', { audit: event });
    const body = JSON.stringify(event);
    await Promise.all(
      auditKeys(event).map((Key) =>
        this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: body, ContentType: 'application/json', IfNoneMatch: '*' })),
      ),
    );
  }

  /**
   * Stores an event whose id and time are derived from what it records, so that recording it again
   * (a redelivered event) finds it stored: a copy already there (412) counts as written.
   */
  async recordOnce(event: AuditEvent): Promise<void> {
    this.logger.info('audit', { audit: event });
    const body = JSON.stringify(event);
    const results = await Promise.allSettled(
      auditKeys(event).map((Key) => this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: body, ContentType: 'application/json', IfNoneMatch: '*' }))),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !isAlreadyStored(r.reason));
    if (failed) throw failed.reason;
  }
}

const isAlreadyStored = (error: unknown): boolean => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'PreconditionFailed' || e?.$metadata?.httpStatusCode === 412;
};
