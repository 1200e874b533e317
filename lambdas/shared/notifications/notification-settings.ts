// An endpoint's notification settings as the endpoint record stores them (lambdas/shared/endpoint-record.ts,
// field `notifications`). The webhook's signing secret is not in the record (the uploads Lambda reads
// records) but in an object of its own that the record names (webhook-secret-store.ts): the admin API
// shows it once when it is made, the notify Lambda reads it to sign, and neither ever logs it.
import { randomBytes } from 'node:crypto';
import { WEBHOOK_SECRET_BYTES, WEBHOOK_SECRET_PREFIX } from '../../../contract/notifications.js';

export interface StoredWebhook {
  url: string;
  /** The id of the signing secret's object (webhook-secret-store.ts). */
  secretId?: string;
  /**
   * Records written before secrets had objects of their own: the secret itself, `whsec_` + base64 of
   * WEBHOOK_SECRET_BYTES random bytes (the Standard Webhooks form). Never written any more.
   */
  secret?: string;
  secretCreatedAt: string;
}

export interface StoredNotifications {
  adminRecipients: string[];
  customerReceipt: boolean;
  webhook: StoredWebhook | null;
}

/** An endpoint created before notifications existed, or never configured: nobody is told anything. */
export const NO_NOTIFICATIONS: StoredNotifications = { adminRecipients: [], customerReceipt: false, webhook: null };

export const notificationsOf = (record: { notifications?: StoredNotifications | undefined }): StoredNotifications => record.notifications ?? NO_NOTIFICATIONS;

/** A fresh signing secret from the crypto RNG. */
export const newWebhookSecret = (): string => WEBHOOK_SECRET_PREFIX + randomBytes(WEBHOOK_SECRET_BYTES).toString('base64');
