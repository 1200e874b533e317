// The notify Lambda with its collaborators faked, for tests that drive createNotifyApp: a queue that
// keeps what was queued and what was put back for later, a mailer that keeps what it sent and can be
// told to fail or to do something while a send is under way, SQS deliveries, and an endpoint record
// read from a mocked bucket. A test may replace any collaborator but the queue and the mailer (with
// `mailer: null`, e-mail is off and the world's mailer is never called).
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createNotifyApp, type NotifyDeps } from '../../lambdas/notify/app.js';
import type { DeliveryFacts } from '../../lambdas/notify/delivery-audit.js';
import type { Mail, Mailer } from '../../lambdas/notify/mailer.js';
import type { EndpointRecord } from '../../lambdas/shared/endpoint-record.js';
import type { NotificationQueue, QueueMessage } from '../../lambdas/shared/notifications/notification-queue.js';
import { mockedCatalog } from './catalog-mock.js';
import { noSuchKey, objectBody, s3Error } from './s3-answers.js';

/** The clock of the world unless a test gives another. */
export const NOW = new Date('2026-12-04T12:00:00Z');
export const DIGEST_QUEUE_URL = 'https://sqs/digests';
export const WEBHOOK_QUEUE_URL = 'https://sqs/webhooks';

export class MemoryQueue implements NotificationQueue {
  readonly messages: { queueUrl: string; message: QueueMessage; delaySeconds: number }[] = [];
  readonly retries: { receiptHandle: string; seconds: number }[] = [];
  /** Kinds of message whose next send SQS refuses (undefined: any kind), one entry per refusal. */
  readonly #refusals: (QueueMessage['kind'] | undefined)[] = [];

  /** The next send (of `kind`, when given) fails as SQS fails when it is unavailable. */
  failNextSend(kind?: QueueMessage['kind']): this {
    this.#refusals.push(kind);
    return this;
  }

  async send(queueUrl: string, message: QueueMessage, delaySeconds = 0) {
    const refusal = this.#refusals.findIndex((kind) => kind === undefined || kind === message.kind);
    if (refusal >= 0) {
      this.#refusals.splice(refusal, 1);
      throw Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable' });
    }
    this.messages.push({ queueUrl, message, delaySeconds });
  }
  async retryLater(_queueUrl: string, receiptHandle: string, seconds: number) {
    this.retries.push({ receiptHandle, seconds });
  }
}

/** What SES answers when sending too fast: how a scripted send fails. */
const throttled = () => Object.assign(new Error('Throttling'), { name: 'TooManyRequestsException' });

/** One step of the mailer's script: runs inside a send, before the mail counts as sent; throwing fails that send. */
type SendStep = (mail: Mail) => unknown;

export class MemoryMailer implements Mailer {
  /** The mails SES took, in order. */
  readonly sent: Mail[] = [];
  /** Every mail the app tried to send, the failed ones too. */
  readonly tried: Mail[] = [];
  readonly #script: SendStep[] = [];

  /** Runs `step` inside the next send not yet scripted (arrivals while a digest is being sent). */
  nextSend(step: SendStep): this {
    this.#script.push(step);
    return this;
  }

  /** The next send not yet scripted fails (SES throttles it), after `step` if one is given. */
  failNext(step: SendStep = () => undefined): this {
    return this.nextSend(async (mail) => {
      await step(mail);
      throw throttled();
    });
  }

  /** The next unscripted `count` sends succeed (to script a failure after them). */
  pass(count = 1): this {
    for (let i = 0; i < count; i++) this.nextSend(() => undefined);
    return this;
  }

  async send(mail: Mail): Promise<string> {
    this.tried.push(mail);
    await this.#script.shift()?.(mail);
    this.sent.push(mail);
    return `ses-${this.sent.length}`;
  }
}

/** One SQS delivery of `body`; `messageId` stays the same when SQS delivers a message again. */
export function sqsEvent(body: unknown, delivery: { messageId?: string; receiveCount?: number } = {}): SQSEvent {
  const { messageId = 'm-1', receiveCount = 1 } = delivery;
  const record = { messageId, receiptHandle: `r-${messageId}`, body: JSON.stringify(body), attributes: { ApproximateReceiveCount: String(receiveCount) } };
  // The app reads only these fields of a record.
  return { Records: [record as unknown as SQSRecord] };
}

export interface NotifyWorld {
  queue: MemoryQueue;
  mailer: MemoryMailer;
  /** The delivery facts the app audited, in order. */
  audit: DeliveryFacts[];
  /** Every endpoint record the app reads is `record` from now on (none is stored at first). */
  storeRecord(record: EndpointRecord): void;
  /** The bucket answers the next read of a record with a 500 (a function that stops after its claim). */
  failNextRecordRead(): void;
  /** The app over this world, given one SQS event. */
  deliver(event: SQSEvent): Promise<SQSBatchResponse>;
}

/** The notify app's world: both queues, e-mail on, webhooks to a public address, a fixed clock. */
export function notifyWorld(over: Partial<Omit<NotifyDeps, 'queue' | 'mailer'>> & { mailer?: null } = {}): NotifyWorld {
  const queue = new MemoryQueue();
  const mailer = new MemoryMailer();
  const audit: DeliveryFacts[] = [];
  const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  let stored: EndpointRecord | null = null;
  let failingReads = 0;
  mockClient(s3)
    .on(GetObjectCommand)
    .callsFake(() => {
      if (failingReads > 0) {
        failingReads--;
        throw s3Error('InternalError', 500);
      }
      if (!stored) throw noSuchKey();
      return objectBody(JSON.stringify(stored));
    });
  const deps: NotifyDeps = {
    s3,
    bucket: 'bucket',
    db: mockedCatalog().db,
    queue,
    digestQueueUrl: DIGEST_QUEUE_URL,
    webhookQueueUrl: WEBHOOK_QUEUE_URL,
    mailer,
    portalUrl: 'https://portal.example.com',
    quietSeconds: 300,
    webhook: { allowLoopbackHttp: false, resolve: async () => [{ address: '10.9.8.7', family: 4 }] },
    record: async (facts) => void audit.push(facts),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    now: () => NOW,
    ...over,
  };
  return {
    queue,
    mailer,
    audit,
    storeRecord: (record) => void (stored = record),
    failNextRecordRead: () => void failingReads++,
    deliver: (event) => createNotifyApp(deps)(event),
  };
}

