// Notifications in AWS: two SQS queues, each with a dead-letter queue and an alarm on it, consumed by
// the notify Lambda; the events Lambda sends to the digest queue.
// - Digest queue: each arrival sends a digest check with DelaySeconds = notificationQuietSeconds (the
//   quiet period rides on SQS's own delay, at most 900 s; nothing sleeps), and the infected-file alerts
//   without delay. Checks that fail five times go to its dead-letter queue.
// - Webhook queue: one attempt per receive; the Lambda hides a failed message for its backoff
//   (ChangeMessageVisibility, at most 12 h), maxReceiveCount = WEBHOOK_MAX_ATTEMPTS spans more than a
//   day, and the retention outlasts that span (the dead-letter queue keeps the enqueue time, so it keeps
//   14 days).
// - SES: ses:SendEmail on the sender's identity only; without notificationSender, e-mail is off and
//   synth says so once (a warning annotation).
import { Annotations, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DIGEST_MAX_RECEIVES, WEBHOOK_MAX_ATTEMPTS, webhookRetrySpanSeconds } from '../contract/notifications.js';
import { senderAddress } from './config.js';
import { sendEmailStatement } from './permissions.js';

/** SQS asks for a visibility timeout of at least six times the consumer's timeout (the notify Lambda: 60 s). */
export const NOTIFY_VISIBILITY_SECONDS = 360;
export const NO_SENDER_WARNING = 'notificationSender is not set: notification e-mails are off (webhooks still work). Set it to a verified SES identity to send digests and alerts.';

export interface NotificationsProps {
  readonly notificationSender: string | null;
}

export class Notifications extends Construct {
  readonly digestQueue: Queue;
  readonly digestDeadLetterQueue: Queue;
  readonly webhookQueue: Queue;
  readonly webhookDeadLetterQueue: Queue;
  readonly alarms: Alarm[] = [];
  /** The SES identities the notify Lambda may send from (empty when e-mail is off). */
  readonly senderIdentityArns: string[];

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    this.digestDeadLetterQueue = this.deadLetterQueue('DigestDeadLetterQueue', 'digest checks and infected-file alerts the notify Lambda failed on');
    this.digestQueue = new Queue(this, 'DigestQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(NOTIFY_VISIBILITY_SECONDS),
      deadLetterQueue: { queue: this.digestDeadLetterQueue, maxReceiveCount: DIGEST_MAX_RECEIVES },
    });
    this.webhookDeadLetterQueue = this.deadLetterQueue('WebhookDeadLetterQueue', `webhooks not delivered after ${WEBHOOK_MAX_ATTEMPTS} attempts`);
    // Four days: the span of every attempt (webhookRetrySpanSeconds: 103,980 s, about 29 h) with room for a consumer outage.
    const retention = Duration.seconds(Math.max(4 * 86_400, webhookRetrySpanSeconds() + 86_400));
    this.webhookQueue = new Queue(this, 'WebhookQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(NOTIFY_VISIBILITY_SECONDS),
      retentionPeriod: retention,
      deadLetterQueue: { queue: this.webhookDeadLetterQueue, maxReceiveCount: WEBHOOK_MAX_ATTEMPTS },
    });
    this.alarms.push(this.alarmOn('DigestDeadLetterAlarm', this.digestDeadLetterQueue, 'digest checks or infected-file alerts failed; the notify Lambda logs why'));
    this.alarms.push(this.alarmOn('WebhookDeadLetterAlarm', this.webhookDeadLetterQueue, 'a webhook was not delivered within its retries; the audit trail has each attempt'));

    const stack = Stack.of(this);
    if (props.notificationSender) {
      const address = senderAddress(props.notificationSender);
      const domain = address.slice(address.lastIndexOf('@') + 1);
      this.senderIdentityArns = [address, domain].map((identity) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }));
    } else {
      this.senderIdentityArns = [];
      Annotations.of(stack).addWarningV2('portal:notifications:no-sender', NO_SENDER_WARNING);
    }
  }

  /** The consumer, the producers, and SES. */
  connect(handlers: { notify: IFunction; events: IFunction }): void {
    handlers.notify.addEventSource(new SqsEventSource(this.digestQueue, { batchSize: 10, reportBatchItemFailures: true }));
    handlers.notify.addEventSource(new SqsEventSource(this.webhookQueue, { batchSize: 5, reportBatchItemFailures: true }));
    // The notify Lambda re-queues a digest whose e-mail failed and queues the webhooks.
    this.digestQueue.grantSendMessages(handlers.notify);
    this.webhookQueue.grantSendMessages(handlers.notify);
    this.digestQueue.grantSendMessages(handlers.events);
    if (this.senderIdentityArns.length) handlers.notify.addToRolePolicy(sendEmailStatement(this.senderIdentityArns));
  }

  private deadLetterQueue(id: string, what: string): Queue {
    const queue = new Queue(this, id, { encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14) });
    Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: `${id} is itself a dead-letter queue (${what}); a queue behind it would only hide failures.` });
    return queue;
  }

  private alarmOn(id: string, queue: Queue, what: string): Alarm {
    return new Alarm(this, id, {
      alarmDescription: `Upload portal: ${what} (README "Scanning and notifications")`,
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
