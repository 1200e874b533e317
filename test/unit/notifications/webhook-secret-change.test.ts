// A webhook URL that moves to another receiver (another origin) gets a new signing secret, answered
// once and audited as a rotation: with the old secret, the old receiver could sign events that the new
// one would take for the portal's. The same receiver under another path or query keeps its secret.
import { describe, expect, it } from 'vitest';
import { changeNotifications } from '../../../lambdas/admin/endpoint-notifications.js';
import type { EndpointRecord } from '../../../lambdas/shared/endpoint-record.js';
import { auditEvents, CONTEXT, existingRecord, makeRecord, NOW, recordWrites, useCaseHarness, type UseCaseHarness } from '../admin/harness.js';

const OLD_SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const OLD_URL = 'https://hooks.example.com/in?token=a';

function withWebhook(): UseCaseHarness {
  const h = useCaseHarness();
  existingRecord(h, makeRecord({ notifications: { adminRecipients: [], customerReceipt: false, webhook: { url: OLD_URL, secret: OLD_SECRET, secretCreatedAt: '2026-11-01T00:00:00.000Z' } } }));
  return h;
}
const stored = (h: UseCaseHarness) => (JSON.parse(recordWrites(h).at(-1)!.Body as string) as EndpointRecord).notifications!.webhook!;

describe('changing the webhook URL', () => {
  it.each([
    ['another host', 'https://other.example.net/in'],
    ['another port', 'https://hooks.example.com:8443/in?token=a'],
  ])('to %s mints a new secret, answers it once, stores it and audits the rotation', async (_what, url) => {
    const h = withWebhook();
    const result = await changeNotifications(h.services, CONTEXT, 'acme', { webhookUrl: url });
    expect(result.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(result.webhookSecret).not.toBe(OLD_SECRET);
    expect(stored(h)).toEqual({ url, secret: result.webhookSecret, secretCreatedAt: NOW.toISOString() });
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
    expect(stored(h)).toEqual({ url: 'https://hooks.example.com/v2/in?token=b', secret: OLD_SECRET, secretCreatedAt: '2026-11-01T00:00:00.000Z' });
    expect((auditEvents(h) as { action: string }[]).map((e) => e.action)).toEqual(['notifications.updated']);
  });
});
