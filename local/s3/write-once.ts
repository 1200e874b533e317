// A bucket policy that makes a prefix write-once, as the stack's audit prefix is (a Deny on PutObject
// without `s3:if-none-match` for object-creating requests, and a Deny on deletes and tag changes, for
// every principal): under a write-once prefix an object may only be created with `If-None-Match`, and
// never deleted, overwritten or retagged by a request. Multipart parts may be sent (CreateMultipartUpload
// and UploadPart create no object), but the completion needs `If-None-Match` like a PUT. A POST form
// carries no such header, so S3 refuses it there too. Nobody is exempt, as in the stack's policy.
import type { Ctx } from './context.js';
import { header } from './context.js';
import { S3Error } from './errors.js';
import type { Operation } from './router.js';

/** Operations that create an object: allowed under a write-once prefix only with `If-None-Match`. */
const CREATING = new Set<Operation>(['PutObject', 'CompleteMultipartUpload']);
/** Operations refused under a write-once prefix whatever their headers. */
const REFUSED = new Set<Operation>(['DeleteObject', 'PutObjectTagging', 'DeleteObjectTagging', 'PostObject']);

export function isWriteOnceKey(prefixes: readonly string[], key: string): boolean {
  return prefixes.some((prefix) => key.startsWith(prefix));
}

/** Throws AccessDenied, as S3 answers an explicit Deny, when the policy refuses `operation` on `key`. */
export function assertWriteOnceAllows(prefixes: readonly string[], ctx: Ctx, operation: Operation, key: string | undefined): void {
  if (key === undefined || !isWriteOnceKey(prefixes, key)) return;
  if (REFUSED.has(operation) || (CREATING.has(operation) && header(ctx, 'if-none-match') === undefined)) {
    throw new S3Error('AccessDenied', 'Access Denied: this prefix is write-once');
  }
}

export function checkWriteOncePrefixes(prefixes: readonly string[]): void {
  if (prefixes.some((p) => p === '')) throw new Error('startS3Server: a writeOncePrefixes entry must not be empty (it would make the whole bucket write-once)');
}
