// Parsing PATCH /admin/api/endpoints/:name/notifications: known fields only, each checked, all-or-nothing.
import { MAX_ADMIN_RECIPIENTS } from '../../contract/notifications.js';
import { PortalError } from '../shared/errors.js';
import { checkWebhookUrl, type WebhookAddressPolicy } from '../shared/notifications/webhook-address.js';
import { asObject, parseEmail } from './endpoint-input.js';

export interface NotificationChanges {
  adminRecipients?: string[];
  customerReceipt?: boolean;
  /** null removes the webhook. */
  webhookUrl?: string | null;
}

const FIELDS = ['adminRecipients', 'customerReceipt', 'webhookUrl'];

export function parseNotificationChanges(value: unknown, policy: WebhookAddressPolicy): NotificationChanges {
  const body = asObject(value);
  const unknown = Object.keys(body).filter((k) => !FIELDS.includes(k));
  if (unknown.length) throw new PortalError('unknown_field', `Unknown field(s): ${unknown.join(', ')}`);
  const changes: NotificationChanges = {};
  if (body.adminRecipients !== undefined) {
    const list = body.adminRecipients;
    if (!Array.isArray(list) || list.length > MAX_ADMIN_RECIPIENTS) throw new PortalError('invalid_recipients');
    let recipients: string[];
    try {
      recipients = list.map((entry) => parseEmail(entry, 'adminRecipients'));
    } catch {
      throw new PortalError('invalid_recipients', 'adminRecipients must hold e-mail addresses only');
    }
    changes.adminRecipients = [...new Set(recipients)];
  }
  if (body.customerReceipt !== undefined) {
    if (typeof body.customerReceipt !== 'boolean') throw new PortalError('invalid_field', 'customerReceipt must be true or false');
    changes.customerReceipt = body.customerReceipt;
  }
  if (body.webhookUrl !== undefined) {
    if (body.webhookUrl === null || body.webhookUrl === '') changes.webhookUrl = null;
    else {
      const check = checkWebhookUrl(body.webhookUrl, policy);
      if (!check.ok) throw new PortalError('invalid_webhook_url', `The webhook URL is refused: ${check.reason}`);
      changes.webhookUrl = check.url.href;
    }
  }
  if (Object.keys(changes).length === 0) throw new PortalError('nothing_to_change');
  return changes;
}
