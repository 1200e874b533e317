// The uploads API behind `/api/*` (lambdas/uploads): the Companion S3 protocol as `@uppy/aws-s3` calls
// it with `endpoint: '/api'`, the batch signing call, `GET /api/me` and `GET /api/files`. The page and
// the Lambda use these types; stock Companion clients send the plain protocol and get plain answers.
//
// Query values are URL-encoded; `key` (the object key an upload was given at create) accompanies every
// call about an existing upload. Errors are always `ApiErrorBody` (contract/errors.ts).
import type { ScanState } from '../malware-scan.js';
import type { ChecksumAlgorithm, FileChecksum, StoredChecksum } from '../checksums.js';
import type { ApiRoute } from './route.js';

export const UPLOADS_API_BASE = '/api';

export const UPLOADS_ROUTES = {
  /** Body `CreateMultipartRequest` -> `CreateMultipartResponse`. */
  createMultipart: { method: 'POST', path: '/api/s3/multipart' },
  /** `?key=`, body `SignPartsRequest` (at most MAX_BATCH_PARTS parts) -> `SignPartsResponse`. */
  signParts: { method: 'POST', path: '/api/s3/multipart/:uploadId/batch' },
  /** `?key=`, body `CompleteMultipartRequest` -> `CompleteMultipartResponse`. */
  completeMultipart: { method: 'POST', path: '/api/s3/multipart/:uploadId/complete' },
  /** `?key=` -> `SignPartResponse` (the plain protocol's one-part call). */
  signPart: { method: 'GET', path: '/api/s3/multipart/:uploadId/:partNumber' },
  /** `?key=` -> `ListPartsResponse`. */
  listParts: { method: 'GET', path: '/api/s3/multipart/:uploadId' },
  /** `?key=` -> `{}`; the upload's parts are deleted. */
  abortMultipart: { method: 'DELETE', path: '/api/s3/multipart/:uploadId' },
  /** `SmallUploadQuery` -> `SmallUploadParameters`: one presigned request for a file under the multipart threshold. */
  smallUpload: { method: 'GET', path: '/api/s3/params' },
  /**
   * `?endpoint=` (admins only) -> `OpenUploadsResponse`: the caller's login's unfinished multipart
   * uploads, so a page that lost track of them (signed out, site data cleared) can cancel them.
   */
  openUploads: { method: 'GET', path: '/api/s3/multipart' },
  /** `?endpoint=` (admins only) -> `MeResponse`. */
  me: { method: 'GET', path: '/api/me' },
  /** `?endpoint=` (admins only) `&continuationToken=&pageSize=` -> `FilePage`. */
  files: { method: 'GET', path: '/api/files' },
} as const satisfies Record<string, ApiRoute>;

/**
 * The metadata the API reads, as Uppy sends it: every value a string. `size` is the file's size in
 * bytes (the page always sends it; stock clients may not, except for a small file or a multipart
 * upload whose bound, the least of the maximum file size and the quota left, is under 5 GiB: 400
 * `size_required`), `relativePath` the folder-drop path (Uppy
 * adds it), `endpoint` the target of an admin's upload.
 */
export interface UploadMetadata {
  size?: string;
  relativePath?: string;
  endpoint?: string;
}

/**
 * One part the page asks a URL for: its number, its exact size and the CRC64NVME of its bytes, all
 * three bound into the URL's signature, so S3 accepts exactly these bytes as this part.
 */
export interface PartToSign {
  partNumber: number;
  size: number;
  /** Base64 CRC64NVME of the part (contract/checksums.ts). */
  checksum: string;
}

export interface CreateMultipartRequest {
  filename: string;
  /** The file's MIME type; a malformed one is stored as application/octet-stream. */
  type?: string;
  metadata?: UploadMetadata;
  /**
   * The portal's page: the file is checksummed, so every part URL needs its checksum and completion
   * needs the whole file's. Stock Companion clients send none: S3 then computes the checksums itself,
   * which proves the stored object consistent but not equal to the file on the sender's disk.
   */
  checksumAlgorithm?: ChecksumAlgorithm;
  /** The portal's page: parts to sign along with the new upload (as the batch call takes them). */
  parts?: PartToSign[];
}

export interface CreateMultipartResponse {
  /** The key the server chose (`uploads/<endpoint>/<folders>/<name>`); send it back with every call. */
  key: string;
  uploadId: string;
  /** Present when the request named `parts`: part number -> presigned PUT URL. */
  presignedUrls?: Record<string, string>;
}

export interface SignPartsRequest {
  parts: PartToSign[];
}

