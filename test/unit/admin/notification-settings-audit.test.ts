// Changing an endpoint's notification settings is audited with the webhook's receiver only: a token in
// the URL's query or a user and password in it never reach the audit trail, nor the log that carries
// every audit event.
import { PutObjectCommand, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { changeNotifications } from '../../../lambdas/admin/endpoint-notifications.js';
import { receiverOf } from '../../../lambdas/shared/notifications/webhook-address.js';
import { CONTEXT, existingRecord, inputsOf, makeRecord, NOW, useCaseHarness, type UseCaseHarness } from './harness.js';

const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
/** An older URL, stored before the API refused credentials in it (or written by hand). */
const OLD_URL = 'https://old-user:old-pass@hooks.example.com/old?token=old-secret';
/** parseNotificationChanges refuses credentials; the use case must not rely on that alone. */
const NEW_URL = 'https://user:pass@hooks.example.com:8443/in?token=secret&x=1';

function existing(h: UseCaseHarness, url: string | null) {
  const notifications = { adminRecipients: [], customerReceipt: false, webhook: url ? { url, secret: SECRET, secretCreatedAt: NOW.toISOString() } : null };
  existingRecord(h, makeRecord({ notifications }));
}

const auditBodies = (h: UseCaseHarness) =>
  inputsOf<PutObjectCommandInput>(h.s3Mock, PutObjectCommand)
    .filter((p) => p.Key!.startsWith('_portal/audit/'))
    .map((p) => p.Body as string);
const logged = (h: UseCaseHarness) => JSON.stringify([h.logger.info.mock.calls, h.logger.warn.mock.calls, h.logger.error.mock.calls]);

const SECRETS = ['token=', 'secret&', 'old-secret', 'user:pass', 'pass@', 'old-user', 'old-pass', SECRET];

describe('receiverOf', () => {
  it('keeps scheme, host, port and path; drops user, password, query and fragment', () => {
    expect(receiverOf(NEW_URL)).toBe('https://hooks.example.com:8443/in');
    expect(receiverOf('http://127.0.0.1:9/hook#frag')).toBe('http://127.0.0.1:9/hook');
  });
});

describe('changeNotifications audit', () => {
  it('names a new webhook by its receiver: no query, user or password in the stored event or the log', async () => {
    const h = useCaseHarness();
    existing(h, null);
    const result = await changeNotifications(h.services, CONTEXT, 'acme', { webhookUrl: NEW_URL });
    expect(result.webhook?.url).toBe(NEW_URL);
    const events = auditBodies(h).map((b) => JSON.parse(b) as { action: string; details: unknown });
    expect(events.filter((e) => e.action === 'notifications.updated').map((e) => e.details)).toContainEqual({ changes: { webhookUrl: { from: null, to: 'https://hooks.example.com:8443/in' } } });
    expect(h.logger.info).toHaveBeenCalledWith('audit', expect.objectContaining({ audit: expect.objectContaining({ action: 'notifications.updated' }) }));
    for (const text of [...auditBodies(h), logged(h)]) for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  it('names the old and the new receiver when the URL changes, and the old one when it is removed', async () => {
    const h = useCaseHarness();
    existing(h, OLD_URL);
    await changeNotifications(h.services, CONTEXT, 'acme', { webhookUrl: NEW_URL });
    const h2 = useCaseHarness();
    existing(h2, OLD_URL);
    await changeNotifications(h2.services, CONTEXT, 'acme', { webhookUrl: null });
    const details = [...auditBodies(h), ...auditBodies(h2)].map((b) => (JSON.parse(b) as { details: unknown }).details);
    expect(details).toContainEqual({ changes: { webhookUrl: { from: 'https://hooks.example.com/old', to: 'https://hooks.example.com:8443/in' } } });
    expect(details).toContainEqual({ changes: { webhookUrl: { from: 'https://hooks.example.com/old', to: null } } });
    for (const text of [...auditBodies(h), ...auditBodies(h2), logged(h), logged(h2)]) for (const secret of SECRETS) expect(text).not.toContain(secret);
  });
});
