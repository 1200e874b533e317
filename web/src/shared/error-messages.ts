// What to tell a person when an API call or an S3 transfer fails. Every code of the API's error
// catalogue (contract/errors.ts) has a message here, written for the customer or admin who reads it:
// what happened and what to do. Pure, so every wording has a test.
import { ERROR_CATALOGUE, isErrorCode, type ErrorCode } from '../../../contract/errors.js';
import { ENDPOINT_NAME_RULE } from '../../../contract/bucket-layout.js';
import { MAX_ALLOWED_EXTENSIONS } from '../../../contract/extensions.js';
import { MAX_FILE_SEARCH_CHARS, RELEASE_REASON_CHARS } from '../../../contract/limits.js';
import { MAX_ADMIN_RECIPIENTS } from '../../../contract/notifications.js';

/** Codes the page makes itself when the answer is not the API's error body. */
export type ClientErrorCode =
  /** No answer at all (network down, blocked). */
  | 'network_error'
  /** A 2xx answer whose body is not the JSON the page expects. */
  | 'bad_response'
  /** An error answer that is not the API's (the ALB's, a proxy's), or a code the catalogue lacks. */
  | HttpStatusCode;
export type HttpStatusCode = `http_${number}`;

/** Every code an ApiError carries. */
export type FailureCode = ErrorCode | ClientErrorCode;

export interface ApiFailure {
  /** HTTP status; 0 when the request never got an answer (network down, blocked). */
  status: number;
  code: FailureCode;
  /** The server's message (already safe to show: the APIs hide internals behind `server_error`). */
  message?: string;
}

export const httpStatusCode = (status: number): HttpStatusCode => `http_${status}`;

export const SIGN_IN_AGAIN = 'Your session has expired. Sign in again to continue; unfinished uploads will resume.';
export const NETWORK_DOWN = 'The connection to the portal was lost. Uploads wait and continue when it is back.';

/**
 * Shows the server's own message: for codes whose message names what only the server knows (which
 * field, how many files) in words meant for people. Falls back on the catalogue's message.
 */
export const SERVER_MESSAGE: unique symbol = Symbol('the server message');

/** The page sent something the API refuses however often it is sent: a stale or broken page. */
const RELOAD_AND_RETRY = 'The page and the portal did not understand each other (the page may be out of date). Reload the page and try again.';
const PARTS_BROKEN = 'Some parts of the file did not arrive intact. Retry the upload; the parts already sent are kept.';
const ASK_YOUR_CONTACT = 'Please ask your contact for a new upload link.';

