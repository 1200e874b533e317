// The uploads Lambda's audit events. Every completion writes an intent (`upload.completing`) before S3
// assembles the object (no durable intent, no completion: the request fails with the upload left
// open) and its result (`upload.completed`, with size and checksum, naming the intent) after. Once S3
// has stored the file, failing the request would hide it from its sender, so a failed result write is
// only logged at error level with the whole event; the intent already in the bucket still says the
// completion may have happened, and the object itself says whether it did.
//
// An admin acting in a customer's folder through `/api/*` is audited like its console actions: an
// upload it is given (`upload.started`) is stored before the URL is handed out, and an abort writes an
// intent before and a result after. A customer's own starts and aborts are its own business and are
// only logged.
import type { AuditAction, AuditEvent } from '../../contract/api/admin.js';
import type { FileChecksum } from '../../contract/checksums.js';
import { resultTime } from '../shared/audit-writer.js';
import { isPortalError } from '../shared/errors.js';
import type { Principal } from '../shared/identity.js';
import { s3ErrorName } from '../shared/s3-errors.js';
import type { UploadsCore } from './core.js';

/** What the request itself tells about where it came from. */
export interface RequestFacts {
  requestId: string;
  sourceIp: string;
}

/** Who acted, where, on which key. */
export interface UploadTarget {
  key: string;
  endpoint: string;
  principal: Principal;
}

export interface CompletionFacts extends UploadTarget {
  size: number;
  checksum: FileChecksum | null;
}

export function uploadEvent(id: string, at: Date, action: AuditAction, target: UploadTarget, details: Record<string, unknown>, request: RequestFacts): AuditEvent {
  return {
    id,
    at: at.toISOString(),
    action,
    actor: { subject: target.principal.subject, email: target.principal.email },
    endpoint: target.endpoint,
    target: target.key,
    details: { ...details, principalKind: target.principal.kind },
    sourceIp: request.sourceIp,
    requestId: request.requestId,
  };
}

/** An intent and, later, its result (which names it and is stamped after it). */
class AuditedAction {
  private readonly intent: AuditEvent;

  constructor(
    private readonly core: UploadsCore,
    private readonly target: UploadTarget,
    private readonly request: RequestFacts,
    action: AuditAction,
    details: Record<string, unknown>,
  ) {
    this.intent = uploadEvent(core.newAuditId(), core.now(), action, target, details, request);
  }

  /** Rejects when the intent cannot be stored: the action must not go ahead. */
  begin(): Promise<void> {
    return this.core.audit.record(this.intent);
  }

  /** Never rejects: the action has happened (or failed) and the answer must say so. */
  async end(action: AuditAction, details: Record<string, unknown>): Promise<void> {
    const at = resultTime(this.intent.at, this.core.now());
    const event = uploadEvent(this.core.newAuditId(), at, action, this.target, { ...details, intentId: this.intent.id }, this.request);
    try {
      await this.core.audit.record(event);
    } catch (error) {
      this.core.logger.error('audit write failed', { audit: event, error: error as Error });
    }
  }

  /** Runs `work` between the intent and the result; a failure is recorded as `incomplete` and rethrown. */
  async around<T>(work: () => Promise<T>, done: (result: T) => { action: AuditAction; details: Record<string, unknown> }, failed: AuditAction): Promise<T> {
    await this.begin();
    let result: T;
    try {
      result = await work();
    } catch (error) {
      await this.end(failed, { incomplete: true, error: errorName(error) });
      throw error;
    }
    const outcome = done(result);
    await this.end(outcome.action, outcome.details);
    return result;
  }
}

/**
 * S3's completion between `upload.completing` and `upload.completed`. `complete` returns the facts of
 * the stored file; a refused completion (a checksum mismatch, a lost race) is recorded as incomplete.
 */
export function auditedCompletion<T extends { size: number; checksum: FileChecksum | null }>(
  core: UploadsCore,
  target: UploadTarget,
  request: RequestFacts,
  declaredSize: number | null,
  complete: () => Promise<T>,
): Promise<T> {
  const action = new AuditedAction(core, target, request, 'upload.completing', { declaredSize });
  return action.around(complete, ({ size, checksum }) => ({ action: 'upload.completed', details: { size, checksum } }), 'upload.completed');
}

/** An admin's abort between `upload.aborting` and `upload.aborted`; a customer's abort runs as it is. */
export function auditedAbort(core: UploadsCore, target: UploadTarget, request: RequestFacts, uploadId: string, abort: () => Promise<void>): Promise<void> {
  if (target.principal.kind !== 'admin') return abort();
  const action = new AuditedAction(core, target, request, 'upload.aborting', { uploadId });
  return action.around(abort, () => ({ action: 'upload.aborted', details: { uploadId } }), 'upload.aborted');
}

/**
 * Before an admin is handed an upload URL (multipart or single PUT): no durable record, no URL. The
 * record names the key and the upload id, so it is written once they exist; when it cannot be, `undo`
 * ends what was begun (a multipart upload aborted on S3, its quota hold and login slot released, not
 * left for days until the lifecycle rule ends it) before the request fails. A failing undo is logged;
 * the audit failure is what the request answers.
 */
export async function auditAdminStart(core: UploadsCore, target: UploadTarget, request: RequestFacts, details: Record<string, unknown>, undo?: () => Promise<unknown>): Promise<void> {
  if (target.principal.kind !== 'admin') return;
  try {
    await core.audit.record(uploadEvent(core.newAuditId(), core.now(), 'upload.started', target, details, request));
  } catch (error) {
    if (undo) {
      await undo().catch((undoError: unknown) => core.logger.error('undo after a failed upload.started failed', { key: target.key, endpoint: target.endpoint, error: undoError as Error }));
    }
    throw error;
  }
}

/** What the trail says went wrong: the catalogue code, or S3's error name. */
const errorName = (error: unknown): string => (isPortalError(error) ? error.code : (s3ErrorName(error) ?? 'internal'));
