// The audit event of a completed upload (`upload.completed`): which file, how large, with which
// checksum, sent by whom. The upload is complete by the time it is written, and failing the request
// would hide a stored file from its sender, so a failed write is logged at error level with the whole
// event (which the structured log also holds) and the completion still succeeds.
// TODO: such a failure leaves a gap in the bucket's trail; a durable retry (a queue, or an event
// from S3 itself) would close it.
import type { AuditEvent } from '../../contract/api/admin.js';
import type { FileChecksum } from '../../contract/checksums.js';
import type { Principal } from '../shared/identity.js';
import type { UploadsCore } from './core.js';

/** What the request itself tells about where it came from. */
export interface RequestFacts {
  requestId: string;
  sourceIp: string;
}

export interface CompletionFacts {
  key: string;
  endpoint: string;
  size: number;
  checksum: FileChecksum | null;
  principal: Principal;
}

export function completionEvent(id: string, at: Date, facts: CompletionFacts, request: RequestFacts): AuditEvent {
  return {
    id,
    at: at.toISOString(),
    action: 'upload.completed',
    actor: { subject: facts.principal.subject, email: facts.principal.email },
    endpoint: facts.endpoint,
    target: facts.key,
    details: { size: facts.size, checksum: facts.checksum, principalKind: facts.principal.kind },
    sourceIp: request.sourceIp,
    requestId: request.requestId,
  };
}

export async function auditCompletion(core: UploadsCore, facts: CompletionFacts, request: RequestFacts): Promise<void> {
  const event = completionEvent(core.newAuditId(), core.now(), facts, request);
  try {
    await core.audit.record(event);
  } catch (error) {
    core.logger.error('audit write failed', { audit: event, error: error as Error });
  }
}
