// The admin API (`/admin/api/*`, lambdas/admin): its routes and every request and response shape,
// shared with the console.
//
// Conventions: timestamps are ISO 8601 strings (UTC); `null` means "not set" (never omitted);
// every list is paginated with an opaque `nextToken` (null on the last page) passed back as
// `?continuationToken=`. Errors are always `ApiErrorBody` (contract/errors.ts) with a catalogue `code`.
//
// State-changing calls (POST, PATCH, DELETE) must be sent by the console's fetch with
// `Content-Type: application/json` and `X-Requested-With: portal` (CSRF_HEADER; the admin Lambda's
// request guard has the rule).

import type { ScanState } from '../malware-scan.js';
import type { StoredChecksum } from '../checksums.js';
import type { ApiRoute } from './route.js';

export const ADMIN_API_BASE = '/admin/api';

/**
 * The header the console's fetch sends on every call, and its value: a cross-site form cannot set a
 * custom header, so it is the same-origin proof of last resort. Header names are case-insensitive (the
 * ALB hands the Lambda lowercased names); the value is compared without case.
 */
export const CSRF_HEADER = 'X-Requested-With';
export const CSRF_HEADER_VALUE = 'portal';

export const ADMIN_ROUTES = {
  listEndpoints: { method: 'GET', path: '/admin/api/endpoints' },
  createEndpoint: { method: 'POST', path: '/admin/api/endpoints' },
  getEndpoint: { method: 'GET', path: '/admin/api/endpoints/:name' },
  patchEndpoint: { method: 'PATCH', path: '/admin/api/endpoints/:name' },
  deleteEndpoint: { method: 'DELETE', path: '/admin/api/endpoints/:name' },
  addLogin: { method: 'POST', path: '/admin/api/endpoints/:name/logins' },
  removeLogin: { method: 'DELETE', path: '/admin/api/endpoints/:name/logins/:username' },
  resetPassword: { method: 'POST', path: '/admin/api/endpoints/:name/logins/:username/reset-password' },
  listFiles: { method: 'GET', path: '/admin/api/files' },
  downloadFile: { method: 'GET', path: '/admin/api/files/download' },
  shareFile: { method: 'POST', path: '/admin/api/files/share' },
  deleteFile: { method: 'DELETE', path: '/admin/api/files' },
  releaseFile: { method: 'POST', path: '/admin/api/files/release' },
  listAudit: { method: 'GET', path: '/admin/api/audit' },
  reconcileCatalog: { method: 'POST', path: '/admin/api/catalog/reconcile' },
  getNotifications: { method: 'GET', path: '/admin/api/endpoints/:name/notifications' },
  patchNotifications: { method: 'PATCH', path: '/admin/api/endpoints/:name/notifications' },
  rotateWebhookSecret: { method: 'POST', path: '/admin/api/endpoints/:name/notifications/webhook-secret' },
} as const satisfies Record<string, ApiRoute>;

// ---------------------------------------------------------------------------------------------
// Endpoints

/** Same values as `EndpointState` in lambdas/shared/endpoint-record.ts. */
export type EndpointState = 'active' | 'disabled' | 'expired';

/** POST /admin/api/endpoints -> 201 `CreateEndpointResult`. */
export interface CreateEndpointRequest {
  /** An endpoint name (ENDPOINT_NAME_RULE in contract/bucket-layout.ts). Unique (409 `endpoint_exists`). */
  name: string;
  /** Defaults to `name`. At most DISPLAY_NAME_MAX_CHARS (contract/limits.ts) characters. */
  displayName?: string;
  /** The first login's e-mail; customers sign in with it. */
  customerEmail: string;
  /** ISO timestamp in the future, or null for never. */
  expiresAt?: string | null;
  /** Positive integer, or null for no limit beyond S3's. */
  maxFileSizeBytes?: number | null;
  /** Bytes all files together may hold, uploads in progress included: positive integer, or null for no quota. */
  quotaBytes?: number | null;
  /** Files the endpoint may hold, uploads in progress included: positive integer, or null for no quota. */
  quotaFiles?: number | null;
  /** Extensions without the dot (`pdf`, `tar.gz`), lower-cased by the server; null or [] = any. */
  allowedExtensions?: string[] | null;
  /** Free text for admins, at most NOTES_MAX_CHARS (contract/limits.ts) characters. */
  notes?: string;
}

