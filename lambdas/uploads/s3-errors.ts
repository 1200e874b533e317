// Recognising S3's answers by name and status, not by class: the SDK's error classes differ between
// operations (HeadObject has no body, so a 404 is a bare `NotFound`) and S3-compatible servers vary.
interface SdkErrorShape {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

const shape = (error: unknown): SdkErrorShape => (typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {});
export const s3ErrorName = (error: unknown): string | undefined => shape(error).name ?? shape(error).Code;
export const s3Status = (error: unknown): number | undefined => shape(error).$metadata?.httpStatusCode;

export const isObjectNotFound = (error: unknown): boolean =>
  s3ErrorName(error) === 'NotFound' || s3ErrorName(error) === 'NoSuchKey' || (s3Status(error) === 404 && s3ErrorName(error) !== 'NoSuchBucket');

export const isNoSuchUpload = (error: unknown): boolean => s3ErrorName(error) === 'NoSuchUpload';

/** A conditional write lost: 412 (the object exists) or 409 (another conditional write to the key is in flight). */
export const isConditionalWriteLost = (error: unknown): boolean =>
  s3ErrorName(error) === 'PreconditionFailed' ||
  s3ErrorName(error) === 'ConditionalRequestConflict' ||
  s3Status(error) === 412;
