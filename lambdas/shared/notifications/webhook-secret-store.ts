// Webhook signing secrets in their own objects under WEBHOOK_SECRETS_PREFIX, which only the admin and
// notify Lambdas may read: the endpoint record, which the customer-facing uploads Lambda reads too,
// names a secret by its id only. Records written before keep the secret inline (`secret`); it is read
// from there until the admin API next changes the webhook, which moves it into its own object.
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { webhookSecretKey } from '../../../contract/bucket-layout.js';
import { isMissingReservedObject } from '../missing-object.js';
import type { StoredWebhook } from './notification-settings.js';

interface SecretObject {
  secret: string;
  createdAt: string;
}

/** Stores `secret` under a new id (never overwritten: a rotation makes a new object) and answers the id. */
export async function putWebhookSecret(s3: S3Client, bucket: string, endpoint: string, secret: string, createdAt: string): Promise<string> {
  const secretId = randomUUID();
  const body: SecretObject = { secret, createdAt };
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: webhookSecretKey(endpoint, secretId), Body: JSON.stringify(body), ContentType: 'application/json', IfNoneMatch: '*' }));
  return secretId;
}

/** The webhook's signing secret: inline in a record written before, else its object; null when it is gone. */
export async function readWebhookSecret(s3: S3Client, bucket: string, endpoint: string, webhook: StoredWebhook): Promise<string | null> {
  if (webhook.secret) return webhook.secret;
  if (!webhook.secretId) return null;
  try {
    const result = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: webhookSecretKey(endpoint, webhook.secretId) }));
    return (JSON.parse(await result.Body!.transformToString('utf8')) as SecretObject).secret;
  } catch (error) {
    if (isMissingReservedObject(error)) return null;
    throw error;
  }
}

/** Removes a secret the record no longer names (after a rotation, a new receiver, or the webhook's removal). */
export async function deleteWebhookSecret(s3: S3Client, bucket: string, endpoint: string, secretId: string): Promise<void> {
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: webhookSecretKey(endpoint, secretId) }));
}
