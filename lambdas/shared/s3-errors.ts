// Recognising S3's answers by name and status, not by class: the SDK's error classes differ between
// operations (HeadObject has no body, so a 404 is a bare `NotFound`), a bundle can hold two copies of
// them, and S3-compatible servers vary.
interface S3ErrorShape {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

const shape = (error: unknown): S3ErrorShape => (typeof error === 'object' && error !== null ? (error) : {});
export const s3ErrorName = (error: unknown): string | undefined => shape(error).name ?? shape(error).Code;
export const s3Status = (error: unknown): number | undefined => shape(error).$metadata?.httpStatusCode;

/** 404 NoSuchKey, or a bare NotFound (HeadObject); a missing bucket is not a missing object. */
export const isObjectNotFound = (error: unknown): boolean =>
  s3ErrorName(error) === 'NotFound' || s3ErrorName(error) === 'NoSuchKey' || (s3Status(error) === 404 && s3ErrorName(error) !== 'NoSuchBucket');

/** The multipart upload was completed or aborted meanwhile. */
export const isNoSuchUpload = (error: unknown): boolean => s3ErrorName(error) === 'NoSuchUpload';

/** A conditional write lost: If-Match no longer matches, or If-None-Match found an object (412). */
export const isPreconditionFailed = (error: unknown): boolean => s3ErrorName(error) === 'PreconditionFailed' || s3Status(error) === 412;

/** S3 answers 409 ConditionalRequestConflict when two conditional writes race on one key. */
export const isConditionalConflict = (error: unknown): boolean =>
  s3ErrorName(error) === 'ConditionalRequestConflict' || (s3Status(error) === 409 && s3ErrorName(error) !== 'BucketAlreadyExists');

/** A conditional write lost: 412 (the object exists) or 409 ConditionalRequestConflict (another conditional write to the key is in flight). */
export const isConditionalWriteLost = (error: unknown): boolean => isPreconditionFailed(error) || s3ErrorName(error) === 'ConditionalRequestConflict';

export const isInvalidArgument = (error: unknown): boolean => s3ErrorName(error) === 'InvalidArgument';
