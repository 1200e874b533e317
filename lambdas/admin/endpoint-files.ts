// Whole-folder operations on an endpoint's files: is anything there, delete it all. (How much is there
// comes from the catalog's usage counters.)
import { AbortMultipartUploadCommand, DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { PortalError } from '../shared/errors.js';
import { inProgressUploads } from '../shared/multipart-uploads.js';
import { isNoSuchUpload } from '../shared/s3-errors.js';
import { endpointPrefix } from '../../contract/bucket-layout.js';
import { pendingPrefix } from '../../contract/bucket-layout.js';
import { mapLimit } from '../shared/concurrency.js';

/** 1,000 uploads a page: far beyond what one endpoint can have in progress. */
const PURGE_MAX_UPLOAD_PAGES = 1000;

export interface PurgeResult {
  /** Files deleted (reservations are not counted). */
  files: number;
  /** Multipart uploads in progress that were aborted, their parts deleted. */
  uploadsAborted: number;
}

export class EndpointFiles {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** Files left by an earlier endpoint of the same name would be shown to the new customer. */
  async hasFiles(name: string): Promise<boolean> {
    const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: endpointPrefix(name), MaxKeys: 1 }));
    return (page.KeyCount ?? page.Contents?.length ?? 0) > 0;
  }

  /**
   * Deletes everything the endpoint's customers sent: in-progress multipart uploads first (their parts
   * are customer data too, and an upload aborted cannot complete into a new file behind the purge),
   * then every file under `uploads/<name>/`, 1,000 per DeleteObjects call, then its upload reservations.
   */
  async purge(name: string): Promise<PurgeResult> {
    const uploadsAborted = await this.abortAll(endpointPrefix(name));
    const files = await this.deleteAll(endpointPrefix(name));
    await this.deleteAll(pendingPrefix(name));
    return { files, uploadsAborted };
  }

  private async abortAll(prefix: string): Promise<number> {
    let aborted = 0;
    for await (const page of inProgressUploads(this.s3, this.bucket, prefix, PURGE_MAX_UPLOAD_PAGES)) {
      const results = await mapLimit(page, 8, async ({ key, uploadId }) => {
        try {
          await this.s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }));
          return true;
        } catch (error) {
          // Completed or aborted meanwhile: a completed one is a file, deleted next.
          if (isNoSuchUpload(error)) return false;
          throw new PortalError('purge_failed', `Could not abort an upload in progress; ${aborted} aborted so far`, { cause: error });
        }
      });
      aborted += results.filter(Boolean).length;
    }
    return aborted;
  }

  private async deleteAll(prefix: string): Promise<number> {
    let deleted = 0;
    // Each round lists from the start: what was just deleted is gone, so no token is needed.
    for (;;) {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, MaxKeys: 1000 }));
      const keys = (page.Contents ?? []).map((item) => item.Key).filter((key): key is string => !!key);
      if (keys.length === 0) return deleted;
      const result = await this.s3.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }),
      );
      if (result.Errors?.length) {
        throw new PortalError('purge_failed', `Could not delete ${result.Errors.length} file(s); ${deleted} deleted so far`);
      }
      deleted += keys.length;
    }
  }
}
