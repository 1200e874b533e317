// The `upload.completed` audit event of a file sent with one presigned PUT (a file under the multipart
// threshold). Such a PUT goes from the browser to S3 alone, so no Lambda sees it finish; S3's Object
// Created event is the first the portal hears of it. The events Lambda records it then, with the
// checksum S3 keeps (its HeadObject, ChecksumMode ENABLED), in the shape the uploads Lambda gives a
// multipart completion's (upload-audit.ts there), which it writes itself.
//
// Exactly once per object version, however often the event comes: the event's id and time derive from
// the version HeadObject describes (key, ETag, Last-Modified), so a second write lands on the same keys
// and is refused by If-None-Match (AuditWriter.recordOnce). A redelivered event, or the event of an
// older version handled after a newer one was stored, describes the same stored version, the same keys.
import { isEmailAddress } from '../../contract/email-address.js';
import type { AuditEvent } from '../../contract/api/admin.js';
import { CHECKSUM_ALGORITHM } from '../../contract/checksums.js';
import { versionedAuditId, type AuditWriter } from '../shared/audit-writer.js';
import type { CatalogPath } from '../shared/catalog/catalog-path.js';
import type { FileFacts } from '../shared/catalog/catalog-items.js';
import { toFileChecksum } from '../shared/file-checksum.js';
import type { RequestOrigin } from './s3-event.js';

/**
 * Stored by one PUT through the portal: S3's ETag of a multipart object ends in `-<parts>` (and the
 * uploads Lambda audits those at completion), and only the portal's URLs carry its metadata (the
 * uploader), which objects written by other tools lack.
 */
export function isSinglePutUpload(facts: FileFacts): boolean {
  return facts.etag !== null && !/-\d+$/.test(facts.etag) && facts.uploadedBy !== null;
}

/**
 * The uploader as the portal wrote it into the metadata (the login's e-mail, or its subject when it has
 * none): where the trail keeps an e-mail, or a subject.
 */
const actorOf = (uploadedBy: string): AuditEvent['actor'] => (isEmailAddress(uploadedBy) ? { subject: '', email: uploadedBy } : { subject: uploadedBy, email: '' });

export function singlePutAuditEvent(path: CatalogPath, facts: FileFacts, origin: RequestOrigin): AuditEvent {
  const checksum = facts.checksum?.algorithm === CHECKSUM_ALGORITHM ? toFileChecksum(facts.checksum.base64, facts.checksum.type ?? undefined) : null;
  return {
    id: versionedAuditId('upload.completed', path.key, facts.etag ?? '', facts.uploadedAt),
    at: facts.uploadedAt,
    action: 'upload.completed',
    actor: actorOf(facts.uploadedBy ?? ''),
    endpoint: path.endpoint,
    target: path.key,
    details: { size: facts.size, checksum, etag: facts.etag, upload: 'single PUT' },
    sourceIp: origin.sourceIp,
    requestId: origin.requestId,
  };
}

/** Records the upload of a single-PUT file (once per version); anything else is not this record's business. */
export async function auditSinglePutUpload(audit: Pick<AuditWriter, 'recordOnce'>, path: CatalogPath, facts: FileFacts, origin: RequestOrigin): Promise<boolean> {
  if (!isSinglePutUpload(facts)) return false;
  // The request is that of the version HeadObject found only when the event is about that version: a
  // late event of an earlier version of the key (deleted, then uploaded again) must not sign this one.
  const sameVersion = origin.etag !== '' && origin.etag.replace(/"/g, '') === facts.etag;
  await audit.recordOnce(singlePutAuditEvent(path, facts, sameVersion ? origin : { sourceIp: '', requestId: '', etag: '' }));
  return true;
}
