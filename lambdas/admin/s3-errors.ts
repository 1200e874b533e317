// Recognising S3's answers by name and status (bundles can hold two copies of the SDK's classes).
interface AwsErrorShape {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

const shape = (error: unknown): AwsErrorShape => (typeof error === 'object' && error !== null ? (error as AwsErrorShape) : {});

/** A conditional write lost: If-Match no longer matches, or If-None-Match found an object. */
export function isPreconditionFailed(error: unknown): boolean {
  const e = shape(error);
  return e.name === 'PreconditionFailed' || e.$metadata?.httpStatusCode === 412;
}

/** S3 answers 409 ConditionalRequestConflict when two conditional writes race on one key. */
export function isConditionalConflict(error: unknown): boolean {
  const e = shape(error);
  return e.name === 'ConditionalRequestConflict' || (e.$metadata?.httpStatusCode === 409 && e.name !== 'BucketAlreadyExists');
}

export function isNotFound(error: unknown): boolean {
  const e = shape(error);
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
}

export function isInvalidArgument(error: unknown): boolean {
  return shape(error).name === 'InvalidArgument';
}

/** The multipart upload was completed or aborted meanwhile. */
export function isNoSuchUpload(error: unknown): boolean {
  return shape(error).name === 'NoSuchUpload';
}
