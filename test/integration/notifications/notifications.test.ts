// Notifications in the local portal, end to end through the real handlers: uploads through the API (or
// objects written to the bucket) -> S3 events -> the events Lambda -> pending digest + delayed check (the
// SQS stand-in) -> the notify Lambda -> aws-ses-v2-local and a webhook receiver in this test, which checks
// each signature with the standardwebhooks library.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginCredentials, NotificationSettings, NotificationSettingsResult } from '../../../contract/api/admin.js';
import type { WebhookBody } from '../../../contract/notifications.js';
import { buildObjectMetadata } from '../../../lambdas/shared/object-metadata.js';
import { sendInfectedAlert } from '../../../lambdas/shared/notifications/infected-alert.js';
import { sqsNotificationQueue } from '../../../lambdas/shared/notifications/notification-queue.js';
import { readMailbox, type StoredEmail } from '../../../local/notify/ses-server.js';
import { auditTrail } from '../../support/audit.js';
import { startTestPortal, type TestPortal } from '../../support/local-portal.js';
import { CompanionClient, PortalApi, bucketClient, createEndpoint, signedInAdmin, signedInCustomer } from '../../support/portal-api.js';
import { startWebhookReceiver } from '../../support/webhook-receiver.js';

// Longer than the widest gap between two arrivals of the 200-file burst on a loaded 2-core machine
// (the uploads go ten at a time), or that burst would rightly be two digests.
const QUIET_SECONDS = 6;
let portal: TestPortal;
let admin: PortalApi;
let s3: S3Client;

async function waitFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const mailsFor = async (endpoint: string): Promise<StoredEmail[]> => (await readMailbox(portal.notifications.sesUrl)).filter((m) => m.subject.includes(endpoint));

async function putFile(key: string, body: Buffer, uploadedBy: string): Promise<void> {
  const name = key.slice(key.lastIndexOf('/') + 1);
  await s3.send(new PutObjectCommand({ Bucket: portal.bucket, Key: key, Body: body, Metadata: buildObjectMetadata({ originalName: name, uploadedBy, declaredSize: body.length }, name) }));
}

async function newEndpoint(name: string): Promise<void> {
  await createEndpoint(admin, { name, customerEmail: `${name}@customer.example` });
}

beforeAll(async () => {
  portal = await startTestPortal({ notificationQuietSeconds: QUIET_SECONDS, webhookRetryScale: 0.02 });
  admin = await signedInAdmin(portal);
  s3 = bucketClient(portal);
}, 120_000);
afterAll(async () => {
  s3?.destroy();
  await portal?.stop();
});

describe('notification settings (admin API)', () => {
  it('validates, stores and audits recipients; answers a new webhook secret once and never again', async () => {
    await newEndpoint('settings-a');
    const path = '/admin/api/endpoints/settings-a/notifications';
    expect((await admin.call('PATCH', path, { adminRecipients: ['not-an-address'] })).body).toMatchObject({ error: { code: 'invalid_recipients' } });
    expect((await admin.call('PATCH', path, { adminRecipients: 'ops@example.com' })).status).toBe(400);
    expect((await admin.call('PATCH', path, { colour: 'blue' })).body).toMatchObject({ error: { code: 'unknown_field' } });
    expect((await admin.call('PATCH', path, {})).body).toMatchObject({ error: { code: 'nothing_to_change' } });

    const set = await admin.call<NotificationSettingsResult>('PATCH', path, { adminRecipients: ['Ops@Example.com'], customerReceipt: true, webhookUrl: 'http://127.0.0.1:9/hook' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ adminRecipients: ['ops@example.com'], customerReceipt: true, webhook: { url: 'http://127.0.0.1:9/hook' }, emailEnabled: true });
    expect(set.body.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const shown = await admin.get<NotificationSettings>(path);
    expect(JSON.stringify(shown.body)).not.toContain('whsec_');
    expect(JSON.stringify(await admin.get('/admin/api/endpoints/settings-a'))).not.toContain('whsec_');

    const rotated = await admin.call<NotificationSettingsResult>('POST', `${path}/webhook-secret`, {});
    expect(rotated.body.webhookSecret).toMatch(/^whsec_/);
    expect(rotated.body.webhookSecret).not.toBe(set.body.webhookSecret);
    const events = await auditTrail(admin, { endpoint: 'settings-a' });
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['notifications.updated', 'notifications.secret_rotated']));
    expect(JSON.stringify(events)).not.toContain('whsec_');

    await admin.call('PATCH', path, { webhookUrl: null });
    expect((await admin.call('POST', `${path}/webhook-secret`, {})).body).toMatchObject({ error: { code: 'no_webhook' } });
  });

  it('refuses webhook URLs on private, link-local and metadata addresses, and with credentials', async () => {
    await newEndpoint('settings-b');
    const path = '/admin/api/endpoints/settings-b/notifications';
    for (const url of ['http://10.0.0.5/hook', 'https://192.168.1.1/', 'http://169.254.169.254/latest/meta-data/', 'https://[fd00::1]/x', 'https://100.64.0.1/', 'http://0.0.0.0/', 'https://user:pw@hooks.example.com/', 'ftp://hooks.example.com/']) {
      const answer = await admin.call('PATCH', path, { webhookUrl: url });
      expect({ url, code: answer.body.error?.code }).toEqual({ url, code: 'invalid_webhook_url' });
    }
  });
});

