// The notify Lambda with its collaborators faked: the infected-file hook's message goes from
// sendInfectedAlert through a queue into the app, which mails the admins and queues a webhook; webhook
// attempts to refused destinations fail for good; failures are audited without the secret.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { Webhook } from 'standardwebhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { DIGEST_MAX_RECEIVES, type WebhookBody } from '../../../contract/notifications.js';
import { createNotifyApp, type NotifyDeps } from '../../../lambdas/notify/app.js';
import type { DeliveryFacts } from '../../../lambdas/notify/delivery-audit.js';
import type { Mail } from '../../../lambdas/notify/mailer.js';
import { signedHeaders } from '../../../lambdas/notify/webhook-sender.js';
import type { EndpointRecord } from '../../../lambdas/shared/endpoint-record.js';
import { sendInfectedAlert } from '../../../lambdas/shared/notifications/infected-alert.js';
import type { NotificationQueue, QueueMessage } from '../../../lambdas/shared/notifications/notification-queue.js';
import { mockedCatalog } from '../../support/catalog-mock.js';
import { objectBody } from '../admin/harness.js';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const NOW = new Date('2026-12-04T12:00:00Z');

function record(notifications: EndpointRecord['notifications']): EndpointRecord {
  return {
    name: 'acme',
    displayName: 'Acme',
    customerEmail: 'upload@acme.example',
    createdAt: NOW.toISOString(),
    createdBy: 'admin@example.com',
    updatedAt: NOW.toISOString(),
    expiresAt: null,
    maxFileSizeBytes: null,
    allowedExtensions: null,
    notes: '',
    disabled: false,
    logins: [],
    ...(notifications ? { notifications } : {}),
  };
}

class MemoryQueue implements NotificationQueue {
  readonly messages: { queueUrl: string; message: QueueMessage; delaySeconds: number }[] = [];
  readonly retries: { receiptHandle: string; seconds: number }[] = [];
  async send(queueUrl: string, message: QueueMessage, delaySeconds = 0) {
    this.messages.push({ queueUrl, message, delaySeconds });
  }
  async retryLater(_queueUrl: string, receiptHandle: string, seconds: number) {
    this.retries.push({ receiptHandle, seconds });
  }
}

const sqsEvent = (body: unknown, receiveCount = 1): SQSEvent => ({
  Records: [{ messageId: 'm-1', receiptHandle: 'r-1', body: JSON.stringify(body), attributes: { ApproximateReceiveCount: String(receiveCount) } } as unknown as SQSRecord],
});

let queue: MemoryQueue;
let mails: Mail[];
let audit: DeliveryFacts[];
let s3: S3Client;
let deps: NotifyDeps;

function storeRecord(r: EndpointRecord): void {
  const mock = mockClient(s3);
  mock.on(GetObjectCommand).resolves(objectBody(JSON.stringify(r)));
}

beforeEach(() => {
  queue = new MemoryQueue();
  mails = [];
  audit = [];
  s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  deps = {
    s3,
    bucket: 'bucket',
    db: mockedCatalog().db,
    queue,
    digestQueueUrl: 'https://sqs/digests',
    webhookQueueUrl: 'https://sqs/webhooks',
    mailer: { send: async (mail) => (mails.push(mail), 'ses-1') },
    portalUrl: 'https://portal.example.com',
    quietSeconds: 300,
    webhook: { allowLoopbackHttp: false, resolve: async () => [{ address: '10.9.8.7', family: 4 }] },
    record: async (facts) => void audit.push(facts),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
    now: () => NOW,
    newId: () => 'fixed',
  };
});

