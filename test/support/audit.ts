// Reading the audit trail in tests, both ways the portal keeps it: the admin API's pages (as the
// console reads them) and the objects in the bucket (as the Lambdas write them, one per stream: see
// contract/audit-keys.ts). A test that checks what the API answers reads `auditTrail`; a test without
// the admin API, or about what is stored, reads `storedAuditEvents`.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AuditEvent, AuditPage } from '../../contract/api/admin.js';
import { AUDIT_ALL_PREFIX } from '../../contract/audit-keys.js';
import { AUDIT_PREFIX } from '../../contract/bucket-layout.js';
import { AUDIT_PAGE } from '../../contract/limits.js';
import { listKeys, type PortalApi } from './portal-api.js';

/** The query of GET /admin/api/audit a test may set; the page size is always the largest. */
export interface AuditQuery {
  endpoint?: string;
  /** ISO 8601, inclusive. */
  from?: string;
}

/**
 * The newest events of the audit trail as the admin API answers them (one page of AUDIT_PAGE.max,
 * newest first); fails on anything but 200, with the answer's body.
 */
export async function auditTrail(admin: PortalApi, query: AuditQuery = {}): Promise<AuditEvent[]> {
  const response = await admin.get<AuditPage>('/admin/api/audit', { ...query, pageSize: String(AUDIT_PAGE.max) });
  if (response.status !== 200) throw new Error(`audit trail ${JSON.stringify(query)}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.events;
}

/** One event as stored in the bucket, and which stream's copy it is. */
export interface StoredAuditEvent {
  key: string;
  stream: 'all' | 'endpoint';
  event: AuditEvent;
}

/** The audit event stored at `key`, read from its object. */
export async function readStoredAuditEvent(s3: S3Client, bucket: string, key: string): Promise<AuditEvent> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await object.Body!.transformToString()) as AuditEvent;
}

/** Every audit event stored under `prefix` (by default both streams), each object read; all pages of the listing. */
export async function storedAuditEvents(s3: S3Client, bucket: string, prefix = AUDIT_PREFIX): Promise<StoredAuditEvent[]> {
  const stored: StoredAuditEvent[] = [];
  for (const key of await listKeys(s3, bucket, prefix)) {
    stored.push({ key, stream: key.startsWith(AUDIT_ALL_PREFIX) ? 'all' : 'endpoint', event: await readStoredAuditEvent(s3, bucket, key) });
  }
  return stored;
}