export interface SignPartsResponse {
  presignedUrls: Record<string, string>;
}

export interface SignPartResponse {
  url: string;
  /** Seconds the URL is valid for. */
  expires: number;
}

/** What S3 holds so far, in part-number order, with each part's checksum as S3 verified it. */
export type ListPartsResponse = { PartNumber: number; Size: number; ETag: string; ChecksumCRC64NVME?: string }[];

export interface CompleteMultipartRequest {
  parts: { PartNumber: number; ETag: string }[];
  /** The whole file's base64 CRC64NVME, which S3 checks the assembled object against (required for a checksummed upload). */
  checksum?: string;
}

export interface CompleteMultipartResponse {
  key: string;
  location: string | null;
  /** The stored object's checksum, as S3 verified and keeps it; null when S3 reported none. */
  checksum: FileChecksum | null;
}

/** One unfinished multipart upload of the caller's login (abort it with `abortMultipart`). */
export interface OpenUpload {
  key: string;
  uploadId: string;
  /** The key's last segment: the name the file is stored under. */
  name: string;
  /** When it was created (ISO 8601). */
  startedAt: string;
}

export interface OpenUploadsResponse {
  uploads: OpenUpload[];
}

/** `GET /api/s3/params?filename=&type=&metadata[size]=...&checksum=`: the plain protocol's query form. */
export interface SmallUploadQuery {
  filename: string;
  type?: string;
  /** The portal's page: the file's base64 CRC64NVME, signed into the URL. */
  checksum?: string;
  [metadataField: `metadata[${string}]`]: string;
}

/**
 * One presigned PUT for a file under the multipart threshold, as `@uppy/aws-s3` takes it: send the
 * file with exactly these headers (they are signed: the length, the type, the metadata, the checksum
 * and `If-None-Match: *`, so the URL stores this file once and never replaces an object).
 */
export interface SmallUploadParameters {
  method: 'PUT';
  url: string;
  /**
   * The headers to send as they are. `Content-Length` is signed too, but not listed: browsers refuse
   * to set it (a forbidden header) and send the body's length themselves.
   */
  headers: Record<string, string>;
  /**
   * The key the server chose (`uploads/<endpoint>/<folders>/<name>`), which the URL's path carries in
   * an endpoint-dependent form (path style or virtual-hosted). This portal always sends it; stock
   * clients ignore it.
   */
  key?: string;
  /** Seconds the URL is valid for (at most 5 minutes). */
  expires: number;
}

/** How the page must upload: the deployment's settings and S3's limits, so the browser never guesses. */
export interface UploadSettings {
  concurrency: number;
  multipartThresholdBytes: number;
  minPartSizeBytes: number;
  presignExpiresSeconds: number;
  maxParts: number;
  maxPartsPerBatch: number;
  /** Every part and every file is checksummed with this algorithm. */
  checksumAlgorithm: ChecksumAlgorithm;
  /**
   * An unfinished multipart upload is aborted (its parts deleted) this many days after it began, by the
   * bucket's lifecycle rule; the page shows each resumable upload's deadline from it.
   */
  incompleteUploadDays: number;
}

export interface MeResponse {
  user: { email: string; username: string; kind: 'customer' | 'admin' };
  endpoint: {
    name: string;
    displayName: string;
    expiresAt: string | null;
    maxFileSizeBytes: number | null;
    allowedExtensions: string[] | null;
    /** What the endpoint may hold and what is left of it (uploads in progress count as used). */
    quota: EndpointQuota;
  } | null;
  upload: UploadSettings;
}

/** An endpoint's quota as the customer sees it; a null quota means none (and null left). */
export interface EndpointQuota {
  quotaBytes: number | null;
  quotaFiles: number | null;
  /** Stored files and uploads in progress (admitted, not yet counted by the catalog). */
  usedBytes: number;
  usedFiles: number;
  leftBytes: number | null;
  leftFiles: number | null;
}

export interface FileEntry {
  /** The file's name in the bucket (the sanitised original, `name (2).pdf` for a duplicate). */
  name: string;
  /** Folders below the endpoint, `a/b`; '' at the top. */
  relativePath: string;
  size: number;
  lastModified: string | null;
  /** The malware scan (contract/malware-scan.ts): the page says "received, being checked" while pending. Absent from older servers. */
  scan?: ScanState;
  /** Absent when S3 keeps no checksum for the file (or from older servers). */
  checksum?: StoredChecksum;
}

export interface FilePage {
  files: FileEntry[];
  /** Pass back as `continuationToken`; null on the last page. */
  nextToken: string | null;
}
