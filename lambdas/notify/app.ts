// The notify Lambda as a function of explicit dependencies. It consumes two SQS queues:
// - the digest queue: `digest-check` (queued by each arrival, delayed by the quiet period): when the
//   endpoint has been quiet that long, take its pending digest (one consumer wins) and send the admins'
//   e-mail, each uploader's receipt of their own files and a `files.received` webhook; `infected`: alert at once.
// - the webhook queue: one attempt per receive; a failed attempt stays in the queue, hidden for its
//   backoff (ChangeMessageVisibility), until it is delivered or WEBHOOK_MAX_ATTEMPTS have failed (then
//   SQS moves it to the dead-letter queue).
// A separate function from the events Lambda because it reaches out: SES and arbitrary receivers on the
// internet. The events Lambda's role may read unscanned objects (the scan's bucket policy exempts it);
// the function that opens connections to customer-chosen URLs should hold none of that.
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DIGEST_MAX_RECEIVES, WEBHOOK_MAX_ATTEMPTS, webhookPauseSeconds, type DigestQueueMessage, type WebhookBody, type WebhookQueueMessage } from '../../contract/notifications.js';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CatalogDb } from '../shared/catalog/catalog-db.js';
import { readEndpointRecord } from '../shared/endpoint-record.js';
import type { NotificationQueue } from '../shared/notifications/notification-queue.js';
import { notificationsOf } from '../shared/notifications/notification-settings.js';
import { receiverOf } from '../shared/notifications/webhook-address.js';
import { readWebhookSecret } from '../shared/notifications/webhook-secret-store.js';
import { claimPendingDigest, markDigestMailed, readPendingDigest, releasePendingDigest, settlePendingDigest, type PendingDigest } from '../shared/notifications/pending-digest.js';
import type { DeliveryRecorder } from './delivery-audit.js';
import type { Mail, Mailer } from './mailer.js';
import { adminDigestMail, customerReceiptMail, emailAddresses, endpointConsoleUrl, filesReceivedData, infectedAlertMail, webhookBody } from './messages.js';
import { attemptWebhook, type WebhookSenderOptions } from './webhook-sender.js';

export interface NotifyDeps {
  s3: S3Client;
  bucket: string;
  db: CatalogDb;
  queue: NotificationQueue;
  digestQueueUrl: string | undefined;
  webhookQueueUrl: string | undefined;
  /** null when the deployment has no sender identity: e-mail is off. */
  mailer: Mailer | null;
  portalUrl: string;
  quietSeconds: number;
  webhook: WebhookSenderOptions;
  record: DeliveryRecorder;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  now: () => Date;
}

export type DigestOutcome = 'nothing' | 'not-quiet' | 'taken' | 'no-endpoint' | 'sent' | 'requeued';

/**
 * What follows a failed e-mail, for its audit: tried again (`notification.retried`, as a webhook's
 * `webhook.retried`), or failed for good (`notification.failed`, `final`).
 */
type MailRetry = { final: false; attempt?: number; nextAttemptInSeconds?: number } | { final: true; attempt: number };

