// A webhook whose receiver never answers, driven through the local SQS stand-in with a clock the test
// moves: every attempt takes a second, every pause passes in full. SQS refuses a visibility that ends
// more than 12 h after the receive, and the stand-in does too: the notify Lambda's pauses must fit
// under that, or a refused pause brings the message back after the queue's timeout and the retries
// end hours short of a day.
import { afterEach, describe, expect, it } from 'vitest';
import { SQS_MAX_VISIBILITY_SECONDS, WEBHOOK_LONGEST_PAUSE_SECONDS, WEBHOOK_MAX_ATTEMPTS, webhookBackoffSeconds } from '../../../contract/notifications.js';
import { receivedAtOf } from '../../../lambdas/notify/app.js';
import { LocalQueues } from '../../../local/notify/local-queues.js';
import { makeRecord } from '../../support/s3-answers.js';
import { NOW, notifyWorld, sqsEvent } from '../../support/notify-world.js';
import type { SQSEvent } from 'aws-lambda';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
/** What the webhook queue's visibility timeout is in the stack (NOTIFY_VISIBILITY_SECONDS). */
const QUEUE_VISIBILITY_SECONDS = 360;
const webhookMessage = { kind: 'webhook', endpoint: 'acme', body: { id: 'msg_w', type: 'files.received', timestamp: NOW.toISOString(), data: {} } };

let queues: LocalQueues | undefined;
afterEach(() => queues?.close());

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(done()).toBe(true);
}

describe('the local SQS stand-in', () => {
  it('refuses a visibility that ends more than 12 h after the receive, as SQS does, and keeps the first receive\'s time', async () => {
    let clock = NOW.getTime();
    const results: string[] = [];
    const firstReceives: string[] = [];
    queues = new LocalQueues({
      queues: [{ name: 'hooks', maxReceives: 2, visibilitySeconds: 1 }],
      retryScale: 0.000_001,
      now: () => clock,
      handler: async () => async (event: SQSEvent) => {
        const record = event.Records[0]!;
        firstReceives.push(record.attributes.ApproximateFirstReceiveTimestamp);
        clock += 1000; // the attempt took a second
        results.push(queues!.changeVisibility(record.receiptHandle, SQS_MAX_VISIBILITY_SECONDS));
        results.push(queues!.changeVisibility(record.receiptHandle, SQS_MAX_VISIBILITY_SECONDS - 1));
        results.push(queues!.changeVisibility('stale#1', 1));
        clock += 60_000;
        return { batchItemFailures: [{ itemIdentifier: record.messageId }] };
      },
    });
    queues.send(queues.queueUrl('hooks'), '{}', 0);
    await until(() => queues!.deadLetters.length === 1);
    expect(results).toEqual(['too-long', 'changed', 'no-receipt', 'too-long', 'changed', 'no-receipt']);
    expect(firstReceives).toEqual([String(NOW.getTime()), String(NOW.getTime())]);
  });
});

