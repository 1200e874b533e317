// In-progress multipart uploads under a prefix, page by page (ListMultipartUploads' key and
// upload-id markers). The uploads Lambda looks for names in use; the admin API aborts an endpoint's
// uploads when it purges the endpoint's files.
import { ListMultipartUploadsCommand, type S3Client } from '@aws-sdk/client-s3';

export interface InProgressUpload {
  key: string;
  uploadId: string;
}

/** At most `maxPages` pages of up to 1,000 uploads: the bound stops a misbehaving server from looping forever. */
export async function* inProgressUploads(s3: S3Client, bucket: string, prefix: string, maxPages: number): AsyncGenerator<InProgressUpload[]> {
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }));
    yield (result.Uploads ?? []).flatMap((u) => (u.Key && u.UploadId ? [{ key: u.Key, uploadId: u.UploadId }] : []));
    if (!result.IsTruncated || !result.NextKeyMarker) return;
    keyMarker = result.NextKeyMarker;
    uploadIdMarker = result.NextUploadIdMarker;
  }
}