describe('digests', () => {
  it('turns a 200-file folder sent through the uploads API into one e-mail with the count and the total size', async () => {
    const created = await createEndpoint(admin, { name: 'burst', customerEmail: 'customer@burst.example' });
    await admin.call('PATCH', '/admin/api/endpoints/burst/notifications', { adminRecipients: ['ops@example.com'] });
    const customer = new CompanionClient(await signedInCustomer(portal, created.login));
    // As the page sends a dropped folder of small files: a presigned PUT each (GET /api/s3/params through
    // the gateway and the uploads Lambda, then the PUT to S3), a few at a time.
    let total = 0;
    const started = Date.now();
    for (let first = 0; first < 200; first += 10) {
      const sent = await Promise.all(
        Array.from({ length: 10 }, (_, j) => {
          const name = `file-${String(first + j).padStart(3, '0')}.txt`;
          const body = Buffer.alloc(100 + first + j, 'x');
          total += body.length;
          return customer.uploadSmall(name, body, { relativePath: `folder/${name}` });
        }),
      );
      expect(sent.map((s) => s.status)).toEqual(Array(10).fill(200));
    }
    // The arrivals must come closer together than the quiet period, or the burst is rightly two digests.
    const sending = Date.now() - started;
    await portal.events.idle();
    const [mail] = await waitFor('the digest e-mail', async () => {
      const mails = await mailsFor('burst');
      return mails.length ? mails : undefined;
    });
    // The later checks of the same burst (every one queued) must not send a second one.
    await waitFor('every queued digest check', async () => (portal.notifications.queues.pending === 0 ? true : undefined), 60_000);
    expect(await mailsFor('burst'), `200 uploads took ${sending} ms`).toHaveLength(1);
    expect(mail!.destination.to).toEqual(['ops@example.com']);
    expect(mail!.subject).toContain('200 files');
    expect(mail!.body.text).toContain(`${total} bytes`);
    expect(mail!.body.text).toContain(`Uploaded by: ${created.login.email}`);
    expect(mail!.body.text).toContain('file-000.txt');
    expect(mail!.body.text).toContain('and 180 more files');
    expect(mail!.body.text).toContain('/admin/endpoints/burst/files');
    expect((await auditTrail(admin, { endpoint: 'burst' })).filter((e) => e.action === 'notification.sent')).toHaveLength(1);
    // About 50 s here: the catalog's and the digest's writes to dynalite dominate, not the uploads.
  }, 180_000);
});

describe('receipts', () => {
  it('go to each of two customers who upload in one digest window, naming only their own files', async () => {
    const created = await createEndpoint(admin, { name: 'two-customers', customerEmail: 'ann@two.example' });
    await admin.call('PATCH', '/admin/api/endpoints/two-customers/notifications', { adminRecipients: ['ops@example.com'], customerReceipt: true });
    const added = await admin.call<LoginCredentials>('POST', '/admin/api/endpoints/two-customers/logins', { email: 'ben@two.example' });
    expect(added.status).toBe(201);
    const ann = new CompanionClient(await signedInCustomer(portal, created.login));
    const ben = new CompanionClient(await signedInCustomer(portal, added.body));
    await ann.uploadSmall('ann-contract.pdf', Buffer.from('ann one'));
    await ben.uploadSmall('ben-invoice.pdf', Buffer.from('ben one, longer'));
    await ann.uploadSmall('ann-annex.pdf', Buffer.from('ann two'));
    await portal.events.idle();
    const to = async (address: string) => (await readMailbox(portal.notifications.sesUrl)).filter((m) => m.destination.to.includes(address));
    const receipts = await waitFor('both receipts', async () => {
      const [toAnn, toBen] = [await to(created.login.email), await to(added.body.email)];
      return toAnn.length && toBen.length ? { toAnn, toBen } : undefined;
    });
    expect(receipts.toAnn).toHaveLength(1);
    expect(receipts.toBen).toHaveLength(1);
    const [annReceipt, benReceipt] = [receipts.toAnn[0]!, receipts.toBen[0]!];
    expect(annReceipt.destination.to).toEqual([created.login.email]);
    expect(annReceipt.subject).toContain('2 files received (14 bytes)');
    expect(annReceipt.body.text).toContain('ann-contract.pdf');
    expect(annReceipt.body.text).toContain('ann-annex.pdf');
    expect(annReceipt.body.text).not.toContain('ben');
    expect(benReceipt.destination.to).toEqual([added.body.email]);
    expect(benReceipt.subject).toContain('1 file received (15 bytes)');
    expect(benReceipt.body.text).toContain('ben-invoice.pdf');
    expect(benReceipt.body.text).not.toContain('ann');
    const [digest] = await mailsFor('two-customers');
    expect(digest!.body.text).toContain('3 files');
  }, 60_000);
});