describe('webhook retries through the stand-in', () => {
  it('keep every pause within 12 h of its receive (attempt 11 included) and span more than a day', async () => {
    let clock = NOW.getTime();
    const starts: number[] = [];
    /** What the stand-in will hide the message for after this delivery: the queue's timeout unless a pause was taken. */
    let hiddenFor = QUEUE_VISIBILITY_SECONDS;
    const world = notifyWorld({
      now: () => new Date(clock),
      webhook: {
        allowLoopbackHttp: false,
        // Each attempt takes a second and fails (the name does not resolve): no network in a unit test.
        resolve: async () => {
          starts.push(clock);
          clock += 1000;
          throw new Error('getaddrinfo ENOTFOUND hooks.example.com');
        },
      },
    });
    world.storeRecord(makeRecord({ notifications: { adminRecipients: [], customerReceipt: false, webhook: { url: 'https://hooks.example.com/x', secret: SECRET, secretCreatedAt: NOW.toISOString() } } }));
    // The SDK throws on the error SQS answers; the stand-in's answer is its refusal.
    world.queue.retryLater = async (_url, receiptHandle, seconds) => {
      const changed = queues!.changeVisibility(receiptHandle, seconds);
      if (changed !== 'changed') throw new Error(`ChangeMessageVisibility refused: ${changed}`);
      world.queue.retries.push({ receiptHandle, seconds });
      hiddenFor = seconds;
    };
    queues = new LocalQueues({
      queues: [{ name: 'portal-webhooks', maxReceives: WEBHOOK_MAX_ATTEMPTS, visibilitySeconds: QUEUE_VISIBILITY_SECONDS }],
      retryScale: 0.000_001,
      now: () => clock,
      handler: async () => async (event: SQSEvent) => {
        hiddenFor = QUEUE_VISIBILITY_SECONDS;
        const answer = await world.deliver(event);
        clock += hiddenFor * 1000;
        return answer;
      },
    });
    queues.send(queues.queueUrl('portal-webhooks'), JSON.stringify(webhookMessage), 0);
    await until(() => queues!.deadLetters.length === 1);

    expect(starts).toHaveLength(WEBHOOK_MAX_ATTEMPTS);
    const retried = world.audit.filter((a) => a.action === 'webhook.retried');
    expect(retried).toHaveLength(WEBHOOK_MAX_ATTEMPTS - 1);
    // Every pause was taken, and the audit says the pause SQS took.
    expect(world.queue.retries.map((r) => r.seconds)).toEqual(retried.map((a) => a.details.nextAttemptInSeconds));
    // Attempt 11: the backoff would be the longest pause; it was set a second after the receive.
    expect(retried[10]!.details).toMatchObject({ attempt: 11, nextAttemptInSeconds: WEBHOOK_LONGEST_PAUSE_SECONDS - 1 });
    expect(webhookBackoffSeconds(11)).toBe(WEBHOOK_LONGEST_PAUSE_SECONDS);
    expect(world.audit.at(-1)).toMatchObject({ action: 'webhook.failed', details: { attempt: WEBHOOK_MAX_ATTEMPTS, final: true } });
    // From the first attempt to the last: at least the 24 h promised.
    expect((starts.at(-1)! - starts[0]!) / 1000).toBeGreaterThanOrEqual(24 * 3600);
  });

  it('audit a pause SQS refused as not taken (the queue\'s timeout applies), not as the pause asked for', async () => {
    const world = notifyWorld({ webhook: { allowLoopbackHttp: false, resolve: async () => Promise.reject(new Error('getaddrinfo ENOTFOUND hooks.example.com')) } });
    world.storeRecord(makeRecord({ notifications: { adminRecipients: [], customerReceipt: false, webhook: { url: 'https://hooks.example.com/x', secret: SECRET, secretCreatedAt: NOW.toISOString() } } }));
    world.queue.retryLater = async () => Promise.reject(new Error('Total VisibilityTimeout for the message is beyond the limit'));
    const answer = await world.deliver(sqsEvent(webhookMessage, { receiveCount: 3 }));
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(world.audit).toHaveLength(1);
    expect(world.audit[0]).toMatchObject({ action: 'webhook.retried', details: { attempt: 3, backoffError: 'Total VisibilityTimeout for the message is beyond the limit' } });
    expect(world.audit[0]!.details).not.toHaveProperty('nextAttemptInSeconds');
  });
});

describe('receivedAtOf', () => {
  const batchAt = new Date(NOW.getTime() + 5000);
  const record = (receiveCount: string, first: string) => sqsEvent({}, {}).Records.map((r) => ({ ...r, attributes: { ...r.attributes, ApproximateReceiveCount: receiveCount, ApproximateFirstReceiveTimestamp: first } }))[0]!;

  it('takes SQS\'s receive time on the first receive, and the batch\'s arrival on later ones (the attribute then names the first)', () => {
    expect(receivedAtOf(record('1', String(NOW.getTime())), batchAt)).toEqual(NOW);
    expect(receivedAtOf(record('11', String(NOW.getTime() - 17 * 3600_000)), batchAt)).toEqual(batchAt);
    expect(receivedAtOf(record('1', 'garbage'), batchAt)).toEqual(batchAt);
  });
});
