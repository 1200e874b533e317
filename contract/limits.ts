// The numbers the page and the server both apply: S3's multipart limits, the portal's batch and page
// sizes, name limits, and the upload defaults the stack passes to the uploads Lambda (which tells the
// page through GET /api/me). Each has one definition here.

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** S3 multipart limits (AWS "Amazon S3 multipart upload limits"): parts 5 MiB..5 GiB (the last may be smaller), numbered 1..10,000. */
export const S3_MIN_PART_BYTES = 5 * MiB;
export const S3_MAX_PART_BYTES = 5 * GiB;
export const S3_MAX_PARTS = 10_000;
/** The largest object multipart can assemble: 10,000 parts of 5 GiB (S3 may refuse less at completion). */
export const S3_MAX_OBJECT_BYTES = S3_MAX_PARTS * S3_MAX_PART_BYTES;
/** The largest object one PutObject stores (AWS "Upload an object in a single operation"). */
export const S3_MAX_PUT_BYTES = 5 * GiB;
/** ListParts returns at most this many parts per page. */
export const S3_LIST_PARTS_PAGE = 1000;
/** S3's limit for a whole key (UTF-8 bytes). */
export const S3_MAX_KEY_BYTES = 1024;
/** An object key in an S3 or GuardDuty event: S3 keys there may be URL-encoded, at most three characters per byte. */
export const MAX_EVENT_KEY_CHARS = 3 * S3_MAX_KEY_BYTES;
/** SigV4 presigned URLs live at most 7 days. */
export const SIGV4_MAX_EXPIRES_SECONDS = 604_800;

/** Most file systems cap a name at 255 bytes; a longer file or folder name could not be saved back on download. */
export const MAX_NAME_BYTES = 255;

/** Part URLs one call signs at most: a batch answers within the ALB's 1 MB limit (100 URLs of ~2 KB) and bounds the work per call. */
export const MAX_BATCH_PARTS = 100;

/**
 * The ALB's limits for a Lambda target (AWS "Use Lambda functions as targets of an Application Load
 * Balancer"), each "1 MB", read as 1,000,000 bytes, the stricter reading: the request body it passes
 * on, and the response JSON it takes back (the whole Lambda result: status, headers and the body as
 * sent, base64 where it applies), over which the client gets 502.
 */
export const ALB_MAX_BODY_BYTES = 1_000_000;
export const ALB_MAX_RESPONSE_JSON_BYTES = 1_000_000;

/** An endpoint's display name (the customer sees it) and its notes (admins only), in characters after trimming. */
export const DISPLAY_NAME_MAX_CHARS = 120;
export const NOTES_MAX_CHARS = 2000;

/** The written reason an admin gives to release a file that was not scanned, in characters: kept in the audit trail. */
export const RELEASE_REASON_CHARS = { min: 10, max: 1000 } as const;

/** Logins one endpoint may have: each is a Cognito user the admin console lists with one call each. */
export const MAX_LOGINS_PER_ENDPOINT = 50;

/** Page sizes the admin file browser offers (GET /admin/api/files); any other is 400 `invalid_page_size`. */
export const ADMIN_FILES_PAGE_SIZES = [50, 100, 1000] as const;
export const ADMIN_FILES_DEFAULT_PAGE_SIZE = 100;

/** Longest name search (prefix or substring), in characters: a file name has at most 255 bytes. */
export const MAX_FILE_SEARCH_CHARS = 255;

/**
 * A name-substring search reads the index page by page and filters; one request reads at most this many
 * catalog items, then answers what it found with a token to read on (so a rare match in 100,000 files
 * never runs into the Lambda's timeout).
 */
export const SUBSTRING_SEARCH_MAX_READ = 25_000;

/** Page sizes of the admin console's endpoint list (GET /admin/api/endpoints): any other is 400 `invalid_page_size`. */
export const ENDPOINTS_PAGE = { default: 50, max: 200 } as const;
/** Page sizes of the audit trail (GET /admin/api/audit); the console exports it in pages of the largest. */
export const AUDIT_PAGE = { default: 50, max: 200 } as const;

/** Page sizes of the customer's "Received files" list (GET /api/files). */
export const FILES_PAGE = { default: 100, max: 1000 } as const;

/** How the page uploads, unless the deployment says otherwise (the stack's config, the uploads Lambda's environment). */
export const UPLOAD_DEFAULTS = {
  /** Parallel part uploads per browser. A browser opens at most 6 HTTP/1.1 connections per host. */
  concurrency: 6,
  /** Files from this size on use multipart; smaller ones one presigned request. Uppy's own default. */
  multipartThresholdBytes: 100 * MiB,
  /** Smallest part size the page uses: fewer requests than S3's 5 MiB minimum. */
  minPartSizeBytes: 16 * MiB,
  /**
   * Lifetime of presigned part URLs: minutes, so a URL handed out before a login was removed or an
   * endpoint disabled stops working soon (completion is refused at once anyway). The page re-signs on
   * expiry (its URL cache drops expired URLs; Uppy re-signs on a 403 "Request has expired").
   */
  presignExpiresSeconds: 600,
  /**
   * Days after it began that an unfinished multipart upload is aborted by the bucket's lifecycle rule
   * (its parts deleted): long enough for a multi-day upload over a slow link, short enough that
   * abandoned parts are not billed for long.
   */
  incompleteUploadDays: 7,
} as const;

/**
 * Open (not yet completed or aborted) multipart uploads one login may have at a time, unless the
 * deployment says otherwise: each holds quota and is billed for its parts until it ends.
 */
export const DEFAULT_MAX_OPEN_UPLOADS_PER_LOGIN = 20;

/**
 * A small file's presigned PUT lives at most this long (the uploads Lambda signs it for the lesser of
 * this and the part URL lifetime). The admin Lambda relies on it too: a file stored less than this long
 * ago may still have a live URL that would store it again after a delete.
 */
export const SMALL_UPLOAD_MAX_EXPIRES_SECONDS = 300;

/**
 * How long the uploads Lambda keeps an endpoint record it has read: a change (disabled, a login
 * removed) reaches its answers within this. The admin Lambda counts on it too: an endpoint disabled
 * less than this ago may still be handed new upload URLs.
 */
export const ENDPOINT_RECORD_CACHE_SECONDS = 30;

/** Clock skew allowed between S3's or another Lambda's time and this one's, where a wait is computed from it. */
export const CLOCK_MARGIN_SECONDS = 30;
