// The webhook attempt's deadline covers the name's lookup: a resolver that never answers must not hold
// the attempt (and the notify Lambda's batch) beyond WEBHOOK_TIMEOUT_MS. The resolver is the sender's
// injection seam, so no lookup leaves this process.
import { describe, expect, it } from 'vitest';
import { attemptWebhook } from '../../../lambdas/notify/webhook-sender.js';
import { safePost } from '../../../lambdas/notify/safe-post.js';
import type { WebhookBody } from '../../../contract/notifications.js';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const BODY = { id: 'msg_1', type: 'files.received', timestamp: '2026-12-04T12:00:00.000Z', data: {} } as unknown as WebhookBody;
const silentResolver = () => new Promise<{ address: string; family: number }[]>(() => undefined);

describe('the attempt deadline', () => {
  it('ends an attempt whose resolver never answers', async () => {
    const started = Date.now();
    await expect(safePost(new URL('https://hooks.example.com/x'), '{}', {}, { allowLoopbackHttp: false, timeoutMs: 100, maxBytes: 1024, resolve: silentResolver })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('makes it a timed-out attempt to be retried', async () => {
    const result = await attemptWebhook('https://hooks.example.com/x', SECRET, BODY, new Date(), { allowLoopbackHttp: false, timeoutMs: 100, resolve: silentResolver });
    expect(result).toEqual({ outcome: 'retry', status: null, reason: 'timed out' });
  });

  it('still checks the addresses of a lookup that answers in time', async () => {
    const slowPrivate = () => new Promise<{ address: string; family: number }[]>((resolve) => setTimeout(() => resolve([{ address: '10.0.0.1', family: 4 }]), 30));
    await expect(safePost(new URL('https://hooks.example.com/x'), '{}', {}, { allowLoopbackHttp: false, timeoutMs: 1000, maxBytes: 1024, resolve: slowPrivate })).rejects.toMatchObject({ name: 'RefusedDestinationError' });
  });
});
