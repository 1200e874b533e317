// What the catalog records of an object, read with one HeadObject: size, time, ETag, content type, the
// checksum S3 keeps (ChecksumMode ENABLED), and the uploads Lambda's metadata (original name, uploader).
import { HeadObjectCommand, type HeadObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { readObjectMetadata } from '../../shared/object-metadata.js';
import { isObjectNotFound } from '../../shared/s3-errors.js';
import type { FileFacts } from './catalog-items.js';

const CHECKSUMS = [
  ['CRC64NVME', 'ChecksumCRC64NVME'],
  ['CRC32', 'ChecksumCRC32'],
  ['CRC32C', 'ChecksumCRC32C'],
  ['SHA1', 'ChecksumSHA1'],
  ['SHA256', 'ChecksumSHA256'],
] as const;

export function factsFromHead(head: HeadObjectCommandOutput, segment: string): FileFacts {
  const meta = readObjectMetadata(head.Metadata);
  const found = CHECKSUMS.find(([, field]) => head[field]);
  return {
    name: meta.originalName || segment,
    size: head.ContentLength ?? 0,
    uploadedAt: (head.LastModified ?? new Date(0)).toISOString(),
    uploadedBy: meta.uploadedBy || null,
    contentType: head.ContentType || null,
    etag: head.ETag ? head.ETag.replace(/"/g, '') : null,
    checksum: found ? { algorithm: found[0], type: head.ChecksumType ?? null, base64: head[found[1]]! } : null,
  };
}

/** The object's facts, or null when there is no such object. */
export async function headObjectFacts(s3: S3Client, bucket: string, key: string, segment: string): Promise<FileFacts | null> {
  try {
    return factsFromHead(await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' })), segment);
  } catch (error) {
    if (isObjectNotFound(error)) return null;
    throw error;
  }
}
