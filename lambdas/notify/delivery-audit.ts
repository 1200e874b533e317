// Every e-mail and every webhook attempt goes into the audit trail (actor `portal`, the queue message
// as the request). Never the webhook's secret, nor the receiver URL's query (it may carry a token).
// A failed audit write is logged and does not undo the delivery, which has happened.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AuditAction } from '../../contract/api/admin.js';
import { newAuditId, type AuditWriter } from '../shared/audit-writer.js';

export interface DeliveryFacts {
  action: Extract<AuditAction, 'notification.sent' | 'notification.retried' | 'notification.failed' | 'webhook.sent' | 'webhook.failed' | 'webhook.retried'>;
  endpoint: string;
  /** E-mail: the recipients; webhook: the receiver (origin and path). */
  target: string;
  details: Record<string, unknown>;
  messageId: string;
}

export type DeliveryRecorder = (facts: DeliveryFacts) => Promise<void>;

export function createDeliveryRecorder(writer: Pick<AuditWriter, 'record'>, logger: Pick<Logger, 'error'>, now: () => Date): DeliveryRecorder {
  return async (facts) => {
    const event = {
      id: newAuditId(),
      at: now().toISOString(),
      action: facts.action,
      actor: { subject: 'portal', email: '' },
      endpoint: facts.endpoint,
      target: facts.target,
      details: facts.details,
      sourceIp: '',
      requestId: facts.messageId,
    };
    try {
      await writer.record(event);
    } catch (error) {
      logger.error('audit write failed', { audit: event, error: error as Error });
    }
  };
}
