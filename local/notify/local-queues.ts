// SQS's part in the local portal: named queues held in this process, which invoke the notify Lambda's
// handler with SQS-shaped events, as Lambda's SQS event source does. What it keeps of SQS:
// - DelaySeconds: a message becomes visible only after its delay (the digest's quiet period).
// - Visibility: a message the handler reports failed (batchItemFailures) or throws on comes back after
//   the queue's visibility timeout, or after what the handler set with ChangeMessageVisibility while
//   it held the message (the webhook backoff). As in SQS, a visibility that would end more than 12 h
//   after the receive that handed the message out is refused, not clamped.
// - maxReceiveCount: a message received more often goes to the queue's dead letters.
// `retryScale` shrinks visibility timeouts (a webhook's first retry comes after 60 s in AWS; tests
// want it in about a second); delays are never scaled, since the digest compares real clock times.
import { randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { SQS_MAX_VISIBILITY_SECONDS } from '../../contract/notifications.js';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../gateway/lambda-target.js';

export type QueueHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface LocalQueueSpec {
  name: string;
  maxReceives: number;
  visibilitySeconds: number;
}

export interface LocalQueuesOptions {
  queues: readonly LocalQueueSpec[];
  /** The notify handler, loaded on first use. */
  handler: () => Promise<QueueHandler>;
  /** Multiplies visibility timeouts. @default 1 */
  retryScale?: number;
  /** The clock receives and visibility changes are measured by. @default Date.now */
  now?: () => number;
  log?: (line: string) => void;
}

interface Message {
  id: string;
  queue: LocalQueueSpec;
  body: string;
  receives: number;
  sentAt: number;
  /** The first receive (ApproximateFirstReceiveTimestamp), and the current one. */
  firstReceivedAt: number | null;
  receivedAt: number;
  /** Set by ChangeMessageVisibility while the handler holds the message. */
  nextVisibility: number | null;
}

export interface DeadLetter {
  queue: string;
  body: string;
  receives: number;
}

export class LocalQueues {
  readonly deadLetters: DeadLetter[] = [];
  /** Messages sent, by queue name (tests read what was queued). */
  readonly sent: { queue: string; body: string; delaySeconds: number }[] = [];
  private readonly byName = new Map<string, LocalQueueSpec>();
  private readonly held = new Map<string, Message>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  /** Base URL of the SQS stand-in server: queue URLs are `${baseUrl}/<account>/<name>`. */
  baseUrl = '';

  constructor(private readonly options: LocalQueuesOptions) {
    for (const queue of options.queues) this.byName.set(queue.name, queue);
  }

  /** Messages waiting for their delay or visibility timeout, or being handled (0 = nothing more will be delivered). */
  get pending(): number {
    return this.timers.size + this.held.size;
  }

  queueUrl(name: string): string {
    return `${this.baseUrl}/${LOCAL_ACCOUNT}/${name}`;
  }

  /** SendMessage: false when there is no such queue. */
  send(queueUrl: string, body: string, delaySeconds: number): { messageId: string } | null {
    const queue = this.byName.get(queueUrl.slice(queueUrl.lastIndexOf('/') + 1));
    if (!queue) return null;
    const message: Message = { id: randomUUID(), queue, body, receives: 0, sentAt: this.now(), firstReceivedAt: null, receivedAt: 0, nextVisibility: null };
    this.sent.push({ queue: queue.name, body, delaySeconds });
    this.later(message, delaySeconds * 1000);
    return { messageId: message.id };
  }

  /**
   * ChangeMessageVisibility: `no-receipt` when the receipt is not held (already deleted, or stale);
   * `too-long` when the message would stay hidden past SQS_MAX_VISIBILITY_SECONDS after its receive.
   */
  changeVisibility(receiptHandle: string, seconds: number): 'changed' | 'no-receipt' | 'too-long' {
    const message = this.held.get(receiptHandle);
    if (!message) return 'no-receipt';
    if ((this.now() - message.receivedAt) / 1000 + seconds > SQS_MAX_VISIBILITY_SECONDS) return 'too-long';
    message.nextVisibility = seconds;
    return 'changed';
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(message: Message, ms: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.deliver(message);
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private async deliver(message: Message): Promise<void> {
    if (this.closed) return;
    message.receives++;
    if (message.receives > message.queue.maxReceives) {
      this.deadLetters.push({ queue: message.queue.name, body: message.body, receives: message.receives - 1 });
      this.options.log?.(`[queues] ${message.queue.name}: message ${message.id} moved to the dead letters after ${message.receives - 1} receives`);
      return;
    }
    const receiptHandle = `${message.id}#${message.receives}`;
    message.nextVisibility = null;
    message.receivedAt = this.now();
    message.firstReceivedAt ??= message.receivedAt;
    this.held.set(receiptHandle, message);
    const record: SQSRecord = {
      messageId: message.id,
      receiptHandle,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receives),
        SentTimestamp: String(message.sentAt),
        SenderId: LOCAL_ACCOUNT,
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${message.queue.name}`,
      awsRegion: LOCAL_REGION,
    };
    let failed: boolean;
    try {
      const handler = await this.options.handler();
      const answer = await handler({ Records: [record] });
      failed = Boolean(answer?.batchItemFailures.some((f) => f.itemIdentifier === message.id));
    } catch (error) {
      this.options.log?.(`[queues] ${message.queue.name}: handler failed: ${(error as Error).message}`);
      failed = true;
    } finally {
      this.held.delete(receiptHandle);
    }
    if (failed) this.later(message, (message.nextVisibility ?? message.queue.visibilitySeconds) * 1000 * (this.options.retryScale ?? 1));
  }
}
