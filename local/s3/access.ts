// A bucket policy on object tags, as the GuardDuty malware-scan setup uses one: reads under a prefix need a tag value,
// and (optionally) only the exempt principal may write that prefix's tags. Exempt access keys stand in for its role.
import type { Ctx, Env } from './context.js';
import { S3Error } from './errors.js';
import type { ObjectMeta } from './object-store.js';
import type { Tag } from './tagging.js';

export interface ReadTagCondition {
  /** Keys under this prefix are guarded ('' guards the whole bucket). */
  readonly prefix: string;
  /** Reads need this tag with this value, like a Deny on `s3:ExistingObjectTag/<tag>` StringNotEquals `<value>`. */
  readonly tag: string;
  readonly value: string;
  /** Access keys the policy does not apply to (the stand-in for GuardDuty's role); must be configured credentials. */
  readonly exemptAccessKeyIds: readonly string[];
  /**
   * Also refuse, to everyone else under the prefix, PutObjectTagging and DeleteObjectTagging (AWS's
   * "OnlyGuardDutyCanTag") and writes whose x-amz-tagging or POST `tagging` sets `tag` (an uploader must not
   * label its own file clean; a Deny on `s3:RequestObjectTagKeys`).
   * @default false
   */
  readonly guardTagWrites?: boolean;
}

export function checkReadTagCondition(condition: ReadTagCondition, accessKeyIds: ReadonlySet<string>): void {
  if (condition.tag === '') throw new Error('startS3Server: readTagCondition.tag must not be empty');
  const unknown = condition.exemptAccessKeyIds.filter((id) => !accessKeyIds.has(id));
  if (unknown.length) throw new Error(`startS3Server: readTagCondition.exemptAccessKeyIds names unknown access keys: ${unknown.join(', ')}`);
}

/** The condition when it applies to this request on `key` (under the prefix, not an exempt caller). */
function applicable(env: Env, ctx: Ctx, key: string): ReadTagCondition | undefined {
  const condition = env.readTagCondition;
  if (!condition || !key.startsWith(condition.prefix)) return undefined;
  const caller = ctx.auth?.accessKeyId;
  return caller !== undefined && condition.exemptAccessKeyIds.includes(caller) ? undefined : condition;
}

/**
 * GetObject / HeadObject (presigned or not). A missing object or tag fails the condition too, as a Deny with
 * StringNotEquals on an absent key does: un-scanned objects are unreadable, and so is a key that does not exist.
 */
export function assertMayRead(env: Env, ctx: Ctx, key: string, meta: ObjectMeta | undefined): void {
  const condition = applicable(env, ctx, key);
  if (!condition) return;
  if (meta?.tags?.find((t) => t.key === condition.tag)?.value !== condition.value) throw new S3Error('AccessDenied');
}

/** PutObjectTagging / DeleteObjectTagging. */
export function assertMayWriteTags(env: Env, ctx: Ctx, key: string): void {
  if (applicable(env, ctx, key)?.guardTagWrites) throw new S3Error('AccessDenied');
}

/** Tags set by an object write (PutObject, CreateMultipartUpload, POST). */
export function assertMayRequestTags(env: Env, ctx: Ctx, key: string, tags: readonly Tag[] | undefined): void {
  const condition = applicable(env, ctx, key);
  if (condition?.guardTagWrites && tags?.some((t) => t.key === condition.tag)) throw new S3Error('AccessDenied');
}