/** PATCH /admin/api/endpoints/:name -> 200 `EndpointSummary`. Only the fields present change. */
export interface PatchEndpointRequest {
  displayName?: string;
  expiresAt?: string | null;
  maxFileSizeBytes?: number | null;
  quotaBytes?: number | null;
  quotaFiles?: number | null;
  allowedExtensions?: string[] | null;
  notes?: string;
  /** true disables the endpoint and its logins in Cognito; false enables them again (unless expired). */
  disabled?: boolean;
  /**
   * The `version` the admin was looking at. When given and the endpoint has changed since,
   * the answer is 409 `conflict` ("changed by someone else, reload") instead of a silent overwrite.
   */
  version?: string;
}

/** DELETE /admin/api/endpoints/:name, optional JSON body -> 200 `DeleteEndpointResult`. */
export interface DeleteEndpointRequest {
  /** Also delete every file under `uploads/<name>/`. Needs `confirm` equal to the endpoint name. */
  purgeFiles?: boolean;
  /** The endpoint name typed again; 400 `confirmation_mismatch` when it differs. */
  confirm?: string;
  /**
   * The `version` the admin was looking at. When given and the endpoint has changed since, the
   * answer is 409 `conflict` and nothing is deleted.
   */
  version?: string;
}

export interface EndpointSettings {
  name: string;
  displayName: string;
  customerEmail: string;
  expiresAt: string | null;
  maxFileSizeBytes: number | null;
  /** Null = no quota. */
  quotaBytes: number | null;
  quotaFiles: number | null;
  allowedExtensions: string[] | null;
  notes: string;
  disabled: boolean;
}

export interface EndpointSummary extends EndpointSettings {
  createdAt: string;
  /** E-mail of the admin who created it. */
  createdBy: string;
  updatedAt: string;
  /** Computed now: disabled wins over expired. */
  state: EndpointState;
  loginCount: number;
  /** Opaque version (the record's ETag); send it back as `version` in PATCH. */
  version: string;
  /** Where the customer signs in, e.g. https://portal.example.com/ */
  portalUrl: string;
}

/** GET /admin/api/endpoints?q=&pageSize=&continuationToken= -> newest first. */
export interface EndpointList {
  endpoints: EndpointSummary[];
  nextToken: string | null;
}

/** Cognito's user status, or `MISSING` when the record lists a login Cognito no longer has. */
export type LoginStatus =
  | 'FORCE_CHANGE_PASSWORD'
  | 'CONFIRMED'
  | 'RESET_REQUIRED'
  | 'UNCONFIRMED'
  | 'ARCHIVED'
  | 'COMPROMISED'
  | 'EXTERNAL_PROVIDER'
  | 'UNKNOWN'
  | 'MISSING';

export interface LoginInfo {
  /** Cognito username; use it in `/logins/:username` paths. */
  username: string;
  /** What the customer types to sign in. */
  email: string;
  status: LoginStatus;
  enabled: boolean;
  createdAt: string | null;
}

/** GET /admin/api/endpoints/:name */
export interface EndpointDetail extends EndpointSummary {
  logins: LoginInfo[];
  /** From the file catalog's usage counters (no listing of the folder). */
  fileCount: number;
  totalBytes: number;
  /** Always true: the counters are the catalog's, not a count that stopped part-way (kept for older consoles). */
  usageComplete: boolean;
  /**
   * When reconcile last recomputed the counters, or null (a deployment from before the catalog counts
   * only what arrived since, until it is reconciled).
   */
  usageReconciledAt: string | null;
}

/** Credentials to hand to the customer. Shown once; the server keeps no copy of the password. */
export interface LoginCredentials {
  username: string;
  email: string;
  temporaryPassword: string;
  /** The customer's sign-in page. */
  portalUrl: string;
  /** true when Cognito also e-mailed the invitation (COGNITO_SEND_INVITE=true). */
  invitationSent: boolean;
}

export interface CreateEndpointResult {
  endpoint: EndpointSummary;
  login: LoginCredentials;
}

export interface DeleteEndpointResult {
  name: string;
  loginsRemoved: string[];
  /** Number of files deleted, or null when files were kept. */
  filesPurged: number | null;
  /** Uploads still in progress that the purge aborted (their parts deleted), or null when files were kept. */
  uploadsAborted: number | null;
}

