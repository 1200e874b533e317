// The admin file browser over S3: one page of a folder, object details, presigned downloads, deletes.
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type _Object, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { PortalError } from '../shared/errors.js';
import type { FileEntry, FileListing } from '../../contract/api/admin.js';
import { mapLimit } from './concurrency.js';
import { attachmentDisposition } from './content-disposition.js';
import { readObjectMetadata } from '../shared/object-metadata.js';
import { embeddedJsonBytes, listWithinBudget, MAX_JSON_RESPONSE_BYTES } from '../shared/response-budget.js';
import { reservationKey } from '../shared/upload-reservation.js';
import { lastSegment, listingRoot } from './file-keys.js';
import type { SigningCredentials } from './link-lifetime.js';
import { isInvalidArgument, isObjectNotFound } from '../shared/s3-errors.js';

export interface ListRequest {
  endpoint: string | null;
  /** Relative to the root, '' or ending in '/' (see normalizeFolder). */
  prefix: string;
  pageSize: number;
  continuationToken: string | null;
}

export interface ObjectInfo {
  key: string;
  name: string;
  size: number;
  uploadedBy: string | null;
}

/** Parallel HEADs per page: enough to fill a 1,000-file page in well under a second. */
const HEAD_CONCURRENCY = 24;

export class FileBrowser {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /**
   * One page of a folder: ListObjectsV2 with Delimiter '/' (so sub-folders come back once, as
   * CommonPrefixes with their trailing '/'), MaxKeys = pageSize, S3's own continuation token.
   * Cost per page is constant, so 100,000+ objects are browsed page by page. A page whose answer
   * would pass the ALB's 1 MB response cap (long keys and names) is listed again shorter
   * (response-budget.ts); the objects already described are not asked about twice.
   */
  async list(request: ListRequest): Promise<FileListing> {
    const described = new Map<string, Promise<ObjectInfo | null>>();
    const describe = (key: string) => {
      let info = described.get(key);
      if (!info) described.set(key, (info = this.describe(key)));
      return info;
    };
    return listWithinBudget(request.pageSize, (maxKeys) => this.listPage(request, maxKeys, describe));
  }

  private async listPage(
    request: ListRequest,
    maxKeys: number,
    describe: (key: string) => Promise<ObjectInfo | null>,
  ): Promise<{ page: FileListing; listed: number }> {
    const root = listingRoot(request.endpoint);
    const prefix = root + request.prefix;
    let page;
    try {
      page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          Delimiter: '/',
          MaxKeys: maxKeys,
          ContinuationToken: request.continuationToken ?? undefined,
        }),
      );
    } catch (error) {
      if (isInvalidArgument(error)) throw new PortalError('invalid_token', 'continuationToken is not valid here');
      throw error;
    }
    const folders = (page.CommonPrefixes ?? [])
      .map((p) => p.Prefix ?? '')
      .filter((p) => p.startsWith(prefix) && p.length > prefix.length)
      .map((p) => p.slice(root.length))
      // `uploads/.portal-pending/` holds the uploads Lambda's reservations, not anyone's files.
      .filter((p) => !(request.endpoint === null && p.startsWith('.')));
    // A zero-byte key equal to the folder itself (a "folder marker") is not a file.
    const objects = (page.Contents ?? []).filter((o) => o.Key && o.Key !== prefix && !o.Key.endsWith('/'));
    const entry = (o: _Object, info: ObjectInfo | null): FileEntry => ({
      key: o.Key!,
      name: info?.name ?? lastSegment(o.Key!),
      size: o.Size ?? 0,
      lastModified: (o.LastModified ?? new Date(0)).toISOString(),
      uploadedBy: info?.uploadedBy ?? null,
    });
    const listing = (files: FileEntry[]): FileListing => ({
      endpoint: request.endpoint,
      prefix: request.prefix,
      folders,
      files,
      nextToken: page.IsTruncated ? (page.NextContinuationToken ?? null) : null,
    });
    const listed = (page.Contents?.length ?? 0) + (page.CommonPrefixes?.length ?? 0);
    // Too big even before the names are looked up: answer the undescribed page, which the budget
    // loop only measures and lists again shorter, so no HEADs are spent on entries that will not fit.
    const undescribed = listing(objects.map((o) => entry(o, null)));
    if (listed > 1 && embeddedJsonBytes(undescribed) > MAX_JSON_RESPONSE_BYTES) return { page: undescribed, listed };
    const files = await mapLimit(objects, HEAD_CONCURRENCY, async (o) => entry(o, await describe(o.Key!)));
    return { page: listing(files), listed };
  }

  /** The original filename and uploader from the object's metadata; null when the object is gone. */
  async describe(key: string): Promise<ObjectInfo | null> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      const meta = readObjectMetadata(head.Metadata);
      return { key, name: meta.originalName || lastSegment(key), size: head.ContentLength ?? 0, uploadedBy: meta.uploadedBy || null };
    } catch (error) {
      if (isObjectNotFound(error)) return null;
      throw error;
    }
  }

  async require(key: string): Promise<ObjectInfo> {
    const info = await this.describe(key);
    if (!info) throw new PortalError('file_not_found', 'No such file');
    return info;
  }

  /** A GET URL that saves the file under its original name. */
  async presignDownload(file: ObjectInfo, expiresIn: number, signingDate: Date): Promise<string> {
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: file.key, ResponseContentDisposition: attachmentDisposition(file.name) });
    return getSignedUrl(this.s3, command, { expiresIn, signingDate });
  }

  /** The credentials presigned URLs will be signed with (their `expiration` bounds a link's life). */
  async signingCredentials(): Promise<SigningCredentials> {
    const credentials = await this.s3.config.credentials();
    return { sessionToken: credentials.sessionToken, expiration: credentials.expiration };
  }

  /**
   * Deletes the file, then its upload reservation: the reservation would otherwise keep the name
   * taken (a re-upload would become `name (2)`) until the lifecycle rule expires it.
   */
  async delete(key: string, endpoint: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: reservationKey(endpoint, key) }));
  }
}