describe('sendInfectedAlert', () => {
  it('does nothing when notifications are off (no queue)', async () => {
    expect(await sendInfectedAlert({ queue, queueUrl: undefined, now: () => NOW }, { endpoint: 'acme', key: 'uploads/acme/x', name: 'x', size: 1, uploadedBy: null, threats: [] })).toBe(false);
    expect(queue.messages).toEqual([]);
  });

  it('queues the alert without delay; the notify Lambda mails the admins and queues a file.infected webhook', async () => {
    storeRecord(record({ adminRecipients: ['sec@example.com'], customerReceipt: false, webhook: { url: 'https://hooks.example.com/x', secret: SECRET, secretCreatedAt: NOW.toISOString() } }));
    const file = { endpoint: 'acme', key: 'uploads/acme/eicar.com', name: 'eicar.com', size: 68, uploadedBy: 'c@acme.example', threats: ['EICAR-Test-File'] };
    expect(await sendInfectedAlert({ queue, queueUrl: 'https://sqs/digests', now: () => NOW, newId: () => 'alert-1' }, file)).toBe(true);
    const [alert] = queue.messages.splice(0);
    expect(alert).toMatchObject({ queueUrl: 'https://sqs/digests', delaySeconds: 0, message: { kind: 'infected', id: 'msg_alert-1' } });

    const answer = await createNotifyApp(deps)(sqsEvent(alert!.message));
    expect(answer.batchItemFailures).toEqual([]);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: ['sec@example.com'], subject: expect.stringContaining('malware found in eicar.com') });
    expect(mails[0]!.text).toContain('https://portal.example.com/admin/endpoints/acme/files');
    expect(queue.messages).toEqual([
      {
        queueUrl: 'https://sqs/webhooks',
        delaySeconds: 0,
        message: { kind: 'webhook', endpoint: 'acme', body: { id: 'msg_alert-1', type: 'file.infected', timestamp: NOW.toISOString(), data: { ...file, consoleUrl: 'https://portal.example.com/admin/endpoints/acme/files' } } },
      },
    ]);
    expect(audit.map((a) => a.action)).toEqual(['notification.sent']);
  });

  const alert = { kind: 'infected', id: 'msg_1', at: NOW.toISOString(), file: { endpoint: 'acme', key: 'uploads/acme/v', name: 'v', size: null, uploadedBy: null, threats: [] } };

  it('hands the alert back to SQS when SES fails, and audits the failed attempt as one to be retried', async () => {
    storeRecord(record({ adminRecipients: ['sec@example.com'], customerReceipt: false, webhook: null }));
    deps.mailer = { send: async () => Promise.reject(new Error('Throttling')) };
    const answer = await createNotifyApp(deps)(sqsEvent(alert));
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(audit).toMatchObject([{ action: 'notification.retried', target: 'sec@example.com', details: { kind: 'infected', error: 'Throttling', attempt: 1, final: false } }]);
  });

  it('audits the failure on the alert\'s last receive as final (SQS moves it to the dead-letter queue next)', async () => {
    storeRecord(record({ adminRecipients: ['sec@example.com'], customerReceipt: false, webhook: null }));
    deps.mailer = { send: async () => Promise.reject(new Error('Throttling')) };
    const answers = [];
    for (let receive = DIGEST_MAX_RECEIVES - 1; receive <= DIGEST_MAX_RECEIVES; receive++) answers.push(await createNotifyApp(deps)(sqsEvent(alert, receive)));
    expect(answers.map((a) => a.batchItemFailures)).toEqual([[{ itemIdentifier: 'm-1' }], [{ itemIdentifier: 'm-1' }]]);
    expect(audit.map((a) => [a.action, a.details.attempt, a.details.final])).toEqual([
      ['notification.retried', DIGEST_MAX_RECEIVES - 1, false],
      ['notification.failed', DIGEST_MAX_RECEIVES, true],
    ]);
  });
});

describe('webhook attempts', () => {
  const message = { kind: 'webhook', endpoint: 'acme', body: { id: 'msg_w', type: 'files.received', timestamp: NOW.toISOString(), data: {} } };

  it('fail for good when the receiver resolves to a private address, audited without the secret', async () => {
    storeRecord(record({ adminRecipients: [], customerReceipt: false, webhook: { url: 'https://hooks.example.com/x?token=abc', secret: SECRET, secretCreatedAt: NOW.toISOString() } }));
    const answer = await createNotifyApp(deps)(sqsEvent(message));
    expect(answer.batchItemFailures).toEqual([]);
    expect(audit).toMatchObject([{ action: 'webhook.failed', target: 'https://hooks.example.com/x', details: { final: true, attempt: 1 } }]);
    expect(JSON.stringify(audit)).not.toContain('whsec_');
    expect(JSON.stringify(audit)).not.toContain('token=abc');
  });

  it('are dropped when the endpoint no longer has a webhook', async () => {
    storeRecord(record(undefined));
    expect((await createNotifyApp(deps)(sqsEvent(message))).batchItemFailures).toEqual([]);
    expect(audit).toEqual([]);
  });
});

describe('signedHeaders', () => {
  it('produce headers a Standard Webhooks receiver verifies (the README example)', () => {
    const body = { id: 'msg_1', type: 'files.received', timestamp: NOW.toISOString(), data: {} } as unknown as WebhookBody;
    const payload = JSON.stringify(body);
    const headers = signedHeaders(SECRET, body, payload, new Date());
    expect(new Webhook(SECRET).verify(payload, headers)).toEqual(body);
    expect(() => new Webhook(SECRET).verify(payload.replace('msg_1', 'msg_2'), headers)).toThrow();
  });
});