/** POST /admin/api/endpoints/:name/logins -> 201 `LoginCredentials`. */
export interface AddLoginRequest {
  email: string;
}

// DELETE /admin/api/endpoints/:name/logins/:username -> 204, no body.
// POST /admin/api/endpoints/:name/logins/:username/reset-password (body `{}` or empty) -> 200 `LoginCredentials`.
// It also ends the login's sessions (AdminUserGlobalSignOut); 502 `sign_out_failed` when that fails
// after the password was reset (the reset is audited either way: reset it again).

// ---------------------------------------------------------------------------------------------
// Files

export interface FileEntry {
  /** Full object key (`uploads/<endpoint>/...`), for download, share and delete. */
  key: string;
  endpoint: string;
  /** The original filename the customer uploaded (falls back to the last key segment). */
  name: string;
  size: number;
  /** When the object was stored (S3's Last-Modified). */
  lastModified: string;
  /** The uploading login's e-mail or username, null when unknown. */
  uploadedBy: string | null;
  contentType: string | null;
  checksum: StoredChecksum | null;
  scan: FileScanView;
  /**
   * Whether the file's scan state lets a download through now (the console hides download and share
   * otherwise). The listing does not check that the object still exists: if it is gone, the download
   * answers 404 `file_not_found` and reconcile removes the entry.
   */
  downloadable: boolean;
}

/** A file's malware scan as the console shows it (contract/malware-scan.ts). */
export interface FileScanView {
  state: ScanState;
  /** When the result arrived, null while pending or when never scanned. */
  scannedAt: string | null;
  /** Threat names, infected files only. */
  threats: string[];
  /** An admin's release of a file that could not be scanned, or was stored before scanning was on. */
  release: { by: string; at: string; reason: string } | null;
}

/** POST /admin/api/files/release -> 200 `FileEntry`: lets a file that could not be scanned (or never was: `not_scanned` while scanning is on) be downloaded. Audited (`file.released`). */
export interface ReleaseRequest {
  key: string;
  /** Why the file may be downloaded unscanned: RELEASE_REASON_CHARS (contract/limits.ts), kept in the audit trail. */
  reason: string;
}

export type FileSortKey = 'name' | 'time' | 'size';
export type SortOrder = 'asc' | 'desc';
/** folder: one folder of an endpoint (with its sub-folders); endpoint: every folder of it; all: every endpoint. */
export type FileScope = 'folder' | 'endpoint' | 'all';

/**
 * A folder listing's first page shows at most this many sub-folders (the first by name), and never
 * more than half of the 1 MB response; `foldersTruncated` says when there are more.
 */
export const ADMIN_FILES_MAX_FOLDERS = 1000;

/**
 * GET /admin/api/files?endpoint=&prefix=&scope=&sort=&order=&name=&contains=&from=&to=&pageSize=&continuationToken=
 * Served by the file catalog (never a listing of the bucket):
 * - `endpoint` given: `scope=folder` (default) lists the folder `prefix` ('' = the endpoint's root)
 *   with its sub-folders on the first page; `scope=endpoint` every file of the endpoint (no `prefix`).
 *   Without `endpoint`: the newest arrivals across all endpoints (`scope=all`, sort by time only).
 * - `sort` name (default), time or size; `order` asc or desc (default asc for name, desc otherwise).
 * - `name`: a name prefix, case-insensitive. A key condition on the name index only when sorting by
 *   name; with `sort=time` or `size` it is a filter (see below).
 *   `contains`: a name substring, case-insensitive (always a filter).
 * - `from`, `to`: upload-time range, ISO 8601, both inclusive (a bare date is its midnight UTC; an
 *   impossible date such as 2026-02-31 is 400 `invalid_time`). A key condition on the time index only
 *   when sorting by time; with `sort=name` or `size` it is a filter.
 * - `scan`: comma-separated scan states (pending, clean, infected, unsupported, failed, too_large,
 *   not_scanned): only files in one of them (always a filter).
 * - A filter reads the index in the chosen order and drops what does not match: one call reads at
 *   most SUBSTRING_SEARCH_MAX_READ (25,000) items, so a page can hold fewer files than `pageSize`, even
 *   none, while `nextToken` says more may follow (`scanned` and `tookMs` tell what the call read).
 * - `pageSize` 50, 100 (default) or 1000. A page holds fewer when the ALB's 1 MB response cap or a
 *   filter's read budget ends it first; `nextToken` goes on from there and is valid only for the same
 *   query (400 `invalid_token` otherwise).
 * Bad sort keys, orders, page sizes, times, ranges and tokens answer 400.
 */
