// Where an object key lives in the catalog: its endpoint, its folder ("dir", the partition of its
// item) and its last segment. Pure, table-tested. A key the catalog takes is a file inside an
// endpoint's folder: `uploads/<valid endpoint>/...`, not a folder marker (ending in '/'), without
// control characters or `.`/`..` segments (the admin console can neither download nor delete those),
// within S3's key limit. Looser than the uploads Lambda's own rule on purpose: files put there by
// other tools are catalogued too. The reservations under `uploads/.portal-pending/` are not (a dot
// cannot start an endpoint name).
import { UPLOADS_PREFIX, isEndpointName } from '../../../contract/bucket-layout.js';
import { S3_MAX_KEY_BYTES } from '../../../contract/limits.js';

export interface CatalogPath {
  key: string;
  endpoint: string;
  /** The key below `uploads/<endpoint>/`. */
  path: string;
  /** The folder's partition: `<endpoint>/` at the root, `<endpoint>/a/b/` below. */
  dir: string;
  /** The last key segment (unique within its folder). */
  segment: string;
  /** Folder paths relative to the endpoint, outermost first: `a/`, `a/b/`. */
  folders: string[];
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export function catalogPath(key: unknown): CatalogPath | null {
  if (typeof key !== 'string' || !key.startsWith(UPLOADS_PREFIX) || key.endsWith('/')) return null;
  if (Buffer.byteLength(key, 'utf8') > S3_MAX_KEY_BYTES || CONTROL.test(key)) return null;
  const segments = key.slice(UPLOADS_PREFIX.length).split('/');
  const endpoint = segments.shift()!;
  if (!isEndpointName(endpoint) || segments.length === 0) return null;
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  const segment = segments.pop()!;
  const folders = segments.map((_, i) => `${segments.slice(0, i + 1).join('/')}/`);
  const folder = folders[folders.length - 1] ?? '';
  return { key, endpoint, path: key.slice(UPLOADS_PREFIX.length + endpoint.length + 1), dir: `${endpoint}/${folder}`, segment, folders };
}

/** The dir of a folder (relative path '' or ending in '/') of an endpoint. */
export const folderDir = (endpoint: string, folder: string): string => `${endpoint}/${folder}`;

/** The folder a dir is (relative to its endpoint), '' for the root. */
export const dirFolder = (dir: string): string => dir.slice(dir.indexOf('/') + 1);

/** A folder's parent dir and its own segment: `acme/a/b/` -> [`acme/a/`, `b`]; null for an endpoint's root. */
export function parentOf(dir: string): { parentDir: string; segment: string } | null {
  const trimmed = dir.slice(0, -1);
  const slash = trimmed.lastIndexOf('/');
  if (slash < 0 || dir.indexOf('/') === dir.length - 1) return null;
  return { parentDir: trimmed.slice(0, slash + 1), segment: trimmed.slice(slash + 1) };
}

/** Decoded form of a key S3 may have URL-encoded in its event (`+` for a space), or null when it is the same or not valid encoding. */
export function decodedEventKey(key: string): string | null {
  try {
    const decoded = decodeURIComponent(key.replace(/\+/g, '%20'));
    return decoded === key ? null : decoded;
  } catch {
    return null;
  }
}
