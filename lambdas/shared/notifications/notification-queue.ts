// Sending to the notification queues (SQS): the events Lambda queues delayed digest checks, the
// infected-file hook queues an alert, the notify Lambda queues webhook deliveries and pushes a failed
// webhook's next attempt back by its backoff. An interface, so tests and the local portal's stand-in
// can take the messages.
import type { DigestQueueMessage, WebhookQueueMessage } from '../../../contract/notifications.js';

export type QueueMessage = DigestQueueMessage | WebhookQueueMessage;

export interface NotificationQueue {
  send(queueUrl: string, message: QueueMessage, delaySeconds?: number): Promise<void>;
  /** The message stays in the queue, invisible for `seconds` (its next attempt). */
  retryLater(queueUrl: string, receiptHandle: string, seconds: number): Promise<void>;
}

type Sdk = typeof import('@aws-sdk/client-sqs');

/** SQS through the SDK, loaded on first use (the events Lambda sends only when something arrives). */
export function sqsNotificationQueue(env: { readonly SQS_ENDPOINT?: string | undefined }): NotificationQueue {
  let loaded: Promise<{ client: InstanceType<Sdk['SQSClient']>; sdk: Sdk }> | undefined;
  const sqs = () =>
    (loaded ??= import('@aws-sdk/client-sqs').then((sdk) => ({ sdk, client: new sdk.SQSClient(env.SQS_ENDPOINT ? { endpoint: env.SQS_ENDPOINT } : {}) })));
  return {
    async send(queueUrl, message, delaySeconds = 0) {
      const { client, sdk } = await sqs();
      await client.send(new sdk.SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message), DelaySeconds: delaySeconds }));
    },
    async retryLater(queueUrl, receiptHandle, seconds) {
      const { client, sdk } = await sqs();
      await client.send(new sdk.ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: seconds }));
    },
  };
}