export interface FileListing {
  endpoint: string | null;
  /** The listed folder relative to the endpoint, '' or ending in '/'. */
  prefix: string;
  scope: FileScope;
  sort: FileSortKey;
  order: SortOrder;
  /** Sub-folders relative to the endpoint, each ending in '/' (first page of a folder listing only); pass one back as `prefix` to open it. */
  folders: string[];
  /**
   * true when `folders` is not the folder's whole list of sub-folders: only the first
   * ADMIN_FILES_MAX_FOLDERS by name are read (a `name` or `contains` search looks among those only),
   * and `folders` stops early when their names would take more than half of the response. The files of
   * the others are reached with `scope=endpoint`. false on every other page.
   */
  foldersTruncated: boolean;
  files: FileEntry[];
  nextToken: string | null;
  /** Catalog items read for this page (more than `files.length` when a search filters). */
  scanned: number;
  /** Milliseconds the catalog queries took for this page. */
  tookMs: number;
}

// GET /admin/api/files/download?key= -> 302 to a presigned GET (Content-Disposition: attachment);
// 403 `cross_site` when the browser says the request came from another site (Sec-Fetch-Site).
// DELETE /admin/api/files?key= -> 204.

/** POST /admin/api/files/share */
export interface ShareRequest {
  key: string;
  /** Requested lifetime in seconds (>= 1). More than 604800 (7 days) is granted as 7 days with `capped: true`. */
  expiresInSeconds: number;
}

export interface ShareResult {
  url: string;
  expiresAt: string;
  /** The lifetime actually granted. */
  expiresInSeconds: number;
  /** true when the granted lifetime is shorter than requested. */
  capped: boolean;
  /** Why it was capped: S3's 7-day maximum, or the signing credentials' own expiry. */
  cappedBy: 'max_lifetime' | 'credentials' | null;
  /** Human-readable explanation when capped, else null. */
  reason: string | null;
}

// ---------------------------------------------------------------------------------------------
// Audit

// A destructive action is written twice: an *intent* before its first step (no durable intent, no
// change) and its *result* after, whose `details.intentId` names the intent. An intent with no result
// means the action was cut short (a timeout, a failed write): what it names may already be changed.

export type AuditAction =
  | 'endpoint.created'
  | 'endpoint.updated'
  /** Intent of `endpoint.deleted`. */
  | 'endpoint.deleting'
  | 'endpoint.deleted'
  | 'login.added'
  /** Intent of `login.removed`. */
  | 'login.removing'
  | 'login.removed'
  /** Intent of `login.password_reset`. */
  | 'login.password_resetting'
  | 'login.password_reset'
  | 'file.downloaded'
  | 'file.shared'
  /** Intent of `file.deleted`. */
  | 'file.deleting'
  | 'file.deleted'
  /** An admin was given an upload into an endpoint through `/api/*` (before its URL is handed out). */
  | 'upload.started'
  /** Intent of `upload.completed`, written by the uploads Lambda before S3 assembles the object. */
  | 'upload.completing'
  /** An admin released a file that could not be (or never was) scanned for download (`details.reason` says why). */
  | 'file.released'
  /** The malware scan found a threat (written by the events Lambda; `details.threats`). */
  | 'file.infected'
  /**
   * An upload completed; `details` carries size and checksum. A multipart upload's is written by the
   * uploads Lambda (with `intentId`, `principalKind`); a single PUT's by the events Lambda from S3's
   * event (with `etag`, `upload: 'single PUT'`).
   */
  | 'upload.completed'
  | 'catalog.reconciled'
  /** An admin changed an endpoint's notification settings (`details`: the fields changed; never the secret). */
  | 'notifications.updated'
  /** A new webhook signing secret was made (at creation of a webhook, for a receiver of another origin, or by rotation). */
  | 'notifications.secret_rotated'
  /**
   * The notify Lambda's deliveries (actor `portal`): an e-mail or a webhook attempt, and its result. A
   * failed attempt that will be tried again is `*.retried`; `*.failed` is a failure for good.
   */
  | 'notification.sent'
  | 'notification.retried'
  | 'notification.failed'
  | 'webhook.sent'
  | 'webhook.failed'
  | 'webhook.retried'
  /** Intent of `upload.aborted`: an admin aborting an upload through `/api/*`. */
  | 'upload.aborting'
  | 'upload.aborted';