export function createNotifyApp(deps: NotifyDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
  async function sendMail(mail: Mail, endpoint: string, kind: string, messageId: string, retry: MailRetry): Promise<boolean> {
    if (!deps.mailer || mail.to.length === 0) return true;
    try {
      const sesId = await deps.mailer.send(mail);
      await deps.record({ action: 'notification.sent', endpoint, target: mail.to.join(', '), details: { kind, subject: mail.subject, sesMessageId: sesId }, messageId });
      return true;
    } catch (error) {
      deps.logger.error('e-mail failed', { endpoint, kind, final: retry.final, error: error as Error });
      await deps.record({
        action: retry.final ? 'notification.failed' : 'notification.retried',
        endpoint,
        target: mail.to.join(', '),
        details: { kind, subject: mail.subject, error: (error as Error).message, ...retry },
        messageId,
      });
      return false;
    }
  }

  async function queueWebhook(endpoint: string, body: WebhookBody): Promise<void> {
    if (!deps.webhookQueueUrl) return;
    const message: WebhookQueueMessage = { kind: 'webhook', endpoint, body };
    await deps.queue.send(deps.webhookQueueUrl, message, 0);
  }

  /** One more digest check for `endpoint`, a quiet period from now. */
  async function checkAgainLater(endpoint: string): Promise<void> {
    if (deps.digestQueueUrl) await deps.queue.send(deps.digestQueueUrl, { kind: 'digest-check', endpoint }, deps.quietSeconds);
  }

  async function digestCheck(endpoint: string, messageId: string): Promise<DigestOutcome> {
    const digest = await readPendingDigest(deps.db, endpoint);
    if (!digest) return 'nothing';
    // This check e-mailed the digest and then failed (the webhook's queue or the settle threw, or the
    // function stopped): SQS delivered it again. The rest is done for the digest it e-mailed, not again.
    if (digest.mailed?.claimId === messageId) {
      const stored = await readEndpointRecord(deps.s3, deps.bucket, endpoint);
      return finishDigest(digest.mailed.digest, messageId, Boolean(stored && notificationsOf(stored.record).webhook));
    }
    const now = deps.now();
    // Another check follows the later arrival; this one has nothing to do.
    if (now.getTime() - Date.parse(digest.lastArrivalAt) < deps.quietSeconds * 1000) return 'not-quiet';
    // Claimed: this check (its SQS message id) alone sends the digest. Should the function stop before
    // settling, SQS delivers the message again and the same id claims and sends it then.
    if (!(await claimPendingDigest(deps.db, digest, messageId, now))) {
      // It grew (its own check follows), or another check is sending it, or died doing so: looking
      // again later makes sure a claim whose check never came back does not keep the digest for good.
      await checkAgainLater(endpoint);
      return 'taken';
    }
    const stored = await readEndpointRecord(deps.s3, deps.bucket, endpoint);
    if (!stored) {
      await settlePendingDigest(deps.db, digest, messageId, now);
      return 'no-endpoint';
    }
    const settings = notificationsOf(stored.record);
    const data = filesReceivedData(digest, deps.portalUrl);
    // A digest whose e-mail failed is tried again after another quiet period, for as long as it takes.
    const retry: MailRetry = { final: false, nextAttemptInSeconds: deps.quietSeconds };
    if (!(await sendMail(adminDigestMail(settings.adminRecipients, data), endpoint, 'digest', messageId, retry))) {
      // SES refused or failed: the digest stays (with whatever arrived since) and is tried again after
      // another quiet period. No receipt has gone out yet, so the retry sends none twice.
      await releasePendingDigest(deps.db, endpoint, messageId);
      await checkAgainLater(endpoint);
      return 'requeued';
    }
    if (settings.customerReceipt) {
      // One receipt per uploader, of their own files only: customers of one endpoint may not know of
      // each other. A login without an e-mail address gets none (nobody else gets theirs). A receipt
      // that fails is recorded as failed and not sent again: a retry would repeat the admins' digest
      // and every receipt that did go out, one bad address resending them each quiet period.
      for (const receipt of digest.receipts) {
        const to = emailAddresses([receipt.uploader]);
        if (to.length) await sendMail(customerReceiptMail(to, receipt), endpoint, 'receipt', messageId, { final: true, attempt: 1 });
      }
    }
    // From here on a redelivery of this check must not e-mail again. (A function that stops before
    // this write e-mails again on the redelivery: twice beats never.)
    await markDigestMailed(deps.db, digest, messageId);
    return finishDigest(digest, messageId, Boolean(settings.webhook));
  }

  /** After the e-mails: the webhook, then the settle. Run again as a whole when this check is delivered again. */
  async function finishDigest(digest: PendingDigest, messageId: string, webhookOn: boolean): Promise<DigestOutcome> {
    // The webhook's id comes from the claim (this check's message id), so that the same event queued
    // again by a redelivery carries the same id and receivers deduplicate it.
    if (webhookOn) await queueWebhook(digest.endpoint, webhookBody(digestWebhookId(messageId), 'files.received', deps.now().toISOString(), filesReceivedData(digest, deps.portalUrl)));
    // Files that arrived while it was being sent had their checks turned away by the claim: one more for them.
    if ((await settlePendingDigest(deps.db, digest, messageId, deps.now())) === 'more') await checkAgainLater(digest.endpoint);
    return 'sent';
  }

  async function infected(message: Extract<DigestQueueMessage, { kind: 'infected' }>, record: SQSRecord): Promise<void> {
    const { file } = message;
    const stored = await readEndpointRecord(deps.s3, deps.bucket, file.endpoint);
    if (!stored) return;
    const settings = notificationsOf(stored.record);
    const data = { ...file, consoleUrl: endpointConsoleUrl(deps.portalUrl, file.endpoint) };
    // SQS delivers the alert again until its last receive, then moves it to the dead-letter queue.
    const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
    const retry: MailRetry = attempt >= DIGEST_MAX_RECEIVES ? { final: true, attempt } : { final: false, attempt };
    const mailed = await sendMail(infectedAlertMail(settings.adminRecipients, data), file.endpoint, 'infected', record.messageId, retry);
    // A redelivered alert queues its webhook again: receivers deduplicate on the event id, which stays.
    if (settings.webhook) await queueWebhook(file.endpoint, webhookBody(message.id, 'file.infected', message.at, data));
    // An alert that could not be mailed is retried by SQS (the message comes back).
    if (!mailed) throw new Error('the infected-file alert could not be e-mailed');
  }

  /** One attempt; answers whether the message is done (delivered or given up). */
  async function webhook(message: WebhookQueueMessage, record: SQSRecord, receivedAt: Date): Promise<boolean> {
    const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
    const stored = await readEndpointRecord(deps.s3, deps.bucket, message.endpoint);
    const hook = stored ? notificationsOf(stored.record).webhook : null;
    const base = { endpoint: message.endpoint, messageId: record.messageId };
    if (!hook) {
      deps.logger.info('webhook dropped: the endpoint has no webhook any more', { endpoint: message.endpoint, eventId: message.body.id });
      return true;
    }
    const target = receiverOf(hook.url);
    const secret = await readWebhookSecret(deps.s3, deps.bucket, message.endpoint, hook);
    if (!secret) {
      // The record names a secret that is not there (removed by hand): nothing to sign with, for good.
      await deps.record({ action: 'webhook.failed', target, details: { eventId: message.body.id, type: message.body.type, attempt, status: null, reason: 'the signing secret is missing', final: true }, ...base });
      return true;
    }
    const result = await attemptWebhook(hook.url, secret, message.body, deps.now(), deps.webhook);
    const details = { eventId: message.body.id, type: message.body.type, attempt, status: result.status };
    if (result.outcome === 'delivered') {
      await deps.record({ action: 'webhook.sent', target, details, ...base });
      return true;
    }
    if (result.outcome === 'refused' || attempt >= WEBHOOK_MAX_ATTEMPTS) {
      await deps.record({ action: 'webhook.failed', target, details: { ...details, reason: result.reason, final: true }, ...base });
      // Given up after the last attempt: SQS moves the message to the dead-letter queue on its next receive.
      return result.outcome === 'refused';
    }
    // SQS refuses a visibility that ends more than 12 h after the receive: the pause shrinks by the time
    // this message has been held (the batch's other attempts and this one took up to their deadlines).
    const pause = webhookPauseSeconds(attempt, (deps.now().getTime() - receivedAt.getTime()) / 1000);
    // The audit says when the next attempt comes only once SQS took the pause; if it did not, the
    // message comes back after the queue's own visibility timeout.
    let next: { nextAttemptInSeconds: number } | { backoffError: string } = { nextAttemptInSeconds: pause };
    try {
      if (deps.webhookQueueUrl) await deps.queue.retryLater(deps.webhookQueueUrl, record.receiptHandle, pause);
    } catch (error) {
      deps.logger.warn('webhook backoff not set: the queue\'s visibility timeout applies', { endpoint: message.endpoint, pause, error: error as Error });
      next = { backoffError: (error as Error).message };
    }
    await deps.record({ action: 'webhook.retried', target, details: { ...details, reason: result.reason, ...next }, ...base });
    return false;
  }

  async function handle(record: SQSRecord, receivedAt: Date): Promise<boolean> {
    const message = JSON.parse(record.body) as DigestQueueMessage | WebhookQueueMessage;
    switch (message.kind) {
      case 'digest-check': {
        const outcome = await digestCheck(message.endpoint, record.messageId);
        deps.logger.info('digest check', { endpoint: message.endpoint, outcome });
        return true;
      }
      case 'infected':
        await infected(message, record);
        return true;
      case 'webhook':
        return webhook(message, record, receivedAt);
      default:
        deps.logger.warn('unknown message dropped', { messageId: record.messageId });
        return true;
    }
  }

  return async (event) => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    const batchAt = deps.now();
    for (const record of event.Records) {
      try {
        if (!(await handle(record, receivedAtOf(record, batchAt)))) batchItemFailures.push({ itemIdentifier: record.messageId });
      } catch (error) {
        deps.logger.error('message failed', { messageId: record.messageId, error: error as Error });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

/**
 * When SQS handed the record out, as near as the function can tell: the batch's arrival, or on a
 * message's first receive SQS's own ApproximateFirstReceiveTimestamp when it is earlier. (On later
 * receives that attribute still names the first one, hours ago, so it says nothing about this one.)
 */
export function receivedAtOf(record: SQSRecord, batchAt: Date): Date {
  const firstReceive = Number(record.attributes.ApproximateFirstReceiveTimestamp);
  if (record.attributes.ApproximateReceiveCount === '1' && Number.isFinite(firstReceive) && firstReceive > 0 && firstReceive < batchAt.getTime()) return new Date(firstReceive);
  return batchAt;
}

/** A `files.received` webhook's id: the claim's (the digest check's SQS message id), the same on every redelivery. */
export const digestWebhookId = (claimId: string): string => `msg_${claimId}`;
