// The uploads API behind `/api/*` (lambdas/uploads): the Companion S3 protocol as `@uppy/aws-s3` calls
// it with `endpoint: '/api'`, the batch signing call, `GET /api/me` and `GET /api/files`. The page and
// the Lambda use these types; stock Companion clients send the plain protocol and get plain answers.
//
// Query values are URL-encoded; `key` (the object key an upload was given at create) accompanies every
// call about an existing upload. Errors are always `ApiErrorBody` (contract/errors.ts).
import type { ApiRoute } from './route.js';

export const UPLOADS_API_BASE = '/api';

export const UPLOADS_ROUTES = {
  /** Body `CreateMultipartRequest` -> `CreateMultipartResponse`. */
  createMultipart: { method: 'POST', path: '/api/s3/multipart' },
  /** `?key=&partNumbers=1,2,3` (at most MAX_BATCH_PARTS) -> `SignPartsResponse`. */
  signParts: { method: 'GET', path: '/api/s3/multipart/:uploadId/batch' },
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
  /** `?endpoint=` (admins only) -> `MeResponse`. */
  me: { method: 'GET', path: '/api/me' },
  /** `?endpoint=` (admins only) `&continuationToken=&pageSize=` -> `FilePage`. */
  files: { method: 'GET', path: '/api/files' },
} as const satisfies Record<string, ApiRoute>;

/**
 * The metadata the API reads, as Uppy sends it: every value a string. `size` is the file's size in
 * bytes (the page always sends it; stock clients may not), `relativePath` the folder-drop path (Uppy
 * adds it), `endpoint` the target of an admin's upload.
 */
export interface UploadMetadata {
  size?: string;
  relativePath?: string;
  endpoint?: string;
}

export interface CreateMultipartRequest {
  filename: string;
  /** The file's MIME type; a malformed one is stored as application/octet-stream. */
  type?: string;
  metadata?: UploadMetadata;
  /** The portal's page only: parts to sign along with the new upload (as the batch call takes them). */
  partNumbers?: number[];
}

export interface CreateMultipartResponse {
  /** The key the server chose (`uploads/<endpoint>/<folders>/<name>`); send it back with every call. */
  key: string;
  uploadId: string;
  /** Present when the request named `partNumbers`: part number -> presigned PUT URL. */
  presignedUrls?: Record<string, string>;
}

export interface SignPartsResponse {
  presignedUrls: Record<string, string>;
}

export interface SignPartResponse {
  url: string;
  /** Seconds the URL is valid for. */
  expires: number;
}

/** What S3 holds so far, in part-number order. */
export type ListPartsResponse = { PartNumber: number; Size: number; ETag: string }[];

export interface CompleteMultipartRequest {
  parts: { PartNumber: number; ETag: string }[];
}

export interface CompleteMultipartResponse {
  key: string;
  location: string | null;
}

/** `GET /api/s3/params?filename=&type=&metadata[size]=...`: the plain protocol's query form. */
export interface SmallUploadQuery {
  filename: string;
  type?: string;
  [metadataField: `metadata[${string}]`]: string;
}

export interface SmallUploadParameters {
  method: 'POST';
  url: string;
  /** Form fields to send before the file, as they are. */
  fields: Record<string, string>;
  /** Seconds the policy is valid for. */
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
}

export interface MeResponse {
  user: { email: string; username: string; kind: 'customer' | 'admin' };
  endpoint: {
    name: string;
    displayName: string;
    expiresAt: string | null;
    maxFileSizeBytes: number | null;
    allowedExtensions: string[] | null;
  } | null;
  upload: UploadSettings;
}

export interface FileEntry {
  /** The file's name in the bucket (the sanitised original, `name (2).pdf` for a duplicate). */
  name: string;
  /** Folders below the endpoint, `a/b`; '' at the top. */
  relativePath: string;
  size: number;
  lastModified: string | null;
}

export interface FilePage {
  files: FileEntry[];
  /** Pass back as `continuationToken`; null on the last page. */
  nextToken: string | null;
}
