// "No such object" as S3 says it to a role that may not list the bucket, for the portal's own small
// objects read by exact key (endpoint records, upload reservations).
//
// S3 answers GetObject on a missing key with 404 NoSuchKey only to a caller allowed s3:ListBucket on
// the bucket; anyone else gets 403 AccessDenied, so that it cannot probe which keys exist
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Permissions"). The uploads
// role's ListBucket is limited by an `s3:prefix` condition to `uploads/`, which a GetObject request
// never satisfies, so in AWS every missing endpoint record or reservation reaches it as AccessDenied.
// Only these exact reserved keys use this rule: each caller lacks nothing else than the object
// (the role may GET them), and treating a genuine denial as "missing" still refuses the request.
// Other 403s (SignatureDoesNotMatch, ExpiredToken, InvalidObjectState...) stay errors.
import { isObjectNotFound, s3ErrorName, s3Status } from './s3-errors.js';

/** 404 NoSuchKey / NotFound (a caller that may list), or 403 AccessDenied (one that may not). */
export function isMissingReservedObject(error: unknown): boolean {
  if (s3ErrorName(error) === 'AccessDenied') return s3Status(error) === undefined || s3Status(error) === 403;
  return isObjectNotFound(error);
}
