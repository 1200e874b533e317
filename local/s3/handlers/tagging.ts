// PutObjectTagging, GetObjectTagging and DeleteObjectTagging (`?tagging` on an object).
import { assertMayWriteTags } from '../access.js';
import { receiveToBuffer, requireBodyDigest } from '../body.js';
import { send, sendXml, type Bucket, type Ctx, type Env } from '../context.js';
import { S3Error } from '../errors.js';
import { eventObject, recordEvent } from '../events.js';
import { parseTaggingXml, taggingDocument, type Tag } from '../tagging.js';

/** Ten tags of 128 + 256 characters fit many times over. */
const MAX_TAGGING_BODY = 64 * 1024;

async function replaceTags(ctx: Ctx, env: Env, bucket: Bucket, tags: Tag[], event: 'Object Tags Added' | 'Object Tags Deleted'): Promise<void> {
  const meta = await bucket.objects.setTags(ctx.key!, tags);
  recordEvent(ctx, env, bucket, event, eventObject(meta, meta.sequencer, false));
}

export async function putObjectTagging(ctx: Ctx, env: Env, bucket: Bucket): Promise<void> {
  // Refused before the body is read, unless the caller may write some tag set (the policy then needs it).
  const releaseWriter = env.readTagCondition?.releaseTag?.writerAccessKeyIds.includes(ctx.auth?.accessKeyId ?? '') ?? false;
  if (!releaseWriter) assertMayWriteTags(env, ctx, ctx.key!);
  requireBodyDigest(ctx);
  const meta = bucket.objects.get(ctx.key!);
  if (!meta) throw new S3Error('NoSuchKey', undefined, { Key: ctx.key });
  const { body } = await receiveToBuffer(ctx, MAX_TAGGING_BODY);
  const tags = parseTaggingXml(body);
  if (releaseWriter) assertMayWriteTags(env, ctx, ctx.key!, tags, meta);
  await replaceTags(ctx, env, bucket, tags, 'Object Tags Added');
  send(ctx, 200);
}

export function getObjectTagging(ctx: Ctx, _env: Env, bucket: Bucket): void {
  const meta = bucket.objects.get(ctx.key!);
  if (!meta) throw new S3Error('NoSuchKey', undefined, { Key: ctx.key });
  sendXml(ctx, 200, taggingDocument(meta.tags ?? []));
}

export async function deleteObjectTagging(ctx: Ctx, env: Env, bucket: Bucket): Promise<void> {
  assertMayWriteTags(env, ctx, ctx.key!);
  await replaceTags(ctx, env, bucket, [], 'Object Tags Deleted');
  send(ctx, 204);
}
