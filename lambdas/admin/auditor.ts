// Turns an admin action into an AuditEvent (who, what, target, when, where from, which request)
// and decides what a failed audit write means for the request. A destructive use case writes an
// intent before its first step (`intent`, through the step runner's `before`) and its result after
// (`result`, also when it fails part-way), so a Lambda cut short mid-way still leaves a record.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AdminPrincipal } from '../shared/identity.js';
import type { AuditAction, AuditEvent } from '../../contract/api/admin.js';
import { resultTime } from '../shared/audit-writer.js';
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

export interface DestructiveAudit {
  /** Writes the intent; rejects when it cannot be stored. */
  intent: () => Promise<void>;
  /** Writes the result; a failed write is logged, never thrown. */
  result: (facts: AuditFacts) => Promise<void>;
}

export class Auditor {
  constructor(
    private readonly log: AuditLog,
    private readonly logger: Logger,
    private readonly newId: () => string,
    /** Stamps result events (intents and other events carry the request's time). */
    private readonly now: () => Date = () => new Date(),
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
   * A destructive use case's pair of events. `intent` goes in the step runner's `before`: no durable
   * intent, no change (a failure rejects, the request ends in a 500 with nothing changed). `result`
   * (success, or `incomplete` details on a failure part-way) is written like `afterChange` and names
   * the intent in `details.intentId`.
   */
  destructive(context: RequestContext, intentFacts: AuditFacts): DestructiveAudit {
    const intent = this.event(context, intentFacts);
    return {
      intent: () => this.log.record(intent),
      result: async (facts) => {
        const event = this.event(context, { ...facts, details: { ...facts.details, intentId: intent.id } });
        await this.write({ ...event, at: resultTime(intent.at, this.now()).toISOString() });
      },
    };
  }

  /**
   * After a change has happened: it cannot be undone, and failing the request would hide a
   * success (and lose a temporary password shown only once). A failed bucket write is logged at
   * error level with the whole event, which is still in the structured log.
   */
  async afterChange(context: RequestContext, facts: AuditFacts): Promise<void> {
    await this.write(this.event(context, facts));
  }

  private async write(event: AuditEvent): Promise<void> {
    try {
      await this.log.record(event);
    } catch (error) {
      this.logger.error('audit write failed', { audit: event, error: error as Error });
    }
  }
}
