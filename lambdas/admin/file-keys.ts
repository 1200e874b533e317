// Rules for the object keys and folder prefixes the file browser accepts: pure, table-tested.
// Admin file operations reach `uploads/<endpoint>/...` only, never the portal's own `_portal/` records.
import { PortalError } from '../shared/errors.js';
import { S3_MAX_KEY_BYTES } from '../../contract/limits.js';
import { UPLOADS_PREFIX, endpointPrefix, isEndpointName } from '../../contract/bucket-layout.js';

export interface UploadKey {
  key: string;
  endpoint: string;
}

/**
 * A file key inside some endpoint's folder: `uploads/<endpoint>/<at least one more character>`.
 * Looser than the uploads Lambda's `parseObjectKey` (keys it could have made) on purpose: an admin
 * must also reach files put there by other tools. Never `uploads/.portal-pending/` (not an endpoint).
 * `.`/`..` segments are refused although S3 treats them literally: browsers normalise them in a
 * presigned URL's path, and no upload ever has them.
 */
export function parseUploadKey(raw: unknown): UploadKey {
  if (typeof raw !== 'string' || raw === '') throw new PortalError('missing_key', 'key is required');
  if (Buffer.byteLength(raw, 'utf8') > S3_MAX_KEY_BYTES) throw new PortalError('invalid_key', 'key is too long');
  const refuse = () => new PortalError('key_outside_uploads', 'Only files inside an endpoint folder under uploads/ can be reached');
  if (!raw.startsWith(UPLOADS_PREFIX)) throw refuse();
  const rest = raw.slice(UPLOADS_PREFIX.length);
  const slash = rest.indexOf('/');
  const endpoint = slash > 0 ? rest.slice(0, slash) : '';
  if (!isEndpointName(endpoint) || rest.length === slash + 1) throw refuse();
  // eslint-disable-next-line no-control-regex
  if (raw.split('/').some((s) => s === '.' || s === '..') || /[\u0000-\u001f\u007f]/.test(raw)) throw refuse();
  if (raw.endsWith('/')) throw new PortalError('invalid_key', 'key names a folder, not a file');
  return { key: raw, endpoint };
}

/** The listing root: one endpoint's folder, or `uploads/` itself (whose folders are the endpoints). */
export function listingRoot(endpoint: string | null): string {
  return endpoint === null ? UPLOADS_PREFIX : endpointPrefix(endpoint);
}

/**
 * A folder inside the root, relative to it: '' or ending in '/'. A missing trailing slash is added,
 * so folder `john` lists `john/...` and never `johnny/...`.
 */
export function normalizeFolder(raw: string | undefined): string {
  if (raw === undefined || raw === '' || raw === '/') return '';
  const folder = raw.replace(/^\/+/, '');
  // eslint-disable-next-line no-control-regex
  if (Buffer.byteLength(folder, 'utf8') > S3_MAX_KEY_BYTES || /[\u0000-\u001f\u007f]/.test(folder) || folder.split('/').some((s) => s === '.' || s === '..')) {
    throw new PortalError('invalid_prefix', 'prefix is not a folder path');
  }
  return folder.endsWith('/') ? folder : `${folder}/`;
}

export const lastSegment = (key: string): string => key.slice(key.lastIndexOf('/') + 1);
