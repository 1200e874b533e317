// What to tell a person when an API call or an S3 transfer fails: stable API codes first, then the
// HTTP status, then the server's own message. Pure, so every wording has a test.

export interface ApiFailure {
  /** HTTP status; 0 when the request never got an answer (network down, blocked). */
  status: number;
  code: string;
  /** The server's message (already safe to show: the APIs hide internals behind `server_error`). */
  message?: string;
}

export const SIGN_IN_AGAIN = 'Your session has expired. Sign in again to continue; unfinished uploads will resume.';
export const NETWORK_DOWN = 'The connection to the portal was lost. Uploads wait and continue when it is back.';

/** By code: the upload API's refusals (lambdas/uploads), the admin API's (lambdas/admin), shared ones. */
const PARTS_BROKEN = 'Some parts of the file did not arrive intact. Retry the upload; the parts already sent are kept.';
const RELOAD_AND_RETRY = 'This page and the server disagree about how to send this file. Reload the page and try again.';
const BY_CODE: Record<string, string> = {
  unauthenticated: SIGN_IN_AGAIN,
  network_error: NETWORK_DOWN,
  endpoint_expired: 'This upload link has expired. Please ask your contact for a new one.',
  endpoint_disabled: 'This upload endpoint has been disabled. Please ask your contact.',
  endpoint_unknown: 'This upload endpoint no longer exists. Please ask your contact.',
  no_endpoint: 'Your login is not linked to an upload endpoint. Please ask your contact.',
  endpoint_forbidden: 'You can only send files to your own endpoint.',
  key_forbidden: 'This upload belongs to another endpoint.',
  file_too_large: 'This file is larger than the maximum size allowed here.',
  extension_not_allowed: 'Files of this type are not accepted here.',
  invalid_filename: 'This file name cannot be used. Rename the file and try again.',
  filename_too_long: 'This file name is too long. Rename the file and try again.',
  relative_path_too_long: 'A folder name in this file\'s path is too long. Shorten it and try again.',
  key_too_long: 'The folder path and file name together are too long. Shorten them and try again.',
  parts_missing: PARTS_BROKEN,
  parts_not_contiguous: PARTS_BROKEN,
  unexpected_parts: PARTS_BROKEN,
  duplicate_part: PARTS_BROKEN,
  etag_mismatch: PARTS_BROKEN,
  parts_changed: PARTS_BROKEN,
  part_too_small: PARTS_BROKEN,
  size_mismatch: 'The file changed size while it was being sent. Add it again and retry.',
  complete_in_progress: 'This file is being finished by another request. Retry in a moment.',
  no_such_upload: 'The server no longer knows this upload (it was cancelled or expired). Remove the file and add it again.',
  size_required: RELOAD_AND_RETRY,
  use_multipart: RELOAD_AND_RETRY,
  too_many_parts: RELOAD_AND_RETRY,
  body_too_large: 'The request was too large for the server.',
  unsupported_media_type: RELOAD_AND_RETRY,
  invalid_json: RELOAD_AND_RETRY,
  // Admin API
  endpoint_exists: 'An endpoint with this name already exists. Choose another name.',
  endpoint_not_found: 'This endpoint does not exist (any more).',
  invalid_name: 'The name may contain lower-case letters, digits and hyphens (3 to 48 characters).',
  login_exists: 'A login with this e-mail address already exists.',
  invalid_email: 'Enter a valid e-mail address.',
  confirmation_mismatch: 'The name you typed does not match the endpoint name.',
  conflict: 'Someone else changed this at the same time. Reload the page and try again.',
  key_outside_uploads: 'That file is outside the uploads area.',
  csrf_rejected: 'The request was refused as cross-site. Reload the console and try again.',
  admin_only: 'This console is for portal administrators only.',
  server_error: 'Something went wrong on the server. Please try again in a moment.',
};

const BY_STATUS: Record<number, string> = {
  0: NETWORK_DOWN,
  401: SIGN_IN_AGAIN,
  403: 'You are not allowed to do this.',
  404: 'Not found. It may have been deleted.',
  409: 'This conflicts with something that already exists. Reload the page and try again.',
  413: 'This is larger than the maximum size allowed here.',
  429: 'The portal is busy. Retrying shortly.',
  502: 'The portal is temporarily unavailable. Please try again in a moment.',
  503: 'The portal is temporarily unavailable. Please try again in a moment.',
  504: 'The portal took too long to answer. Please try again in a moment.',
};

export function messageForApiError(failure: ApiFailure): string {
  const byCode = BY_CODE[failure.code];
  if (byCode) return byCode;
  // Any other API code: both APIs write their messages for people and hide internals behind
  // `server_error`, so the message says what was wrong. (`http_*` codes mean the body was not theirs.)
  if (failure.message && failure.status >= 400 && failure.status !== 401 && !failure.code.startsWith('http_')) return failure.message;
  const byStatus = BY_STATUS[failure.status];
  if (byStatus) return byStatus;
  if (failure.status >= 500) return BY_CODE.server_error!;
  return failure.message || `The request failed (HTTP ${failure.status}).`;
}

/** The `<Code>` of an S3 XML error body, or ''. */
export function s3ErrorCode(body: string): string {
  return /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? '';
}

/** True when the URL's signature or token has run out: cached URLs are then worthless and are dropped. */
export function isExpiredSignature(status: number, body: string): boolean {
  if (status !== 400 && status !== 403) return false;
  // "Request has expired" (URL past X-Amz-Expires), ExpiredToken (the signer's session ended), or
  // Uppy's own timeout, which reports a bodiless 403.
  return body === '' || /expired|TokenRefreshRequired/i.test(body);
}

/** What a failed direct transfer to S3 means for the person sending. */
export function messageForS3Failure(status: number, body: string): string {
  const code = s3ErrorCode(body);
  if (status === 0) return NETWORK_DOWN;
  if (code === 'EntityTooLarge') return 'This file is larger than the maximum size allowed here.';
  if (code === 'ExpiredToken' || code === 'TokenRefreshRequired' || /Request has expired/.test(body)) return 'The upload link expired; getting a new one.';
  if (code === 'AccessDenied') return 'The storage service refused this upload. The endpoint may have expired; reload the page.';
  if (code === 'SlowDown' || status === 503) return 'The storage service is busy. Retrying shortly.';
  if (code === 'NoSuchUpload') return BY_CODE.no_such_upload!;
  if (status >= 500) return 'The storage service had a problem. Retrying shortly.';
  return `The storage service refused the data (HTTP ${status}${code ? `, ${code}` : ''}).`;
}
