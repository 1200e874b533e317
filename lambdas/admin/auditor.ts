// Turns an admin action into an AuditEvent (who, what, target, when, where from, which request)
// and decides what a failed audit write means for the request.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AdminPrincipal } from '../shared/identity.js';
import type { AuditAction, AuditEvent } from '../../contract/api/admin.js';
import type { AuditLog } from './audit-log.js';

/** What every route handler knows about the request it serves. */
export interface RequestContext {
  principal: AdminPrincipal;
  requestId: string;
  sourceIp: string;
  now: Date;
}

export interface AuditFacts {
  action: AuditAction;
  endpoint: string | null;
  target: string;
  details?: Record<string, unknown>;
}

export class Auditor {
  constructor(
    private readonly log: AuditLog,
    private readonly logger: Logger,
    private readonly newId: () => string,
  ) {}

  event(context: RequestContext, facts: AuditFacts): AuditEvent {
    return {
      id: this.newId(),
      at: context.now.toISOString(),
      action: facts.action,
      actor: { subject: context.principal.subject, email: context.principal.email },
      endpoint: facts.endpoint,
      target: facts.target,
      details: facts.details ?? {},
      sourceIp: context.sourceIp,
      requestId: context.requestId,
    };
  }

  /**
   * Before handing out access (download, share link): no durable record, no URL. A failure
   * rejects and the request ends in a 500.
   */
  async beforeAccess(context: RequestContext, facts: AuditFacts): Promise<void> {
    await this.log.record(this.event(context, facts));
  }

  /**
   * After a change has happened: it cannot be undone, and failing the request would hide a
   * success (and lose a temporary password shown only once). A failed bucket write is logged at
   * error level with the whole event, which is still in the structured log.
   */
  async afterChange(context: RequestContext, facts: AuditFacts): Promise<void> {
    const event = this.event(context, facts);
    try {
      await this.log.record(event);
    } catch (error) {
      this.logger.error('audit write failed', { audit: event, error: error as Error });
    }
  }
}
