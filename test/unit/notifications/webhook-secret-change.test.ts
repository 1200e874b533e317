// A webhook URL that moves to another receiver (another origin) gets a new signing secret, answered
// once and audited as a rotation: with the old secret, the old receiver could sign events that the new
// one would take for the portal's. The same receiver under another path or query keeps its secret.
import { describe, expect, it } from 'vitest';
import { changeNotifications, rotateWebhookSecret } from '../../../lambdas/admin/endpoint-notifications.js';
import type { EndpointRecord } from '../../../lambdas/shared/endpoint-record.js';
import { DeleteObjectCommand, PutObjectCommand, type DeleteObjectCommandInput, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { WEBHOOK_SECRETS_PREFIX, webhookSecretKey } from '../../../contract/bucket-layout.js';
import { auditEvents, CONTEXT, existingRecord, inputsOf, makeRecord, NOW, recordWrites, useCaseHarness, type UseCaseHarness } from '../admin/harness.js';

const OLD_SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const OLD_URL = 'https://hooks.example.com/in?token=a';

function withWebhook(): UseCaseHarness {
  const h = useCaseHarness();
  existingRecord(h, makeRecord({ notifications: { adminRecipients: [], customerReceipt: false, webhook: { url: OLD_URL, secret: OLD_SECRET, secretCreatedAt: '2026-11-01T00:00:00.000Z' } } }));
  return h;
}
const stored = (h: UseCaseHarness) => (JSON.parse(recordWrites(h).at(-1)!.Body as string) as EndpointRecord).notifications!.webhook!;
/** The secret objects written, by key. */
const secretWrites = (h: UseCaseHarness) =>
  Object.fromEntries(inputsOf<PutObjectCommandInput>(h.s3Mock, PutObjectCommand).filter((p) => p.Key!.startsWith(WEBHOOK_SECRETS_PREFIX)).map((p) => [p.Key!, JSON.parse(p.Body as string) as { secret: string }]));

describe('changing the webhook URL', () => {
  it.each([
    ['another host', 'https://other.example.net/in'],
    ['another port', 'https://hooks.example.com:8443/in?token=a'],
  ])('to %s mints a new secret, answers it once, stores it and audits the rotation', async (_what, url) => {
    const h = withWebhook();
    const result = await changeNotifications(h.services, CONTEXT, 'acme', { webhookUrl: url });
    expect(result.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(result.webhookSecret).not.toBe(OLD_SECRET);
    const webhook = stored(h);
    expect(webhook).toEqual({ url, secretId: expect.any(String), secretCreatedAt: NOW.toISOString() });
    expect(secretWrites(h)[webhookSecretKey('acme', webhook.secretId!)]).toMatchObject({ secret: result.webhookSecret });
    expect(result.webhook).toEqual({ url, secretCreatedAt: NOW.toISOString() });
    const events = auditEvents(h) as { action: string; details: Record<string, unknown> }[];
    expect(events.map((e) => e.action)).toEqual(['notifications.updated', 'notifications.secret_rotated']);
    expect(events[1]!.details).toEqual({ reason: 'webhook receiver changed' });
    expect(JSON.stringify(events)).not.toContain(result.webhookSecret!);
  });

  it('to another path or query of the same receiver keeps the secret, and answers none', async () => {
    const h = withWebhook();
    const result = await changeNotifications(h.services, CONTEXT, 'acme', { webhookUrl: 'https://hooks.example.com/v2/in?token=b' });
    expect(result.webhookSecret).toBeNull();
    // The record written before held the secret inline: saving it moves the same secret into its own object.
    const webhook = stored(h);
    expect(webhook).toEqual({ url: 'https://hooks.example.com/v2/in?token=b', secretId: expect.any(String), secretCreatedAt: '2026-11-01T00:00:00.000Z' });
    expect(secretWrites(h)).toEqual({ [webhookSecretKey('acme', webhook.secretId!)]: { secret: OLD_SECRET, createdAt: '2026-11-01T00:00:00.000Z' } });
    expect((auditEvents(h) as { action: string }[]).map((e) => e.action)).toEqual(['notifications.updated']);
  });
});

describe('signing secrets out of the endpoint record', () => {
  it('are never written into the record, which the uploads Lambda reads; a rotation retires the old secret\'s object', async () => {
    const h = useCaseHarness();
    existingRecord(h, makeRecord({ notifications: { adminRecipients: [], customerReceipt: false, webhook: null } }));
    const created = await changeNotifications(h.services, CONTEXT, 'acme', { webhookUrl: 'https://hooks.example.com/in' });
    const first = stored(h).secretId!;
    for (const write of recordWrites(h)) expect(write.Body as string).not.toContain(created.webhookSecret!);
    // The record now names the secret by id; the next use case reads it as stored.
    existingRecord(h, JSON.parse(recordWrites(h).at(-1)!.Body as string) as EndpointRecord);
    const rotated = await rotateWebhookSecret(h.services, CONTEXT, 'acme');
    const second = stored(h).secretId!;
    expect(second).not.toBe(first);
    expect(secretWrites(h)[webhookSecretKey('acme', second)]).toMatchObject({ secret: rotated.webhookSecret });
    for (const write of recordWrites(h)) expect(write.Body as string).not.toMatch(/whsec_/);
    expect(inputsOf<DeleteObjectCommandInput>(h.s3Mock, DeleteObjectCommand).map((d) => d.Key)).toEqual([webhookSecretKey('acme', first)]);
  });
});
