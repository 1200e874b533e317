// The user metadata the uploads Lambda writes on every customer file, and how to read it back
// (the admin Lambda uses the original name for downloads and shows who uploaded a file).
// S3 user metadata travels in HTTP headers and must be ASCII, so text values are URI-encoded.

import { METADATA } from '../../contract/bucket-layout.js';

export const encodeMetadataValue = (value: string): string => encodeURIComponent(value);

/** Undefined for a missing or malformed value (objects written by other tools). */
export function decodeMetadataValue(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

export interface UploadMetadata {
  originalName: string;
  uploadedBy: string;
  declaredSize: number;
}

/** S3 caps all user metadata of an object at 2 KB (names + values); each text value gets at most 900 of it. */
const MAX_ENCODED_VALUE = 900;

/** `declaredSize` may be absent for a small-file POST that declared none. */
export function buildObjectMetadata(
  meta: Omit<UploadMetadata, 'declaredSize'> & { declaredSize?: number | undefined },
  fallbackName: string,
): Record<string, string> {
  const encodedName = encodeMetadataValue(meta.originalName);
  const encodedBy = encodeMetadataValue(meta.uploadedBy);
  return {
    // The fallback (the sanitised key name, at most 255 bytes) always fits.
    [METADATA.originalName]: encodedName.length <= MAX_ENCODED_VALUE ? encodedName : encodeMetadataValue(fallbackName),
    [METADATA.uploadedBy]: encodedBy.length <= MAX_ENCODED_VALUE ? encodedBy : '',
    ...(meta.declaredSize === undefined ? {} : { [METADATA.declaredSize]: String(meta.declaredSize) }),
  };
}

/** Reads metadata as returned by HeadObject/GetObject (lower-case names, no prefix). */
export function readObjectMetadata(metadata: Record<string, string> | undefined): Partial<UploadMetadata> {
  const declared = metadata?.[METADATA.declaredSize];
  return {
    originalName: decodeMetadataValue(metadata?.[METADATA.originalName]),
    uploadedBy: decodeMetadataValue(metadata?.[METADATA.uploadedBy]),
    declaredSize: declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined,
  };
}
