// What the pages may do with the bucket from the browser: the one CORS rule, for the portal's origin
// only. The stack sets it on the data bucket (infra/storage.ts) and the local S3 server applies it.

/**
 * What the browser sends to S3 with a presigned part PUT or a presigned POST: the content type, and
 * the `x-amz-*` headers a presigned request may bind. Nothing else is needed, so nothing else is allowed.
 */
export const CORS_ALLOWED_HEADERS = ['Content-Type', 'Content-MD5', 'Content-Disposition', 'x-amz-*'];
/** Uppy reads each part's ETag to complete the upload, and `Location` after a presigned POST. */
export const CORS_EXPOSED_HEADERS = ['ETag', 'Location'];
export const CORS_ALLOWED_METHODS = ['GET', 'PUT', 'POST', 'HEAD'] as const;
/** Seconds a browser may cache the preflight answer. */
export const CORS_MAX_AGE_SECONDS = 3600;
export const CORS_RULE_ID = 'portal-browser-uploads';
