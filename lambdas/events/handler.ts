// The events Lambda's entry point: S3's Object Created / Object Deleted events under uploads/, from an
// EventBridge rule (asynchronous invocation, one event per call). Not behind the ALB: no identity to
// verify; every event is checked instead (s3-event.ts). Dependencies are built from the environment on
// the first call, so the local portal can set it before it delivers the first event in process.
import type { Context } from 'aws-lambda';
import { parseLambdaEnv } from '../../contract/lambda-env.js';
import { createS3Client } from '../shared/aws-clients.js';
import { createCatalogDb } from '../shared/catalog/catalog-db.js';
import { createLogger } from '../shared/logger.js';
import { sqsNotificationQueue } from '../shared/notifications/notification-queue.js';
import { createEventsApp, type EventResult } from './app.js';

let app: ((event: unknown) => Promise<EventResult>) | undefined;
let logger: ReturnType<typeof createLogger> | undefined;

function build() {
  const env = parseLambdaEnv('events', process.env);
  logger = createLogger('portal-events', env);
  const digest = env.DIGEST_QUEUE_URL ? { queue: sqsNotificationQueue(env), queueUrl: env.DIGEST_QUEUE_URL, quietSeconds: env.NOTIFICATION_QUIET_SECONDS } : null;
  return createEventsApp({ s3: createS3Client(env), db: createCatalogDb(env), bucket: env.BUCKET_NAME, now: () => new Date(), logger, digest, scanMode: env.MALWARE_SCAN });
}

export async function handler(event: unknown, context?: Context): Promise<EventResult> {
  app ??= build();
  if (context) logger?.addContext(context);
  return app(event);
}
