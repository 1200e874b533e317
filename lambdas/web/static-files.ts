// Reads built files (and their precompressed .br/.gz siblings) from WEB_ROOT, once per file per
// container. Paths are confined to the root.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { contentTypeFor } from '../../contract/content-types.js';
import type { ContentEncoding } from './encoding.js';

export interface StaticFile {
  /** Path under the root, with forward slashes. */
  path: string;
  contentType: string;
  /** The plain file, and any precompressed variants that exist. */
  bodies: Partial<Record<ContentEncoding, Buffer>> & { identity: Buffer };
  /** Strong validator of the plain content (all encodings share it, with a suffix). */
  etag: string;
}

export interface StaticFileStore {
  get(path: string): StaticFile | undefined;
}

/** A safe relative path, or undefined for traversal, absolute paths, NUL, backslashes or empty names. */
export function safeRelativePath(path: string): string | undefined {
  if (path === '' || path.includes('\0') || path.includes('\\')) return undefined;
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return undefined;
  return segments.join('/');
}

export function createDiskStore(root: string): StaticFileStore {
  // Only hits are cached: caching misses would let random 404 paths grow memory without bound.
  const cache = new Map<string, StaticFile>();
  const readIfFile = (file: string): Buffer | undefined => {
    try {
      return statSync(file).isFile() ? readFileSync(file) : undefined;
    } catch {
      return undefined;
    }
  };
  return {
    get(path) {
      const safe = safeRelativePath(path);
      if (!safe) return undefined;
      const cached = cache.get(safe);
      if (cached) return cached;
      const full = normalize(join(root, safe));
      if (!full.startsWith(normalize(root + sep))) return undefined;
      const identity = readIfFile(full);
      if (!identity) return undefined;
      const bodies: StaticFile['bodies'] = { identity };
      const br = readIfFile(`${full}.br`);
      const gzip = readIfFile(`${full}.gz`);
      if (br) bodies.br = br;
      if (gzip) bodies.gzip = gzip;
      const etag = `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
      const file: StaticFile = { path: safe, contentType: contentTypeFor(safe), bodies, etag };
      cache.set(safe, file);
      return file;
    },
  };
}
