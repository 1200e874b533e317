// A GuardDuty scan result -> the file's scan state in the catalog. The result names the scanned
// version by ETag; when the catalog does not describe that version yet (the scan finished before the
// Object Created event was handled) but the bucket does, the event fails so that it is delivered
// again later; a result for a version that is gone is stale and dropped. An infected file is handed
// to `onInfected` each time its result is handled (at least once: an alert must not be lost to a
// failure after the catalog write; the hook's own records are idempotent).
import type { AuditEvent } from '../../contract/api/admin.js';
import { versionedAuditId, type AuditWriter } from '../shared/audit-writer.js';
import type { CatalogFile } from '../shared/catalog/catalog-items.js';
import { headObjectFacts } from '../shared/catalog/object-facts.js';
import { applyScanResult } from '../shared/catalog/scan-writer.js';
import type { EventDeps, EventOutcome } from './event-handlers.js';
import type { CheckedScanResult } from './scan-result-event.js';

/** Told about a file the scan found infected (the audit trail by default; alerts are wired in by the stack's owner). */
export type OnInfected = (file: CatalogFile) => Promise<void>;

/** The actor of events the portal records on its own. */
export const SCANNER_ACTOR = { subject: 'malware-scan', email: '' } as const;

/**
 * The `file.infected` audit event of one object version: its id and time derive from the key, the
 * ETag and when the result was recorded, so a second recording finds it stored.
 */
export function infectedAuditEvent(file: CatalogFile, requestId = ''): AuditEvent {
  return {
    id: versionedAuditId('file.infected', file.key, file.etag ?? ''),
    at: file.scan.scannedAt ?? file.uploadedAt,
    action: 'file.infected',
    actor: { ...SCANNER_ACTOR },
    endpoint: file.endpoint,
    target: file.key,
    details: { name: file.name, size: file.size, etag: file.etag, threats: file.scan.threats },
    sourceIp: '',
    requestId,
  };
}

export const auditInfected =
  (audit: Pick<AuditWriter, 'recordOnce'>): OnInfected =>
  (file) =>
    audit.recordOnce(infectedAuditEvent(file));

/** The scan finished before the catalog recorded the version: not a failure, the event comes again. */
export class NotYetRecordedError extends Error {
  override readonly name = 'NotYetRecordedError';
}

export async function handleScanResult(deps: EventDeps & { onInfected: OnInfected }, event: CheckedScanResult): Promise<{ key: string; outcome: EventOutcome }[]> {
  const result = { etag: event.etag, status: event.status, threats: event.threats, at: deps.now().toISOString() };
  for (const path of event.candidates) {
    const written = await applyScanResult(deps.db, path, result);
    if (written.outcome === 'unmatched') continue;
    if (written.file.scan.state === 'infected') await deps.onInfected(written.file);
    return [{ key: path.key, outcome: written.outcome }];
  }
  for (const path of event.candidates) {
    const facts = await headObjectFacts(deps.s3, deps.bucket, path.key, path.segment);
    if (facts?.etag === event.etag) throw new NotYetRecordedError(`The catalog does not describe the scanned version of ${path.key} yet; the result is delivered again`);
  }
  return [{ key: event.rawKey, outcome: 'stale' }];
}
