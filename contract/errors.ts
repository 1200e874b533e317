// THE error catalogue: every code the portal's APIs answer, with its HTTP status and default message.
// The Lambdas throw only these codes (lambdas/shared/errors.ts takes the status from here), the page
// keeps one message per code (web/src/shared/error-messages.ts, typed as a record over ErrorCode), and
// README's error table is this list. Every error body is `{"error": {"code", "message"}}`.
//
// `expose: false` marks errors whose message never leaves the server: the caller sees `server_error`.
// A number a message names is built from its definition, so the message cannot drift from the rule.
import { ENDPOINT_NAME_RULE } from './bucket-layout.js';
import { MAX_ALLOWED_EXTENSIONS } from './extensions.js';
import { ALB_MAX_BODY_BYTES, GiB, MAX_BATCH_PARTS, MiB, MAX_NAME_BYTES, RELEASE_REASON_CHARS, S3_MAX_KEY_BYTES, S3_MAX_PART_BYTES, S3_MAX_PARTS, S3_MIN_PART_BYTES } from './limits.js';
import { MAX_ADMIN_RECIPIENTS } from './notifications.js';
import { formatByteCount } from './number-format.js';


export interface ErrorSpec {
  readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 412 | 413 | 415 | 429 | 500 | 502 | 503;
  readonly message: string;
  /** @default status < 500 */
  readonly expose?: boolean;
}

