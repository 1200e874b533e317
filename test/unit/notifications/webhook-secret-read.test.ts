// The notify Lambda signs with the secret the endpoint record names by id, read from its own object
// (which the uploads Lambda may not read); a record written before still carries it inline.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { endpointRecordKey, webhookSecretKey } from '../../../contract/bucket-layout.js';
import { readWebhookSecret } from '../../../lambdas/shared/notifications/webhook-secret-store.js';
import { makeRecord, noSuchKey, objectBody } from '../../support/s3-answers.js';
import { NOW, notifyWorld, sqsEvent } from '../../support/notify-world.js';

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const SECRET_ID = '6c1f7a52-8d0e-4b8a-9f31-2a4c5e6d7f80';
const webhook = { url: 'https://hooks.example.com/x', secretId: SECRET_ID, secretCreatedAt: NOW.toISOString() };

function bucket(objects: Record<string, string>): S3Client {
  const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  mockClient(s3)
    .on(GetObjectCommand)
    .callsFake((input: { Key: string }) => {
      const body = objects[input.Key];
      if (body === undefined) throw noSuchKey();
      return objectBody(body);
    });
  return s3;
}

describe('readWebhookSecret', () => {
  it('reads the secret the record names from its own object', async () => {
    const s3 = bucket({ [webhookSecretKey('acme', SECRET_ID)]: JSON.stringify({ secret: SECRET, createdAt: NOW.toISOString() }) });
    expect(await readWebhookSecret(s3, 'bucket', 'acme', webhook)).toBe(SECRET);
  });

  it('takes the inline secret of a record written before, and answers null for a secret that is gone', async () => {
    const s3 = bucket({});
    expect(await readWebhookSecret(s3, 'bucket', 'acme', { url: webhook.url, secret: SECRET, secretCreatedAt: webhook.secretCreatedAt })).toBe(SECRET);
    expect(await readWebhookSecret(s3, 'bucket', 'acme', webhook)).toBeNull();
  });
});

describe('the notify Lambda', () => {
  const message = { kind: 'webhook', endpoint: 'acme', body: { id: 'msg_w', type: 'files.received', timestamp: NOW.toISOString(), data: {} } };
  const record = JSON.stringify(makeRecord({ notifications: { adminRecipients: [], customerReceipt: false, webhook } }));
  const unresolved = { allowLoopbackHttp: false, resolve: async () => Promise.reject(new Error('getaddrinfo ENOTFOUND hooks.example.com')) };

  it('attempts the delivery with the secret from its object', async () => {
    const world = notifyWorld({ s3: bucket({ [endpointRecordKey('acme')]: record, [webhookSecretKey('acme', SECRET_ID)]: JSON.stringify({ secret: SECRET, createdAt: NOW.toISOString() }) }), webhook: unresolved });
    await world.deliver(sqsEvent(message));
    expect(world.audit).toMatchObject([{ action: 'webhook.retried', details: { reason: 'getaddrinfo ENOTFOUND hooks.example.com' } }]);
  });

  it('fails the delivery for good when the secret the record names is gone', async () => {
    const world = notifyWorld({ s3: bucket({ [endpointRecordKey('acme')]: record }), webhook: unresolved });
    expect((await world.deliver(sqsEvent(message))).batchItemFailures).toEqual([]);
    expect(world.audit).toMatchObject([{ action: 'webhook.failed', details: { reason: 'the signing secret is missing', final: true } }]);
  });
});
