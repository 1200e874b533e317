// One stored object's listing entry, found by an exact-prefix listing rather than HeadObject: the
// uploads role may list only under `uploads/` (an s3:prefix condition) and may not read customers'
// files, so S3 would answer HeadObject on a missing key with 403, not 404. The key itself sorts first
// among keys that start with it, so one entry is enough.
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';

export interface ListedObject {
  key: string;
  /** As S3 lists it, quotes included. */
  etag: string;
  size: number;
}

export async function findObject(s3: S3Client, bucket: string, key: string): Promise<ListedObject | null> {
  const result = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
  const entry = result.Contents?.[0];
  if (entry?.Key !== key) return null;
  return { key, etag: entry.ETag ?? '', size: entry.Size ?? 0 };
}
