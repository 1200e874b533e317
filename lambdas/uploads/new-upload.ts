// What a client asks for when it starts an upload, from either form of the protocol: the JSON body of
// `POST /s3/multipart` ({filename, type, metadata}) or the query of `GET /s3/params`
// (filename=&type=&metadata[name]=). Uppy sends every file meta field as a string in `metadata`; the
// page adds `size` (bytes) and Uppy itself adds `relativePath` for folder drops.
import type { PartToSign } from '../../contract/api/uploads.js';
import { CHECKSUM_ALGORITHM, isChecksumValue, type ChecksumAlgorithm } from '../../contract/checksums.js';
import { PortalError } from '../shared/errors.js';
import { parseDeclaredSize } from './limits.js';
import { parsePartsToSign } from './parts-to-sign.js';

export interface NewUpload {
  /** As the client sent it; sanitised later. */
  filename: string;
  contentType: string;
  declaredSize: number | undefined;
  relativePath: string | undefined;
  /** Only admins choose; customers may repeat their own. */
  endpoint: string | undefined;
}

/** A raw filename is at most this long; sanitised names are capped in bytes later. */
const MAX_RAW_FILENAME = 1024;
const MAX_RELATIVE_PATH = 4096;
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;[\x20-\x7e]*)?$/i;
const DEFAULT_TYPE = 'application/octet-stream';

function optionalString(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new PortalError('invalid_metadata', `${field} must be a string`);
  if (value.length > max) throw new PortalError('invalid_metadata', `${field} is longer than ${max} characters`);
  return value;
}

function build(filename: unknown, type: unknown, metadata: Record<string, unknown>, size: unknown): NewUpload {
  if (typeof filename !== 'string' || filename.length === 0) throw new PortalError('invalid_filename', '`filename` is required');
  if (filename.length > MAX_RAW_FILENAME) throw new PortalError('filename_too_long', `The file name is longer than ${MAX_RAW_FILENAME} characters`);
  // The type is only stored as the object's Content-Type; a malformed one is replaced, not refused.
  const contentType = typeof type === 'string' && type.length <= 200 && MIME_TYPE.test(type) ? type : DEFAULT_TYPE;
  return {
    filename,
    contentType,
    declaredSize: parseDeclaredSize(size ?? metadata.size),
    relativePath: optionalString(metadata.relativePath, 'metadata.relativePath', MAX_RELATIVE_PATH),
    endpoint: optionalString(metadata.endpoint, 'metadata.endpoint', 64),
  };
}

export function parseCreateBody(body: unknown): NewUpload {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new PortalError('invalid_body', 'The body must be a JSON object {filename, type, metadata}');
  }
  const { filename, type, metadata, size } = body as Record<string, unknown>;
  if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) {
    throw new PortalError('invalid_metadata', '`metadata` must be an object');
  }
  return build(filename, type, (metadata ?? {}) as Record<string, unknown>, size);
}

export function parseParamsQuery(query: Record<string, string>): NewUpload {
  const metadata: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(query)) {
    const match = /^metadata\[(.+)\]$/.exec(name);
    if (match) metadata[match[1]!] = value;
  }
  return build(query.filename, query.type, metadata, query.size);
}

/** A create body's `checksumAlgorithm`: CRC64NVME (the portal's page), or absent (a stock client). */
export function parseChecksumAlgorithm(value: unknown): ChecksumAlgorithm | null {
  if (value === undefined || value === null) return null;
  if (value !== CHECKSUM_ALGORITHM) throw new PortalError('invalid_checksum_algorithm', `The only checksum algorithm is ${CHECKSUM_ALGORITHM}`);
  return value;
}

/** A small file's `checksum` query parameter: the whole file's base64 CRC64NVME, or absent. */
export function parseFileChecksum(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!isChecksumValue(value)) throw new PortalError('invalid_checksum', "`checksum` must be the file's base64 CRC64NVME (12 characters)");
  return value;
}

export interface CreateRequest {
  upload: NewUpload;
  /** CRC64NVME from the portal's page; null from a stock client. */
  checksumAlgorithm: ChecksumAlgorithm | null;
  /** Parts to sign along with the new upload (the portal's page), each binding its checksum. */
  parts: PartToSign[] | undefined;
}

/** A create body, every field checked before anything is reserved or created. */
export function parseCreateRequest(body: unknown): CreateRequest {
  const upload = parseCreateBody(body);
  const { checksumAlgorithm: rawAlgorithm, parts: rawParts } = body as { checksumAlgorithm?: unknown; parts?: unknown };
  const checksumAlgorithm = parseChecksumAlgorithm(rawAlgorithm);
  const parts = rawParts === undefined || rawParts === null ? undefined : parsePartsToSign(rawParts);
  if (parts && !checksumAlgorithm) {
    throw new PortalError('checksum_required', 'Parts signed along with a new upload carry checksums: create it with checksumAlgorithm');
  }
  return { upload, checksumAlgorithm, parts };
}
