// S3 events, shaped as S3 sends them to EventBridge: recorded when a change commits, handed to the server's onEvent
// listener only after the request is over, so a slow or failing listener never delays or fails an S3 response.
import { randomUUID } from 'node:crypto';
import { S3_EVENT_SOURCE, type S3EventBridgeEvent, type S3EventDetail, type S3EventDetailType, type S3EventObject } from '../../contract/s3-events.js';
import type { Bucket, Ctx, Env } from './context.js';
import type { ObjectMeta } from './object-store.js';

/** S3 reports etags in events without their quotes. */
export function eventObject(meta: ObjectMeta, sequencer: string, withSize: boolean): S3EventObject {
  return { key: meta.key, ...(withSize ? { size: meta.size } : {}), etag: meta.etag.replace(/"/g, ''), sequencer };
}

function sourceIp(ctx: Ctx): string | undefined {
  const address = ctx.req.socket.remoteAddress;
  return address?.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

/** Records the event of a change that has just committed. */
export function recordEvent(
  ctx: Ctx,
  env: Env,
  bucket: Bucket,
  detailType: S3EventDetailType,
  object: S3EventObject,
  extra: Pick<S3EventDetail, 'reason' | 'deletion-type'> = {},
): void {
  if (!env.onEvent) return;
  const accessKeyId = ctx.auth?.accessKeyId;
  const ip = sourceIp(ctx);
  ctx.events.push({
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: S3_EVENT_SOURCE,
    account: env.accountId,
    // EventBridge times have whole seconds.
    time: env.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: env.region,
    resources: [`arn:aws:s3:::${bucket.name}`],
    detail: {
      version: '0',
      bucket: { name: bucket.name },
      object,
      'request-id': ctx.requestId,
      requester: (accessKeyId !== undefined ? env.accounts.get(accessKeyId) : undefined) ?? env.accountId,
      ...(ip !== undefined ? { 'source-ip-address': ip } : {}),
      ...extra,
    },
  });
}

function logFailure(error: unknown): void {
  console.error('[local-s3] onEvent listener failed:', error);
}

/**
 * Hands a finished request's events to the listener on a later turn of the event loop. Delivery is best effort and
 * once; retries and duplicates are the listener's business, as with EventBridge.
 */
export function deliverEvents(env: Env, events: readonly S3EventBridgeEvent[]): void {
  const listener = env.onEvent;
  if (!listener || events.length === 0) return;
  setImmediate(() => {
    for (const event of events) {
      try {
        // Typed as returning nothing, but an async listener's rejection must not become an unhandled one.
        const result: unknown = listener(event);
        if (result instanceof Promise) result.catch(logFailure);
      } catch (error) {
        logFailure(error);
      }
    }
  });
}
