// The notify Lambda's entry point: SQS batches from the digest queue and the webhook queue (partial
// batch responses: only the failed messages come back). Dependencies are built from the environment
// on the first call, so the local portal can set it before it delivers the first message in process.
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { parseLambdaEnv } from '../../contract/lambda-env.js';
import { AuditWriter } from '../shared/audit-writer.js';
import { createS3Client } from '../shared/aws-clients.js';
import { createCatalogDb } from '../shared/catalog/catalog-db.js';
import { createLogger } from '../shared/logger.js';
import { sqsNotificationQueue } from '../shared/notifications/notification-queue.js';
import { createNotifyApp } from './app.js';
import { createDeliveryRecorder } from './delivery-audit.js';
import { sesMailer } from './mailer.js';

let app: ((event: SQSEvent) => Promise<SQSBatchResponse>) | undefined;
let logger: ReturnType<typeof createLogger> | undefined;

function build() {
  const env = parseLambdaEnv('notify', process.env);
  logger = createLogger('portal-notify', env);
  const s3 = createS3Client(env);
  const now = () => new Date();
  return createNotifyApp({
    s3,
    bucket: env.BUCKET_NAME,
    db: createCatalogDb(env),
    queue: sqsNotificationQueue(env),
    digestQueueUrl: env.DIGEST_QUEUE_URL,
    webhookQueueUrl: env.WEBHOOK_QUEUE_URL,
    mailer: env.NOTIFICATION_SENDER ? sesMailer({ ...env, NOTIFICATION_SENDER: env.NOTIFICATION_SENDER }) : null,
    portalUrl: env.PORTAL_URL,
    quietSeconds: env.NOTIFICATION_QUIET_SECONDS,
    webhook: { allowLoopbackHttp: env.WEBHOOK_ALLOW_LOOPBACK_HTTP },
    record: createDeliveryRecorder(new AuditWriter(s3, env.BUCKET_NAME, logger), logger, now),
    logger,
    now,
  });
}

export async function handler(event: SQSEvent, context?: Context): Promise<SQSBatchResponse> {
  app ??= build();
  if (context) logger?.addContext(context);
  return app(event);
}
