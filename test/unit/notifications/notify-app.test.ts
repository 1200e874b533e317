// The notify Lambda with its collaborators faked: the infected-file hook's message goes from
// sendInfectedAlert through a queue into the app, which mails the admins and queues a webhook; webhook
// attempts to refused destinations fail for good; failures are audited without the secret.
import { Webhook } from 'standardwebhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { DIGEST_MAX_RECEIVES, type WebhookBody } from '../../../contract/notifications.js';
import { signedHeaders } from '../../../lambdas/notify/webhook-sender.js';
import type { EndpointRecord } from '../../../lambdas/shared/endpoint-record.js';
import { sendInfectedAlert } from '../../../lambdas/shared/notifications/infected-alert.js';
import { makeRecord } from '../../support/s3-answers.js';
import { DIGEST_QUEUE_URL, NOW, notifyWorld, sqsEvent, WEBHOOK_QUEUE_URL, type NotifyWorld } from '../../support/notify-world.js';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

const record = (notifications: EndpointRecord['notifications']): EndpointRecord => makeRecord({ logins: [], ...(notifications ? { notifications } : {}) });

let world: NotifyWorld;
beforeEach(() => {
  world = notifyWorld();
});

describe('sendInfectedAlert', () => {
  it('does nothing when notifications are off (no queue)', async () => {
    expect(await sendInfectedAlert({ queue: world.queue, queueUrl: undefined, now: () => NOW }, { endpoint: 'acme', key: 'uploads/acme/x', name: 'x', size: 1, uploadedBy: null, threats: [] })).toBe(false);
    expect(world.queue.messages).toEqual([]);
  });

  it('queues the alert without delay; the notify Lambda mails the admins and queues a file.infected webhook', async () => {
    world.storeRecord(record({ adminRecipients: ['sec@example.com'], customerReceipt: false, webhook: { url: 'https://hooks.example.com/x', secret: SECRET, secretCreatedAt: NOW.toISOString() } }));
    const file = { endpoint: 'acme', key: 'uploads/acme/eicar.com', name: 'eicar.com', size: 68, uploadedBy: 'c@acme.example', threats: ['EICAR-Test-File'] };
    expect(await sendInfectedAlert({ queue: world.queue, queueUrl: DIGEST_QUEUE_URL, now: () => NOW, newId: () => 'alert-1' }, file)).toBe(true);
    const [alert] = world.queue.messages.splice(0);
    expect(alert).toMatchObject({ queueUrl: DIGEST_QUEUE_URL, delaySeconds: 0, message: { kind: 'infected', id: 'msg_alert-1' } });

    const answer = await world.deliver(sqsEvent(alert!.message));
    expect(answer.batchItemFailures).toEqual([]);
    expect(world.mailer.sent).toHaveLength(1);
    expect(world.mailer.sent[0]).toMatchObject({ to: ['sec@example.com'], subject: expect.stringContaining('malware found in eicar.com') });
    expect(world.mailer.sent[0]!.text).toContain('https://portal.example.com/admin/endpoints/acme/files');
    expect(world.queue.messages).toEqual([
      {
        queueUrl: WEBHOOK_QUEUE_URL,
        delaySeconds: 0,
        message: { kind: 'webhook', endpoint: 'acme', body: { id: 'msg_alert-1', type: 'file.infected', timestamp: NOW.toISOString(), data: { ...file, consoleUrl: 'https://portal.example.com/admin/endpoints/acme/files' } } },
      },
    ]);
    expect(world.audit.map((a) => a.action)).toEqual(['notification.sent']);
  });

  const alert = { kind: 'infected', id: 'msg_1', at: NOW.toISOString(), file: { endpoint: 'acme', key: 'uploads/acme/v', name: 'v', size: null, uploadedBy: null, threats: [] } };

  it('hands the alert back to SQS when SES fails, and audits the failed attempt as one to be retried', async () => {
    world.storeRecord(record({ adminRecipients: ['sec@example.com'], customerReceipt: false, webhook: null }));
    world.mailer.failNext();
    const answer = await world.deliver(sqsEvent(alert));
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(world.audit).toMatchObject([{ action: 'notification.retried', target: 'sec@example.com', details: { kind: 'infected', error: 'Throttling', attempt: 1, final: false } }]);
  });

  it('audits the failure on the alert\'s last receive as final (SQS moves it to the dead-letter queue next)', async () => {
    world.storeRecord(record({ adminRecipients: ['sec@example.com'], customerReceipt: false, webhook: null }));
    world.mailer.failNext().failNext();
    const answers = [];
    for (let receive = DIGEST_MAX_RECEIVES - 1; receive <= DIGEST_MAX_RECEIVES; receive++) answers.push(await world.deliver(sqsEvent(alert, { receiveCount: receive })));
    expect(answers.map((a) => a.batchItemFailures)).toEqual([[{ itemIdentifier: 'm-1' }], [{ itemIdentifier: 'm-1' }]]);
    expect(world.audit.map((a) => [a.action, a.details.attempt, a.details.final])).toEqual([
      ['notification.retried', DIGEST_MAX_RECEIVES - 1, false],
      ['notification.failed', DIGEST_MAX_RECEIVES, true],
    ]);
  });
});

describe('webhook attempts', () => {
  const message = { kind: 'webhook', endpoint: 'acme', body: { id: 'msg_w', type: 'files.received', timestamp: NOW.toISOString(), data: {} } };

  it('fail for good when the receiver resolves to a private address, audited without the secret', async () => {
    world.storeRecord(record({ adminRecipients: [], customerReceipt: false, webhook: { url: 'https://hooks.example.com/x?token=abc', secret: SECRET, secretCreatedAt: NOW.toISOString() } }));
    const answer = await world.deliver(sqsEvent(message));
    expect(answer.batchItemFailures).toEqual([]);
    expect(world.audit).toMatchObject([{ action: 'webhook.failed', target: 'https://hooks.example.com/x', details: { final: true, attempt: 1 } }]);
    expect(JSON.stringify(world.audit)).not.toContain('whsec_');
    expect(JSON.stringify(world.audit)).not.toContain('token=abc');
  });

  it('are dropped when the endpoint no longer has a webhook', async () => {
    world.storeRecord(record(undefined));
    expect((await world.deliver(sqsEvent(message))).batchItemFailures).toEqual([]);
    expect(world.audit).toEqual([]);
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
