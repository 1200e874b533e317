// Build step: writes .br and .gz siblings of every compressible output file, and refuses to finish
// when any body the web Lambda could send would exceed the ALB's 1 MB response limit.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { contentTypeFor, isCompressible, isTextType } from '../../contract/content-types.js';
import { encodedBodySize, MAX_ENCODED_BODY_BYTES } from '../../contract/response-limit.js';

export interface OutputFile {
  path: string;
  bytes: number;
  /** The size the body takes in the Lambda result (base64 for binary and compressed bodies). */
  encodedBytes: number;
}

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

/** Compresses each compressible file; keeps a variant only when it is smaller than the original. */
export function precompress(dir: string): void {
  for (const file of listFiles(dir)) {
    if (file.endsWith('.br') || file.endsWith('.gz')) continue;
    if (!isCompressible(contentTypeFor(file))) continue;
    const data = readFileSync(file);
    if (data.length < 256) continue;
    const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
    const gz = gzipSync(data, { level: 9 });
    if (br.length < data.length) writeFileSync(`${file}.br`, br);
    if (gz.length < data.length) writeFileSync(`${file}.gz`, gz);
  }
}

/** Every file as the web Lambda would send it, largest first. */
export function measureOutput(dir: string): OutputFile[] {
  return listFiles(dir)
    .map((full) => {
      const path = relative(dir, full).split('\\').join('/');
      const bytes = statSync(full).size;
      const compressed = path.endsWith('.br') || path.endsWith('.gz');
      const base64 = compressed || !isTextType(contentTypeFor(path));
      return { path, bytes, encodedBytes: encodedBodySize(bytes, base64) };
    })
    .sort((a, b) => b.encodedBytes - a.encodedBytes);
}

/** The files that would not fit in an ALB Lambda response. */
export function oversizedFiles(files: readonly OutputFile[], limit = MAX_ENCODED_BODY_BYTES): OutputFile[] {
  return files.filter((f) => f.encodedBytes > limit);
}
