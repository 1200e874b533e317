// What the pages may do with the bucket from the browser: the one CORS rule, for the portal's origin
// only. The stack sets it on the data bucket (infra/storage.ts) and the local S3 server applies it.
import { CHECKSUM_HEADER, CHECKSUM_TYPE_HEADER } from './checksums.js';

/**
 * What the browser sends to S3 with a presigned part or small-file PUT: the content type, the
 * `x-amz-*` headers a presigned request binds (checksums, metadata), and `If-None-Match: *`, which a
 * small file's URL signs so that it never replaces an object. Nothing else is needed, so nothing else
 * is allowed.
 */
export const CORS_ALLOWED_HEADERS = ['Content-Type', 'Content-MD5', 'Content-Disposition', 'If-None-Match', 'x-amz-*'];
/**
 * Uppy reads each part's ETag to complete the upload (and `Location` after a POST); the page reads the
 * checksum S3 verified and its type (FULL_OBJECT) from a part's or a small file's answer.
 */
export const CORS_EXPOSED_HEADERS = ['ETag', 'Location', CHECKSUM_HEADER, CHECKSUM_TYPE_HEADER];
export const CORS_ALLOWED_METHODS = ['GET', 'PUT', 'POST', 'HEAD'] as const;
/** Seconds a browser may cache the preflight answer. */
export const CORS_MAX_AGE_SECONDS = 3600;
export const CORS_RULE_ID = 'portal-browser-uploads';