export const ERROR_CATALOGUE = {
  // 400: the request itself is wrong; sending it again unchanged fails again.
  bad_path: { status: 400, message: 'The path is not valid URL encoding' },
  bad_query: { status: 400, message: 'The query string is not valid URL encoding' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON' },
  invalid_body: { status: 400, message: 'The request body does not have the expected shape' },
  unknown_field: { status: 400, message: 'The request body has a field this API does not know' },
  invalid_field: { status: 400, message: 'A field of the request body is not valid' },
  nothing_to_change: { status: 400, message: 'The request changes nothing' },
  invalid_filename: { status: 400, message: 'The file name is empty once unsafe characters are removed' },
  filename_too_long: { status: 400, message: `The file name is longer than ${MAX_NAME_BYTES} bytes` },
  relative_path_too_long: { status: 400, message: `A folder name in the relative path is longer than ${MAX_NAME_BYTES} bytes` },
  key_too_long: { status: 400, message: `The file's path and name are longer than S3 allows (${formatByteCount(S3_MAX_KEY_BYTES)})` },
  invalid_metadata: { status: 400, message: 'The upload metadata is not valid' },
  invalid_size: { status: 400, message: 'The declared size must be a whole number of bytes' },
  extension_not_allowed: { status: 400, message: 'This endpoint does not accept files of this type' },
  use_multipart: { status: 400, message: 'Files this large must be sent as a multipart upload' },
  missing_key: { status: 400, message: 'The `key` query parameter is required' },
  invalid_key: { status: 400, message: 'Not a valid file key' },
  invalid_scan_state: { status: 400, message: 'Not a scan state (pending, clean, infected, unsupported, failed, too_large, not_scanned)' },
  invalid_release_reason: { status: 400, message: `A release needs a written reason of ${RELEASE_REASON_CHARS.min} to ${RELEASE_REASON_CHARS.max} characters` },
  invalid_prefix: { status: 400, message: 'Not a valid folder prefix' },
  invalid_upload_id: { status: 400, message: 'Not a valid upload id' },
  invalid_part_number: { status: 400, message: `Part numbers are whole numbers from 1 to ${S3_MAX_PARTS}` },
  too_many_parts: { status: 400, message: `A batch may sign at most ${MAX_BATCH_PARTS} parts` },
  invalid_part_size: { status: 400, message: `A part size is a whole number of bytes from 1 to ${S3_MAX_PART_BYTES / GiB} GiB` },
  invalid_checksum: { status: 400, message: 'A checksum must be the base64 CRC64NVME of the bytes (12 characters)' },
  invalid_checksum_algorithm: { status: 400, message: 'The only checksum algorithm is CRC64NVME' },
  checksum_required: { status: 400, message: 'This upload is checksummed: every part URL and the completion need their checksum' },
  size_required: { status: 400, message: "The file's size (metadata[size]) is required: the upload's URLs bind its exact length" },
  invalid_parts: { status: 400, message: 'The body must be {"parts": [{"PartNumber", "ETag"}, ...]} with at least one part' },
  duplicate_part: { status: 400, message: 'A part is listed more than once' },
  parts_not_contiguous: { status: 400, message: 'Parts must be numbered from 1 without gaps' },
  invalid_page_size: { status: 400, message: 'The page size is out of range' },
  invalid_token: { status: 400, message: 'Not a valid continuation token' },
  invalid_time: { status: 400, message: 'Not a valid ISO 8601 time' },
  invalid_time_range: { status: 400, message: 'The time range is empty: `from` is after `to`' },
  invalid_sort: { status: 400, message: 'sort must be name, time or size, and order asc or desc' },
  invalid_search: { status: 400, message: 'The search text is not valid for this listing' },
  endpoint_required: { status: 400, message: 'Name the endpoint to act in (metadata.endpoint or ?endpoint=)' },
  invalid_endpoint: { status: 400, message: 'Not a valid endpoint name' },
  invalid_name: { status: 400, message: `Name must be ${ENDPOINT_NAME_RULE}` },
  invalid_email: { status: 400, message: 'Not an e-mail address' },
  invalid_expiry: { status: 400, message: 'expiresAt must be an ISO 8601 timestamp in the future, or null' },
  invalid_max_file_size: { status: 400, message: 'maxFileSizeBytes must be a positive whole number or null' },
  invalid_quota: { status: 400, message: 'quotaBytes and quotaFiles must be positive whole numbers or null' },
  part_beyond_size: { status: 400, message: 'This part lies beyond the size declared for the upload (its part count or part size)' },
  invalid_extensions: { status: 400, message: `allowedExtensions must be a list of at most ${MAX_ALLOWED_EXTENSIONS} file extensions, or null` },
  confirmation_mismatch: { status: 400, message: 'The name typed does not match the endpoint name' },
  invalid_password: { status: 400, message: 'The password does not meet the user pool policy' },
  invalid_login_parameter: { status: 400, message: 'The user directory refused the request' },
  invalid_recipients: { status: 400, message: `adminRecipients must be a list of at most ${MAX_ADMIN_RECIPIENTS} e-mail addresses` },
  invalid_webhook_url: { status: 400, message: 'The webhook URL must be https, without user or password, and not on a private, loopback or link-local address' },

  // 401: no verified identity (the ALB session is missing or ended).
  unauthenticated: { status: 401, message: 'Authentication required' },
  // The session began before the login's password was reset or the login was removed: sign in again.
  session_revoked: { status: 401, message: 'This session was ended by an administrator; sign in again' },

  // 403: the caller may not do this.
  admin_not_allowed: { status: 403, message: "Your account is not on this portal's list of administrators" },
  admin_only: { status: 403, message: 'Only portal administrators may use this API' },
  csrf_rejected: { status: 403, message: 'State-changing requests must come from the console (X-Requested-With and a same-origin Origin)' },
  cross_site: { status: 403, message: 'Downloads must be started from the admin console' },
  no_endpoint: { status: 403, message: 'This login is not bound to an upload endpoint' },
  endpoint_forbidden: { status: 403, message: 'You may only upload into your own endpoint' },
  endpoint_unknown: { status: 403, message: 'Your upload endpoint no longer exists' },
  endpoint_disabled: { status: 403, message: 'This upload endpoint has been disabled' },
  endpoint_expired: { status: 403, message: 'This upload endpoint has expired' },
  login_removed: { status: 403, message: 'This login has been removed from the upload endpoint' },
  key_forbidden: { status: 403, message: 'This key is outside your upload endpoint' },
  key_outside_uploads: { status: 403, message: 'That key is outside the uploads area' },

  // 404
  not_found: { status: 404, message: 'Not found' },
  endpoint_not_found: { status: 404, message: 'There is no upload endpoint of this name' },
  login_not_found: { status: 404, message: 'No such login' },
  file_not_found: { status: 404, message: 'No such file' },
  no_such_upload: { status: 404, message: 'No such upload: it was completed, aborted or has expired' },

  // 405
  method_not_allowed: { status: 405, message: 'This method is not allowed here' },

  // 409: the request conflicts with the stored state; it may succeed once that changes.
  conflict: { status: 409, message: 'The endpoint was changed by someone else; reload and try again' },
  endpoint_exists: { status: 409, message: 'An endpoint of this name already exists' },
  name_has_files: { status: 409, message: 'Files of an earlier endpoint of this name remain; purge them or pick another name' },
  login_exists: { status: 409, message: 'A login with this e-mail address already exists' },
  file_recently_uploaded: { status: 409, message: 'This file arrived moments ago, and its upload link may still be valid; delete it again in a few minutes' },
  purge_too_soon: { status: 409, message: 'The endpoint was open moments ago and an upload link it handed out may still be valid; its access has ended, so delete it again in a few minutes to purge its files' },
  too_many_logins: { status: 409, message: 'This endpoint has the most logins it may have' },
  name_unavailable: { status: 409, message: 'Could not find a free name for this file; rename it and try again' },
  object_exists: { status: 409, message: 'A file with this name was stored meanwhile and was not replaced' },
  file_infected: { status: 409, message: 'Malware was found in this file: it can never be downloaded or released, only deleted' },
  scan_pending: { status: 409, message: 'This file is still being checked for malware; it can be downloaded once the scan finds it clean' },
  scan_not_released: { status: 409, message: 'This file was not checked for malware (it could not be, or was stored before scanning was on); an admin must release it with a reason before it can be downloaded' },
  file_not_releasable: { status: 409, message: 'Only a file that could not be scanned (too large, unsupported, failed) or was never scanned (stored before scanning was on) can be released' },
  upload_unverifiable: { status: 409, message: 'This upload was not started by the portal, so its size cannot be verified' },
  parts_missing: { status: 409, message: 'S3 does not hold every listed part yet' },
  unexpected_parts: { status: 409, message: 'S3 holds parts beyond the ones listed' },
  etag_mismatch: { status: 409, message: 'A part ETag does not match the part S3 holds' },
  part_too_small: { status: 409, message: `A part other than the last is smaller than ${S3_MIN_PART_BYTES / MiB} MiB` },
  parts_changed: { status: 409, message: 'The parts changed while completing; list the parts and try again' },
  size_mismatch: { status: 409, message: 'The parts do not add up to the size declared for this file' },
  complete_in_progress: { status: 409, message: 'Another request is completing an upload to this key; try again shortly' },
  part_checksum_missing: { status: 409, message: 'A part S3 holds carries no checksum; send it again with its checksum' },
  no_webhook: { status: 409, message: 'This endpoint has no webhook; set a webhook URL first' },
  checksum_mismatch: { status: 409, message: "The file's checksum does not match the parts S3 holds; nothing was stored" },

  // 413
  body_too_large: { status: 413, message: `The request body exceeds ${formatByteCount(ALB_MAX_BODY_BYTES)}` },
  file_too_large: { status: 413, message: "The file exceeds this endpoint's size limit" },
  // 413, not 409: sending the same file again cannot succeed until files are removed or the quota is
  // raised, and Uppy retries a 409 (it fails a 413 at once, which is what the page wants to show).
  quota_exceeded: { status: 413, message: "The file does not fit in what is left of this endpoint's quota" },

  // 415
  unsupported_media_type: { status: 415, message: 'Content-Type must be application/json' },

  // 429: too many at once; it succeeds once earlier work finishes. Uppy backs off and retries a 429.
  // rate_limited is answered by the web ACL in front of the portal (infra/waf.ts), not by a Lambda;
  // too_many_open_uploads by the uploads Lambda (a per-login cap on open multipart uploads, freed by
  // completing or aborting one: a 409 would claim a conflict with stored state no retry resolves).
  too_many_open_uploads: { status: 429, message: 'This login has the most open uploads it may have; finish or cancel one first' },
  // The endpoint's cap on uploads in progress or just landed (quota-holds.ts); it frees itself as they
  // end and the catalog counts the landed files, within minutes.
  too_many_uploads_in_progress: { status: 429, message: 'This endpoint has the most uploads in progress it may have at once; try again in a few minutes' },
  rate_limited: { status: 429, message: 'Too many requests from this address; wait a few minutes and try again' },

  // 5xx: the portal or a service behind it failed; trying again later may succeed.
  server_error: { status: 500, message: 'Internal server error', expose: false },
  purge_failed: { status: 500, message: 'Deleting the files stopped part-way; delete again to finish', expose: true },
  invitation_failed: { status: 502, message: 'The invitation e-mail could not be sent', expose: true },
  sign_out_failed: { status: 502, message: "The password was reset, but the login's open sessions could not be ended; reset it again", expose: true },
  directory_busy: { status: 503, message: 'The user directory is busy; try again shortly', expose: true },
  credentials_expiring: { status: 503, message: 'The portal is renewing its credentials; try again in a minute', expose: true },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export type ErrorStatus = ErrorSpec['status'];
/** The codes whose status is `S`, e.g. `CodeWithStatus<409>`. */
export type CodeWithStatus<S extends ErrorStatus> = { [C in ErrorCode]: (typeof ERROR_CATALOGUE)[C]['status'] extends S ? C : never }[ErrorCode];

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export const isErrorCode = (value: unknown): value is ErrorCode => typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);

/** Whether the caller sees the message (and code) of this error, or a plain `server_error`. */
export const isExposed = (code: ErrorCode): boolean => {
  const spec: ErrorSpec = ERROR_CATALOGUE[code];
  return spec.expose ?? spec.status < 500;
};

/** Every error answer of the portal's APIs. */
export interface ApiErrorBody {
  error: { code: ErrorCode; message: string };
}

/** The JSON body of an error answer with the catalogue's default message. */
export const errorBody = (code: ErrorCode, message: string = ERROR_CATALOGUE[code].message): ApiErrorBody => ({ error: { code, message } });