const BY_CODE = {
  // 400: the request itself is wrong.
  bad_path: RELOAD_AND_RETRY,
  bad_query: RELOAD_AND_RETRY,
  invalid_json: RELOAD_AND_RETRY,
  invalid_body: RELOAD_AND_RETRY,
  unknown_field: RELOAD_AND_RETRY,
  invalid_field: SERVER_MESSAGE,
  nothing_to_change: 'Nothing was saved: the values are the same as before.',
  invalid_filename: 'This file name cannot be used. Rename the file and try again.',
  filename_too_long: 'This file name is too long. Rename the file and try again.',
  relative_path_too_long: "A folder name in this file's path is too long. Shorten it and try again.",
  key_too_long: 'The folder path and file name together are too long. Shorten them and try again.',
  invalid_metadata: "This file's folder path is too long or not valid. Move the file to a shorter path and add it again.",
  invalid_size: RELOAD_AND_RETRY,
  extension_not_allowed: 'Files of this type are not accepted here.',
  use_multipart: RELOAD_AND_RETRY,
  missing_key: RELOAD_AND_RETRY,
  invalid_key: RELOAD_AND_RETRY,
  invalid_prefix: RELOAD_AND_RETRY,
  invalid_upload_id: RELOAD_AND_RETRY,
  invalid_part_number: RELOAD_AND_RETRY,
  too_many_parts: RELOAD_AND_RETRY,
  invalid_part_size: RELOAD_AND_RETRY,
  part_beyond_size: 'This file changed size since the upload began. Remove it and add it again.',
  invalid_checksum: RELOAD_AND_RETRY,
  invalid_checksum_algorithm: RELOAD_AND_RETRY,
  checksum_required: RELOAD_AND_RETRY,
  size_required: RELOAD_AND_RETRY,
  invalid_parts: PARTS_BROKEN,
  duplicate_part: PARTS_BROKEN,
  parts_not_contiguous: PARTS_BROKEN,
  invalid_page_size: RELOAD_AND_RETRY,
  // A page token of a file listing, or the token of a reconcile going on in steps: either is stale.
  invalid_token: 'The page lost its place in a list or a reconcile (it changed, or the page is out of date). Reload the page and start again from the beginning.',
  invalid_time: 'Enter dates as YYYY-MM-DD (or a full date and time), with the start no later than the end.',
  invalid_time_range: 'The start date is after the end date. Swap them and search again.',
  invalid_sort: RELOAD_AND_RETRY,
  invalid_search: `Search for at most ${MAX_FILE_SEARCH_CHARS} characters, without control characters.`,
  endpoint_required: RELOAD_AND_RETRY,
  invalid_endpoint: 'This is not a valid endpoint name. Check the address and try again.',
  invalid_name: `Use ${ENDPOINT_NAME_RULE}.`,
  invalid_email: 'Enter a valid e-mail address.',
  invalid_recipients: `Enter at most ${MAX_ADMIN_RECIPIENTS} valid e-mail addresses, one per line.`,
  invalid_webhook_url: 'Enter an https webhook URL on a public address, without a user name or password.',
  no_webhook: 'This endpoint has no webhook yet: set a webhook URL first.',
  invalid_expiry: 'Choose an expiry date in the future, or none.',
  invalid_max_file_size: 'Enter the largest file size as a positive number, or leave it empty for no limit.',
  invalid_quota: 'Enter the quota as a positive number, or leave it empty for no quota.',
  invalid_extensions: `Enter at most ${MAX_ALLOWED_EXTENSIONS} file types as extensions such as pdf or tar.gz, or leave the field empty to accept every type.`,
  confirmation_mismatch: 'The name you typed does not match the endpoint name.',
  invalid_password: "This password does not meet the portal's password rules. Choose another one.",
  invalid_login_parameter: 'The user directory refused this request. Check the e-mail address and try again.',

  // 401
  unauthenticated: SIGN_IN_AGAIN,
  session_revoked: 'Your session was ended because your password was reset. Sign out, then sign in with the new password.',

  // 403: the caller may not do this.
  admin_not_allowed: 'Your account may not administer this portal. Ask one of its administrators to add you.',
  admin_only: 'This console is for portal administrators only.',
  csrf_rejected: 'The request was refused as cross-site. Reload the console and try again.',
  cross_site: 'Downloads must be started from the admin console. Open the file there and download it again.',
  no_endpoint: `Your login is not linked to an upload endpoint. ${ASK_YOUR_CONTACT}`,
  endpoint_forbidden: 'You can only send files to your own endpoint.',
  endpoint_unknown: `This upload endpoint no longer exists. ${ASK_YOUR_CONTACT}`,
  endpoint_disabled: `This upload endpoint has been disabled. ${ASK_YOUR_CONTACT}`,
  endpoint_expired: `This upload link has expired. ${ASK_YOUR_CONTACT}`,
  login_removed: `Your login has been removed from this upload endpoint. ${ASK_YOUR_CONTACT}`,
  key_forbidden: 'This upload belongs to another endpoint. Remove the file and add it again.',
  key_outside_uploads: 'That file is outside the uploads area.',

  // 404
  not_found: 'Not found. It may have been deleted; reload the page.',
  endpoint_not_found: 'This endpoint does not exist (any more).',
  login_not_found: 'This login does not exist (any more). Reload the page.',
  file_not_found: 'This file does not exist (any more). Reload the list.',
  file_infected: 'Malware was found in this file. It cannot be downloaded, shared or released; an admin can delete it.',
  scan_pending: 'This file is still being checked for malware. It can be downloaded once the check finds it clean; reload the list in a moment.',
  scan_not_released: 'This file was not checked for malware (it could not be, or was stored before scanning was on). Release it with a written reason first (the Release action), then download it.',
  file_not_releasable: 'Only a file that could not be checked (too large, unsupported, failed) or was never checked (stored before scanning was on) can be released. Reload the list to see its current state.',
  invalid_scan_state: 'The scan-state filter is not one the portal knows. Reload the page.',
  invalid_release_reason: `Write why this file may be downloaded without a malware check (${RELEASE_REASON_CHARS.min} to ${RELEASE_REASON_CHARS.max} characters).`,
  no_such_upload: 'The server no longer knows this upload (it was cancelled or expired). Remove the file and add it again.',

  // 405
  method_not_allowed: RELOAD_AND_RETRY,

  // 409: conflicts with what is stored.
  conflict: 'Someone else changed this at the same time. Reload the page and try again.',
  endpoint_exists: 'An endpoint with this name already exists. Choose another name.',
  name_has_files: SERVER_MESSAGE,
  login_exists: 'A login with this e-mail address already exists.',
  too_many_logins: 'This endpoint has as many logins as it may have. Remove one before adding another.',
  name_unavailable: 'No free name was found for this file. Rename it and add it again.',
  object_exists: 'A file with this name was stored while this one was being sent, and was kept. Remove this file and add it again to store it under a new name.',
  upload_unverifiable: 'This upload was not started by this portal, so it cannot be finished. Remove the file and add it again.',
  parts_missing: PARTS_BROKEN,
  unexpected_parts: PARTS_BROKEN,
  etag_mismatch: PARTS_BROKEN,
  part_too_small: PARTS_BROKEN,
  parts_changed: PARTS_BROKEN,
  size_mismatch: 'The file changed size while it was being sent. Add it again and retry.',
  complete_in_progress: 'This file is being finished by another request. Retry in a moment.',
  part_checksum_missing: 'A part of this file reached the storage without its checksum, so it cannot be verified. Remove the file and send it again.',
  checksum_mismatch: "The parts stored do not add up to this file (its checksum differs), so nothing was stored. Retry the upload; the parts already sent are kept.",
  file_recently_uploaded: 'This file arrived moments ago and cannot be deleted yet (its upload link may still be valid). Try again in a few minutes.',
  purge_too_soon: 'The endpoint was open moments ago, and an upload link it handed out may still be valid. Its access has ended; delete it again in a few minutes to purge its files.',

  // 413
  body_too_large: 'The request was too large for the portal. Reload the page and try again.',
  file_too_large: 'This file is larger than the maximum size allowed here.',
  quota_exceeded: 'This file does not fit in the space left for your uploads. Ask your contact for more space.',

  // 415
  unsupported_media_type: RELOAD_AND_RETRY,

  // 429
  too_many_open_uploads: 'You have the most unfinished uploads allowed at once. Let some finish (or remove them), then retry this file.',
  too_many_uploads_in_progress: 'Too many files are being sent to this folder at once. Retry this file in a few minutes.',
  rate_limited: 'The portal received too many requests from your network. Uploads continue after a short wait.',

  // 5xx
  server_error: 'Something went wrong on the server. Please try again in a moment.',
  purge_failed: 'Deleting the files stopped part-way. Delete again to finish.',
  invitation_failed: 'The invitation e-mail could not be sent. Check the e-mail address and try again.',
  sign_out_failed: "The password was reset, but the login's open sessions could not be ended. Reset the password again.",
  directory_busy: SERVER_MESSAGE,
  credentials_expiring: 'The portal is renewing its credentials. Please try again in a minute.',
} as const satisfies Record<ErrorCode, string | typeof SERVER_MESSAGE>;

