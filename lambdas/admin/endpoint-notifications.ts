// Use cases: read, change and rotate an endpoint's notification settings. They live in the endpoint
// record (If-Match on its ETag, as every change of it), and each change is audited without the secret.
// A new signing secret (a first webhook, a new receiver's origin, a rotation) is answered once, by the
// call that made it, and never again.
import type { NotificationSettings, NotificationSettingsResult } from '../../contract/api/admin.js';
import { PortalError } from '../shared/errors.js';
import type { EndpointRecord } from '../shared/endpoint-record.js';
import { newWebhookSecret, notificationsOf, type StoredNotifications } from '../shared/notifications/notification-settings.js';
import { deleteWebhookSecret, putWebhookSecret } from '../shared/notifications/webhook-secret-store.js';
import { receiverOf } from '../shared/notifications/webhook-address.js';
import type { RequestContext } from './auditor.js';
import type { NotificationChanges } from './notification-input.js';
import type { AdminServices } from './services.js';

export type NotificationServices = Pick<AdminServices, 'store' | 'auditor' | 'settings' | 's3'>;

export function notificationView(name: string, stored: StoredNotifications, emailEnabled: boolean): NotificationSettings {
  return {
    endpoint: name,
    adminRecipients: [...stored.adminRecipients],
    customerReceipt: stored.customerReceipt,
    webhook: stored.webhook ? { url: stored.webhook.url, secretCreatedAt: stored.webhook.secretCreatedAt } : null,
    emailEnabled,
  };
}

export async function getNotifications(services: NotificationServices, name: string): Promise<NotificationSettings> {
  const { record } = await services.store.get(name);
  return notificationView(name, notificationsOf(record), services.settings.emailEnabled ?? false);
}

export async function changeNotifications(services: NotificationServices, context: RequestContext, name: string, changes: NotificationChanges): Promise<NotificationSettingsResult> {
  const current = await services.store.get(name);
  const before = notificationsOf(current.record);
  const after: StoredNotifications = {
    adminRecipients: changes.adminRecipients ?? before.adminRecipients,
    customerReceipt: changes.customerReceipt ?? before.customerReceipt,
    webhook: before.webhook,
  };
  let secret: string | null = null;
  let secretReason: string | null = null;
  if (changes.webhookUrl === null) after.webhook = null;
  else if (changes.webhookUrl !== undefined) {
    // The same receiver (scheme, host and port) keeps its secret when only the path or query changes.
    // Another one gets a new secret: with the old one, the old receiver could sign events the new one
    // would take for the portal's. A first webhook gets one too.
    if (before.webhook && sameReceiver(before.webhook.url, changes.webhookUrl)) after.webhook = { ...before.webhook, url: changes.webhookUrl };
    else {
      secret = newWebhookSecret();
      secretReason = before.webhook ? 'webhook receiver changed' : 'webhook created';
      const secretCreatedAt = context.now.toISOString();
      after.webhook = { url: changes.webhookUrl, secretId: await storeSecret(services, name, secret, secretCreatedAt), secretCreatedAt };
    }
  }
  const saved = await withoutInlineSecret(services, name, after);
  await save(services, current.record, current.etag, saved, context);
  await retireSecret(services, name, before, saved);
  await services.auditor.afterChange(context, { action: 'notifications.updated', endpoint: name, target: name, details: { changes: auditedChanges(before, after) } });
  if (secretReason) await services.auditor.afterChange(context, { action: 'notifications.secret_rotated', endpoint: name, target: name, details: { reason: secretReason } });
  return { ...notificationView(name, after, services.settings.emailEnabled ?? false), webhookSecret: secret };
}

export async function rotateWebhookSecret(services: NotificationServices, context: RequestContext, name: string): Promise<NotificationSettingsResult> {
  const current = await services.store.get(name);
  const before = notificationsOf(current.record);
  if (!before.webhook) throw new PortalError('no_webhook');
  const secret = newWebhookSecret();
  const secretCreatedAt = context.now.toISOString();
  const after: StoredNotifications = { ...before, webhook: { url: before.webhook.url, secretId: await storeSecret(services, name, secret, secretCreatedAt), secretCreatedAt } };
  await save(services, current.record, current.etag, after, context);
  await retireSecret(services, name, before, after);
  await services.auditor.afterChange(context, { action: 'notifications.secret_rotated', endpoint: name, target: name, details: { reason: 'rotated' } });
  return { ...notificationView(name, after, services.settings.emailEnabled ?? false), webhookSecret: secret };
}

/**
 * A new secret goes into its own object before the record names it (the record's write may still fail:
 * an object nobody names is harmless). The record, which the uploads Lambda reads, never holds it.
 */
const storeSecret = (services: NotificationServices, name: string, secret: string, createdAt: string) => putWebhookSecret(services.s3, services.settings.bucket, name, secret, createdAt);

/** A record written before secrets had objects of their own: its secret moves into one as it is saved. */
async function withoutInlineSecret(services: NotificationServices, name: string, notifications: StoredNotifications): Promise<StoredNotifications> {
  const webhook = notifications.webhook;
  if (!webhook?.secret) return notifications;
  return { ...notifications, webhook: { url: webhook.url, secretId: await storeSecret(services, name, webhook.secret, webhook.secretCreatedAt), secretCreatedAt: webhook.secretCreatedAt } };
}

/** The old secret's object goes once the saved record no longer names it (a leftover would only be unused). */
async function retireSecret(services: NotificationServices, name: string, before: StoredNotifications, after: StoredNotifications): Promise<void> {
  const old = before.webhook?.secretId;
  if (old && old !== after.webhook?.secretId) await deleteWebhookSecret(services.s3, services.settings.bucket, name, old);
}

/** Whether two webhook URLs name the same receiver: the same origin (scheme, host and port). */
const sameReceiver = (a: string, b: string): boolean => new URL(a).origin === new URL(b).origin;

async function save(services: NotificationServices, record: EndpointRecord, etag: string, notifications: StoredNotifications, context: RequestContext): Promise<void> {
  await services.store.replace({ ...record, notifications, updatedAt: context.now.toISOString() }, etag);
}

/**
 * What changed, for the audit trail (and the log, which carries every audit event): recipients and
 * switches as they are, the webhook by its receiver only (receiverOf: no query, no user or password,
 * which may hold the receiver's token). A change of the query alone shows the same receiver twice.
 */
function auditedChanges(before: StoredNotifications, after: StoredNotifications): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (JSON.stringify(before.adminRecipients) !== JSON.stringify(after.adminRecipients)) changes.adminRecipients = { from: before.adminRecipients, to: after.adminRecipients };
  if (before.customerReceipt !== after.customerReceipt) changes.customerReceipt = { from: before.customerReceipt, to: after.customerReceipt };
  const url = (n: StoredNotifications) => n.webhook?.url ?? null;
  const receiver = (n: StoredNotifications) => (n.webhook ? receiverOf(n.webhook.url) : null);
  if (url(before) !== url(after)) changes.webhookUrl = { from: receiver(before), to: receiver(after) };
  return changes;
}
