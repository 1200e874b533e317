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
  /** A value of `tag` that refuses reads whatever else the object carries (an infected file). */
  readonly deniedValue?: string;
  /**
   * A second tag that also lets reads through (an admin's release of a file that could not be scanned),
   * and the keys that may write it. With guardTagWrites, those keys may PutObjectTagging a set of exactly
   * this tag and, optionally, `tag` with one of `keepableValues` (never on an object whose tag is
   * `deniedValue`); everyone else but the exempt keys may not write it at all.
   */
  readonly releaseTag?: { readonly tag: string; readonly value: string; readonly writerAccessKeyIds: readonly string[]; readonly keepableValues: readonly string[] };
  /**
   * Keys whose HeadObject the condition lets through (GetObject stays refused). The local portal's
   * Lambdas share one key, and the events Lambda must read an unscanned object's metadata; in AWS only
   * the events Lambda's role is exempt (and from GetObject as a whole).
   */
  readonly headExemptAccessKeyIds?: readonly string[];
  /**
   * Prefixes inside `prefix` the condition leaves alone: in AWS the uploads Lambda's role, the only one
   * that reads the upload reservations, is exempt, and the local Lambdas share one key.
   */
  readonly unguardedPrefixes?: readonly string[];
}

export function checkReadTagCondition(condition: ReadTagCondition, accessKeyIds: ReadonlySet<string>): void {
  if (condition.tag === '') throw new Error('startS3Server: readTagCondition.tag must not be empty');
  const named = [...condition.exemptAccessKeyIds, ...(condition.releaseTag?.writerAccessKeyIds ?? []), ...(condition.headExemptAccessKeyIds ?? [])];
  const unknown = [...new Set(named)].filter((id) => !accessKeyIds.has(id));
  if (unknown.length) throw new Error(`startS3Server: readTagCondition.exemptAccessKeyIds names unknown access keys: ${unknown.join(', ')}`);
}

/** The condition when it applies to this request on `key` (under the prefix, not an exempt caller). */
function applicable(env: Env, ctx: Ctx, key: string): ReadTagCondition | undefined {
  const condition = env.readTagCondition;
  if (!condition || !key.startsWith(condition.prefix)) return undefined;
  if (condition.unguardedPrefixes?.some((prefix) => key.startsWith(prefix))) return undefined;
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
  const caller = ctx.auth?.accessKeyId;
  if (ctx.method === 'HEAD' && caller !== undefined && condition.headExemptAccessKeyIds?.includes(caller)) return;
  const tagValue = (name: string) => meta?.tags?.find((t) => t.key === name)?.value;
  const status = tagValue(condition.tag);
  if (condition.deniedValue !== undefined && status === condition.deniedValue) throw new S3Error('AccessDenied');
  if (status === condition.value) return;
  const release = condition.releaseTag;
  if (release && tagValue(release.tag) === release.value) return;
  throw new S3Error('AccessDenied');
}

/**
 * PutObjectTagging (with the requested set) / DeleteObjectTagging (no set). With a release tag, its
 * writers may put exactly the release tag, plus `tag` with a keepable value, on an object not denied.
 */
export function assertMayWriteTags(env: Env, ctx: Ctx, key: string, requested?: readonly Tag[], meta?: ObjectMeta): void {
  const condition = applicable(env, ctx, key);
  if (!condition?.guardTagWrites) return;
  const release = condition.releaseTag;
  const caller = ctx.auth?.accessKeyId;
  if (release && requested && caller !== undefined && release.writerAccessKeyIds.includes(caller)) {
    const existing = meta?.tags?.find((t) => t.key === condition.tag)?.value;
    const fits = requested.every((t) => (t.key === release.tag && t.value === release.value) || (t.key === condition.tag && release.keepableValues.includes(t.value)));
    if (fits && !(condition.deniedValue !== undefined && existing === condition.deniedValue)) return;
  }
  throw new S3Error('AccessDenied');
}

/** Tags set by an object write (PutObject, CreateMultipartUpload, POST). */
export function assertMayRequestTags(env: Env, ctx: Ctx, key: string, tags: readonly Tag[] | undefined): void {
  const condition = applicable(env, ctx, key);
  if (condition?.guardTagWrites && tags?.some((t) => t.key === condition.tag || t.key === condition.releaseTag?.tag)) throw new S3Error('AccessDenied');
}