const BY_CLIENT_CODE = {
  network_error: NETWORK_DOWN,
  bad_response: 'The portal sent an answer this page cannot read. Reload the page.',
} as const satisfies Record<Exclude<ClientErrorCode, HttpStatusCode>, string>;

/** For answers that are not the API's own (`http_<status>`). */
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
  const { code } = failure;
  if (isErrorCode(code)) {
    const byCode = BY_CODE[code];
    return byCode === SERVER_MESSAGE ? failure.message || ERROR_CATALOGUE[code].message : byCode;
  }
  if (code === 'network_error' || code === 'bad_response') return BY_CLIENT_CODE[code];
  // Not the API's answer: its body says nothing a person can use, its status does.
  const byStatus = BY_STATUS[failure.status];
  if (byStatus) return byStatus;
  if (failure.status >= 500) return BY_CODE.server_error;
  return `The request failed (HTTP ${failure.status}).`;
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
  if (code === 'EntityTooLarge') return BY_CODE.file_too_large;
  if (code === 'ExpiredToken' || code === 'TokenRefreshRequired' || /Request has expired/.test(body)) return 'The upload link expired; getting a new one.';
  if (code === 'AccessDenied') return 'The storage service refused this upload. The endpoint may have expired; reload the page.';
  if (code === 'SlowDown' || status === 503) return 'The storage service is busy. Retrying shortly.';
  if (code === 'NoSuchUpload') return BY_CODE.no_such_upload;
  // The part's bytes were not those its checksum was computed from: changed on the way, sent again.
  if (code === 'BadDigest') return 'A part was damaged on the way (its checksum did not match) and is sent again from the file.';
  // A small file's URL only creates: an object of that name appeared meanwhile.
  if (code === 'PreconditionFailed' || status === 412) return BY_CODE.object_exists;
  if (status >= 500) return 'The storage service had a problem. Retrying shortly.';
  return `The storage service refused the data (HTTP ${status}${code ? `, ${code}` : ''}).`;
}