export interface AuditEvent {
  /** Unique id; also the tail of the stored object's key. */
  id: string;
  /** When the action happened. */
  at: string;
  action: AuditAction;
  actor: { subject: string; email: string };
  /** The endpoint concerned, or null. */
  endpoint: string | null;
  /** What was acted on: an endpoint name, a username, or an object key. */
  target: string;
  /** Action-specific facts (changed fields, link expiry, files purged...). Never passwords. */
  details: Record<string, unknown>;
  sourceIp: string;
  requestId: string;
}

/**
 * GET /admin/api/audit?endpoint=&from=&to=&pageSize=&continuationToken= -> newest first.
 * `from`/`to`: ISO 8601 timestamps, both inclusive (a bare date means its midnight UTC).
 * `pageSize` 1-200, default 50. A page may hold fewer events than asked while `nextToken` is set.
 */
export interface AuditPage {
  events: AuditEvent[];
  nextToken: string | null;
}

// ---------------------------------------------------------------------------------------------
// Catalog

/**
 * POST /admin/api/catalog/reconcile -> 200 `ReconcileResult`: compares the catalog of one endpoint with a
 * listing of its folder in the bucket and repairs it (missing files added, stale ones removed, damaged
 * ones rewritten, usage recomputed). Each call does a bounded share of the work; send the answer's
 * `continuationToken` back until `done`. Audited (`catalog.reconciled`).
 */
export interface ReconcileRequest {
  endpoint: string;
  continuationToken?: string | null;
}

export interface ReconcileResult {
  endpoint: string;
  done: boolean;
  /** null when done. */
  continuationToken: string | null;
  /** Totals of this run so far (this call and the earlier ones of the same run). */
  checked: number;
  added: number;
  repaired: number;
  removed: number;
  /** Files and bytes found in the bucket so far; when done, the endpoint's recomputed usage. */
  fileCount: number;
  totalBytes: number;
}

// ---------------------------------------------------------------------------------------------
// Notifications (contract/notifications.ts has the timing and the webhook body)

/**
 * GET /admin/api/endpoints/:name/notifications -> 200 `NotificationSettings`.
 * The webhook's signing secret is never answered here: only when it is made (PATCH that sets a webhook
 * where there was none or changes its URL's origin, or POST .../webhook-secret), once.
 */
export interface NotificationSettings {
  endpoint: string;
  /** Who gets the digest of arrivals and infected-file alerts (e-mail addresses). */
  adminRecipients: string[];
  /** Whether the uploader gets a receipt by e-mail for each digest of their files. */
  customerReceipt: boolean;
  webhook: { url: string; secretCreatedAt: string } | null;
  /** false when the deployment has no sender identity (config notificationSender): nothing is e-mailed. */
  emailEnabled: boolean;
}

/**
 * PATCH /admin/api/endpoints/:name/notifications -> 200 `NotificationSettingsResult`. Only the fields
 * present change. `webhookUrl`: https (loopback http only in the local portal), no user or password, not
 * an address inside a private, loopback or link-local range (400 `invalid_webhook_url`); null removes
 * the webhook and its secret. `adminRecipients`: at most 20 addresses (400 `invalid_recipients`).
 */
export interface PatchNotificationsRequest {
  adminRecipients?: string[];
  customerReceipt?: boolean;
  webhookUrl?: string | null;
}

export interface NotificationSettingsResult extends NotificationSettings {
  /** The new signing secret (`whsec_...`) when this call made one, else null. Shown once. */
  webhookSecret: string | null;
}

// POST /admin/api/endpoints/:name/notifications/webhook-secret (body `{}`) -> 200 `NotificationSettingsResult`
// with a new `webhookSecret`; the old one stops signing at once. 409 `no_webhook` when none is set.
