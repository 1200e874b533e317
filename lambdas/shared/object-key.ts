// Object keys for customers' files: `uploads/<endpoint>/<folders...>/<name>`. The server composes
// every key from sanitised names (the client's filename is only a display name), and checks every key
// a client sends back before acting on it. Shared by the uploads Lambda (writes keys) and the admin
// Lambda (browses, downloads and deletes them).
import { MAX_NAME_BYTES, S3_MAX_KEY_BYTES } from '../../contract/limits.js';
import { PortalError } from './errors.js';
import { UPLOADS_PREFIX, customerFileKey, isEndpointName } from '../../contract/bucket-layout.js';


/**
 * Removed from names: C0/C1 controls and DEL (header and log injection), line/paragraph separators,
 * and the bidi marks, overrides and isolates that make `gpj.exe` display as `exe.jpg`.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const HAS_UNSAFE_CHAR = new RegExp(UNSAFE_CHARS.source);
/** S3 expands `${filename}` in a presigned POST's key field into a name the uploader chooses. */
const POST_FILENAME_VARIABLE = /\$\{filename\}/gi;

export const utf8Bytes = (value: string): number => Buffer.byteLength(value, 'utf8');

/**
 * Characters Windows refuses in a file name: a file with one could not be saved back on download, so
 * keys hold `_` instead (the display name keeps the original).
 */
const WINDOWS_UNSAFE_CHARS = /[<>:"|?*]/g;
/** Device names Windows reserves, with or without an extension (`CON`, `nul.txt`, `COM1.log`). */
const WINDOWS_RESERVED_NAME = /^(?:CON|PRN|AUX|NUL|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3])(?:\.|$)/i;

/**
 * One path segment, safe on every file system: no unsafe characters, no Windows-refused characters or
 * device names, no leading dots, no surrounding spaces or trailing dots, in NFC. NFC comes last, since
 * removing a character can leave a sequence that is no longer composed (`e` + U+200E + U+0301 becomes
 * `e` + U+0301), and a key not in NFC could not be signed or listed. May return ''.
 */
export function sanitiseSegment(raw: string): string {
  const cleaned = raw
    .replace(UNSAFE_CHARS, '')
    .normalize('NFC')
    .replace(POST_FILENAME_VARIABLE, 'filename')
    .replace(WINDOWS_UNSAFE_CHARS, '_')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  return (WINDOWS_RESERVED_NAME.test(cleaned) ? `_${cleaned}` : cleaned).normalize('NFC');
}

/** The display name as kept in metadata: NFC, no directory part, no unsafe characters, else as typed. */
export function displayName(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  return base.replace(UNSAFE_CHARS, '').normalize('NFC').trim();
}

/** A file's key name from the client's filename: the last path component, sanitised; 400 if nothing usable. */
export function sanitiseFileName(raw: string): string {
  const name = sanitiseSegment(raw.split(/[/\\]/).pop() ?? '');
  if (name === '') throw new PortalError('invalid_filename', 'The file name is empty once unsafe characters are removed');
  if (utf8Bytes(name) > MAX_NAME_BYTES) {
    throw new PortalError('filename_too_long', `The file name is longer than ${MAX_NAME_BYTES} bytes`);
  }
  return name;
}

/**
 * Sub-folders from a folder drop's relative path (`/photos/2024/img.jpg` or `photos\2024\img.jpg`).
 * `.`, `..` and empty segments vanish (they sanitise to ''), so a path can never climb out; the last
 * segment is dropped when it is the file itself, as Uppy's relativePath includes the file name.
 */
export function sanitiseFolders(relativePath: string | null | undefined, fileName: string): string[] {
  if (!relativePath) return [];
  const folders = relativePath.split(/[/\\]/).map(sanitiseSegment).filter((s) => s !== '');
  if (folders.length > 0 && folders[folders.length - 1] === fileName) folders.pop();
  for (const folder of folders) {
    if (utf8Bytes(folder) > MAX_NAME_BYTES) {
      throw new PortalError('relative_path_too_long', `A folder name in the relative path is longer than ${MAX_NAME_BYTES} bytes`);
    }
  }
  return folders;
}

/** `archive.tar.gz` -> [`archive`, `.tar.gz`]; `report.pdf` -> [`report`, `.pdf`]; `README` -> [`README`, ``]. */
export function splitExtension(name: string): [stem: string, extension: string] {
  const compound = /\.tar\.[^.]+$/i.exec(name);
  const dot = compound && compound.index > 0 ? compound.index : name.lastIndexOf('.');
  return dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
}

/** Candidate `n` for a name that is taken: 1 -> `report.pdf`, 2 -> `report (2).pdf`, or any tag: `report (x7f).pdf`. */
export function numberedName(name: string, tag: number | string): string {
  if (tag === 1) return name;
  const [stem, extension] = splitExtension(name);
  return `${stem} (${tag})${extension}`;
}

/** The key for a sanitised name in sanitised folders of an endpoint; 400 when S3's key limit is exceeded. */
export function composeKey(endpoint: string, folders: readonly string[], name: string): string {
  const key = customerFileKey(endpoint, [...folders, name].join('/'));
  if (utf8Bytes(key) > S3_MAX_KEY_BYTES) {
    throw new PortalError('key_too_long', `The file's path and name are longer than S3 allows (${S3_MAX_KEY_BYTES} bytes)`);
  }
  return key;
}

export interface ParsedKey {
  endpoint: string;
  folders: string[];
  name: string;
}

/**
 * Checks a key a client sent back and splits it. Returns null unless it is exactly a key this portal
 * could have made: under `uploads/<valid endpoint>/`, NFC, no unsafe characters or backslashes, no empty,
 * `.`/`..` or dot-leading segments (so also none of the portal's own hidden objects), within the limits.
 */
export function parseObjectKey(key: unknown): ParsedKey | null {
  if (typeof key !== 'string' || !key.startsWith(UPLOADS_PREFIX)) return null;
  if (utf8Bytes(key) > S3_MAX_KEY_BYTES || key.normalize('NFC') !== key) return null;
  if (HAS_UNSAFE_CHAR.test(key) || key.includes('\\')) return null;
  const segments = key.slice(UPLOADS_PREFIX.length).split('/');
  const endpoint = segments.shift()!;
  if (!isEndpointName(endpoint) || segments.length === 0) return null;
  for (const segment of segments) {
    if (segment === '' || segment.startsWith('.') || segment !== segment.trim()) return null;
    if (utf8Bytes(segment) > MAX_NAME_BYTES) return null;
  }
  const name = segments.pop()!;
  return { endpoint, folders: segments, name };
}

/** True when `key` is a valid file key inside `endpoint`'s folder (never a sibling such as `johnny/` for `john`). */
export function isKeyInEndpoint(key: unknown, endpoint: string): key is string {
  return parseObjectKey(key)?.endpoint === endpoint;
}