describe('webhooks', () => {
  it('signs with Standard Webhooks, and retries after a 500 until the receiver takes it', async () => {
    const receiver = await startWebhookReceiver({ '/hook': [500] });
    try {
      await newEndpoint('hooked');
      const set = await admin.call<NotificationSettingsResult>('PATCH', '/admin/api/endpoints/hooked/notifications', { webhookUrl: `${receiver.url}/hook` });
      const secret = set.body.webhookSecret!;
      await putFile('uploads/hooked/report.pdf', Buffer.from('%PDF-1.7 test'), 'customer@hooked.example');
      await waitFor('two attempts', async () => (receiver.deliveries.length >= 2 ? true : undefined));
      const [first, second] = receiver.deliveries;
      expect(first!.headers['webhook-id']).toBe(second!.headers['webhook-id']);
      const verifier = new Webhook(secret);
      const body = verifier.verify(second!.body, second!.headers) as WebhookBody<'files.received'>;
      expect(body).toMatchObject({ type: 'files.received', data: { endpoint: 'hooked', fileCount: 1, totalBytes: 13, uploaders: ['customer@hooked.example'] } });
      expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(second!.body, second!.headers)).toThrow();
      const actions = await waitFor('the audit of both attempts', async () => {
        const found = (await auditTrail(admin, { endpoint: 'hooked' })).map((e) => e.action);
        return found.includes('webhook.sent') ? found : undefined;
      });
      expect(actions).toEqual(expect.arrayContaining(['webhook.retried', 'webhook.sent']));
    } finally {
      await receiver.close();
    }
  }, 60_000);

  it('does not follow a redirect: the attempt fails for good and is audited', async () => {
    const receiver = await startWebhookReceiver({ '/moved': [302] });
    try {
      await newEndpoint('redirected');
      await admin.call('PATCH', '/admin/api/endpoints/redirected/notifications', { webhookUrl: `${receiver.url}/moved` });
      await putFile('uploads/redirected/a.txt', Buffer.from('a'), 'customer@redirected.example');
      const failed = await waitFor('the failed attempt', async () => (await auditTrail(admin, { endpoint: 'redirected' })).find((e) => e.action === 'webhook.failed'));
      expect(failed.details).toMatchObject({ status: 302, final: true });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(receiver.deliveries.map((d) => d.path)).toEqual(['/moved']);
    } finally {
      await receiver.close();
    }
  }, 60_000);
});

describe('sendInfectedAlert', () => {
  it('e-mails the admins at once and sends a file.infected webhook', async () => {
    const receiver = await startWebhookReceiver({});
    try {
      await newEndpoint('infected');
      const set = await admin.call<NotificationSettingsResult>('PATCH', '/admin/api/endpoints/infected/notifications', { adminRecipients: ['security@example.com'], webhookUrl: `${receiver.url}/alerts` });
      const queued = await sendInfectedAlert(
        { queue: sqsNotificationQueue({ SQS_ENDPOINT: portal.env.SQS_ENDPOINT }), queueUrl: portal.env.DIGEST_QUEUE_URL, now: () => new Date() },
        { endpoint: 'infected', key: 'uploads/infected/eicar.com', name: 'eicar.com', size: 68, uploadedBy: 'customer@infected.example', threats: ['EICAR-Test-File'] },
      );
      expect(queued).toBe(true);
      const [mail] = await waitFor('the alert', async () => {
        const mails = await mailsFor('infected');
        return mails.length ? mails : undefined;
      }, 10_000);
      expect(mail!.subject).toContain('malware found in eicar.com');
      expect(mail!.body.text).toContain('EICAR-Test-File');
      await waitFor('the webhook', async () => (receiver.deliveries.length ? true : undefined), 10_000);
      const body = new Webhook(set.body.webhookSecret!).verify(receiver.deliveries[0]!.body, receiver.deliveries[0]!.headers) as WebhookBody<'file.infected'>;
      expect(body).toMatchObject({ type: 'file.infected', data: { key: 'uploads/infected/eicar.com', threats: ['EICAR-Test-File'] } });
    } finally {
      await receiver.close();
    }
  }, 30_000);
});
