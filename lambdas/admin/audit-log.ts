// The audit trail: every admin action goes to the structured log and durably into the bucket
// (shared/audit-writer.ts writes it; see audit-keys.ts for the layout), and can be read back newest first.
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import { AuditWriter } from '../shared/audit-writer.js';
import { PortalError } from '../shared/errors.js';
import type { AuditEvent, AuditPage } from '../../contract/api/admin.js';
import { auditKeyTime, auditStreamPrefix, startAfterFor } from '../../contract/audit-keys.js';
import { mapLimit } from '../shared/concurrency.js';
import { decodeToken, encodeToken } from './page-token.js';
import { isObjectNotFound } from '../shared/s3-errors.js';

export interface AuditQuery {
  endpoint: string | null;
  fromMs: number | null;
  toMs: number | null;
  pageSize: number;
  continuationToken: string | null;
}

interface AuditToken {
  after: string;
}

export class AuditLog {
  private readonly writer: AuditWriter;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    logger: Logger,
  ) {
    this.writer = new AuditWriter(s3, bucket, logger);
  }

  /** Logs the event, then stores it; rejects when the bucket write fails (the caller decides what that means). */
  record(event: AuditEvent): Promise<void> {
    return this.writer.record(event);
  }

  async query(query: AuditQuery): Promise<AuditPage> {
    const prefix = auditStreamPrefix(query.endpoint);
    let startAfter: string | undefined;
    if (query.continuationToken) {
      const token = decodeToken(query.continuationToken, (v): v is AuditToken => typeof (v as AuditToken)?.after === 'string');
      // The token is the last key returned; it must belong to the stream being read.
      if (!token.after.startsWith(prefix)) throw new PortalError('invalid_token', 'continuationToken is not valid here');
      startAfter = token.after;
    } else if (query.toMs !== null) {
      startAfter = startAfterFor(prefix, query.toMs);
    }
    const page = await this.s3.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, StartAfter: startAfter, MaxKeys: query.pageSize }),
    );
    const keys: string[] = [];
    let reachedFrom = false;
    let lastScanned: string | undefined;
    for (const item of page.Contents ?? []) {
      const time = item.Key ? auditKeyTime(item.Key) : NaN;
      if (Number.isNaN(time)) continue;
      lastScanned = item.Key;
      if (query.toMs !== null && time > query.toMs) continue;
      if (query.fromMs !== null && time < query.fromMs) {
        reachedFrom = true; // keys are newest first: everything after this one is older still
        break;
      }
      keys.push(item.Key!);
    }
    const events = await mapLimit(keys, 10, (key) => this.read(key));
    const more = !reachedFrom && page.IsTruncated === true && lastScanned !== undefined;
    return {
      events: events.filter((e): e is AuditEvent => e !== null),
      nextToken: more ? encodeToken({ after: lastScanned! } satisfies AuditToken) : null,
    };
  }

  private async read(key: string): Promise<AuditEvent | null> {
    try {
      const result = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return JSON.parse(await result.Body!.transformToString('utf8')) as AuditEvent;
    } catch (error) {
      if (isObjectNotFound(error)) return null; // expired by the lifecycle rule between LIST and GET
      throw error;
    }
  }
}
