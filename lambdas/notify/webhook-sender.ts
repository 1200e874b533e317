// One webhook attempt: the body signed with the endpoint's current secret (Standard Webhooks headers:
// webhook-id, webhook-timestamp, webhook-signature, via the standardwebhooks library), posted through
// safePost. The answer is classified: 2xx delivered; a refused destination or a redirect (never
// followed) fails for good; anything else (5xx, 4xx, timeouts, connection errors) is retried later.
import { Webhook } from 'standardwebhooks';
import { WEBHOOK_RESPONSE_MAX_BYTES, WEBHOOK_TIMEOUT_MS, type WebhookBody } from '../../contract/notifications.js';
import type { WebhookAddressPolicy } from '../shared/notifications/webhook-address.js';
import { RefusedDestinationError, safePost, type SafePostOptions } from './safe-post.js';

export type AttemptResult = { outcome: 'delivered'; status: number } | { outcome: 'retry'; status: number | null; reason: string } | { outcome: 'refused'; status: number | null; reason: string };

export interface WebhookSenderOptions extends WebhookAddressPolicy {
  /** @default WEBHOOK_TIMEOUT_MS */
  timeoutMs?: number;
  resolve?: SafePostOptions['resolve'];
}

/** The signed request's headers for `payload` (exported for the README example's test). */
export function signedHeaders(secret: string, body: WebhookBody, payload: string, at: Date): Record<string, string> {
  const signature = new Webhook(secret).sign(body.id, at, payload);
  return {
    'content-type': 'application/json',
    'user-agent': 'upload-portal-webhooks/1',
    'webhook-id': body.id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  };
}

export async function attemptWebhook(url: string, secret: string, body: WebhookBody, at: Date, options: WebhookSenderOptions): Promise<AttemptResult> {
  const payload = JSON.stringify(body);
  try {
    const answer = await safePost(new URL(url), payload, signedHeaders(secret, body, payload, at), {
      allowLoopbackHttp: options.allowLoopbackHttp,
      timeoutMs: options.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
      maxBytes: WEBHOOK_RESPONSE_MAX_BYTES,
      ...(options.resolve ? { resolve: options.resolve } : {}),
    });
    if (answer.status >= 200 && answer.status < 300) return { outcome: 'delivered', status: answer.status };
    if (answer.status >= 300 && answer.status < 400) return { outcome: 'refused', status: answer.status, reason: 'the receiver answered a redirect, which is not followed' };
    return { outcome: 'retry', status: answer.status, reason: `the receiver answered ${answer.status}` };
  } catch (error) {
    if (error instanceof RefusedDestinationError) return { outcome: 'refused', status: null, reason: error.message };
    return { outcome: 'retry', status: null, reason: (error as Error).name === 'AbortError' || (error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message };
  }
}
