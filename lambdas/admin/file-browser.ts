// The admin file browser: pages of the file catalog (never a listing of the bucket), and per file the
// object itself: details, presigned downloads, deletes. A listing reads no object (a HeadObject per
// listed file would cost more than the page's one query), so a catalog entry whose object is gone (its
// Object Deleted event lost) is listed, `downloadable` as its scan state says, until something reads
// the object: a download or share then answers 404 (file_not_found) and removes that one entry as
// reconcile would (`forgetMissing`), so the next listing no longer offers it; a reconcile run removes
// the others.
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { PortalError } from '../shared/errors.js';
import type { FileEntry, FileListing } from '../../contract/api/admin.js';
import { attachmentDisposition } from './content-disposition.js';
import { readObjectMetadata } from '../shared/object-metadata.js';
import { embeddedJsonBytes } from '../shared/response-budget.js';
import { readReservation } from '../shared/reservation-reader.js';
import { reservationKey } from '../shared/upload-reservation.js';
import type { CatalogDb } from '../shared/catalog/catalog-db.js';
import { fileKey, readFile, type CatalogFile } from '../shared/catalog/catalog-items.js';
import { catalogPath } from '../shared/catalog/catalog-path.js';
import { removeEntryOfMissingObject } from '../shared/catalog/reconcile.js';
import { INFECTED_STATUS, isDownloadable, type MalwareScanMode } from '../../contract/malware-scan.js';
import { listCatalogFiles } from '../shared/catalog/file-listing.js';
import { readScanVerdict } from '../shared/catalog/scan-tags.js';
import type { FileListRequest } from './file-list-query.js';
import { listFolderRows, NO_FOLDERS } from './folder-rows.js';
import { lastSegment } from './file-keys.js';
import type { SigningCredentials } from './link-lifetime.js';
import { isObjectNotFound } from '../shared/s3-errors.js';

export interface ObjectInfo {
  key: string;
  name: string;
  size: number;
  uploadedBy: string | null;
  /** When S3 stored it; null when S3 did not say. */
  lastModified: Date | null;
}

export const toFileEntry = (file: CatalogFile, mode: MalwareScanMode): FileEntry => ({
  key: file.key,
  endpoint: file.endpoint,
  name: file.name,
  size: file.size,
  lastModified: file.uploadedAt,
  uploadedBy: file.uploadedBy,
  contentType: file.contentType,
  checksum: file.checksum,
  scan: { state: file.scan.state, scannedAt: file.scan.scannedAt, threats: file.scan.threats, release: file.scan.release },
  // From the scan state only: whether the object still exists is learnt when it is downloaded (a 404 then removes the entry).
  downloadable: isDownloadable(mode, file.scan.state, file.scan.release !== null),
});

/** Why a download of the file is refused (the bucket policy would refuse it too), or null. */
export function downloadRefusal(mode: MalwareScanMode, file: CatalogFile): PortalError | null {
  const { state, release } = file.scan;
  if (isDownloadable(mode, state, release !== null)) return null;
  if (state === 'infected') return new PortalError('file_infected');
  if (state === 'pending') return new PortalError('scan_pending');
  return new PortalError('scan_not_released');
}

export class FileBrowser {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly catalog: CatalogDb,
    readonly scanMode: MalwareScanMode = 'block',
  ) {}

  /** The file's catalog entry, or null (no entry yet: its Object Created event is still on the way, or was lost). */
  async catalogFile(key: string): Promise<CatalogFile | null> {
    const path = catalogPath(key);
    const item = path ? await this.catalog.get(fileKey(path)) : null;
    return item ? readFile(item) : null;
  }

  /**
   * Refuses what the bucket policy would refuse, with the reason, before any URL is made. Without a
   * catalog entry the object's own scan tag speaks: an infected file is refused whatever the mode (with
   * `tag` the bucket refuses nothing, so this is the only check); anything else is left to the bucket.
   */
  async assertDownloadable(key: string): Promise<void> {
    const file = await this.catalogFile(key);
    const refusal = file ? downloadRefusal(this.scanMode, file) : await this.tagRefusal(key);
    if (refusal) throw refusal;
  }

  /** `file_infected` when GuardDuty tagged the object THREATS_FOUND; null otherwise, also for a missing object (require says 404). */
  private async tagRefusal(key: string): Promise<PortalError | null> {
    if (this.scanMode === 'off') return null;
    const verdict = await readScanVerdict(this.s3, this.bucket, key);
    return verdict?.status === INFECTED_STATUS ? new PortalError('file_infected') : null;
  }

  /**
   * The file for a change (delete, release), also when the bucket policy refuses to read it (unscanned,
   * infected): then the catalog describes it and an exact-prefix LIST proves the object is there.
   */
  async requireForChange(key: string): Promise<ObjectInfo & { file: CatalogFile | null }> {
    const file = await this.catalogFile(key);
    if (file && !isDownloadable(this.scanMode, file.scan.state, file.scan.release !== null)) {
      const listed = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: key, MaxKeys: 1 }));
      if (listed.Contents?.[0]?.Key !== key) throw new PortalError('file_not_found', 'No such file');
      return { key, name: file.name, size: file.size, uploadedBy: file.uploadedBy, lastModified: listed.Contents[0].LastModified ?? null, file };
    }
    return { ...(await this.require(key)), file };
  }

  /**
   * One page of files from the catalog's indexes (listing-plan.ts picks the index), with the folder's
   * sub-folders on the first page of a folder listing (folder-rows.ts: at most half of the response),
   * within the ALB's 1 MB response budget.
   */
  async list({ query, pageSize, token }: FileListRequest): Promise<FileListing> {
    const started = performance.now();
    const { folders, foldersTruncated } = query.scope === 'folder' && token === null ? await listFolderRows(this.catalog, query) : NO_FOLDERS;
    const head: FileListing = { endpoint: query.endpoint, prefix: query.folder, scope: query.scope, sort: query.sort, order: query.order, folders, foldersTruncated, files: [], nextToken: null, scanned: 0, tookMs: 0 };
    const page = await listCatalogFiles(this.catalog, query, { pageSize, token, toEntry: (file) => toFileEntry(file, this.scanMode), overheadBytes: embeddedJsonBytes(head) + 256 });
    return { ...head, files: page.entries, nextToken: page.nextToken, scanned: page.scanned, tookMs: Math.round((performance.now() - started) * 10) / 10 };
  }

  /** The original filename and uploader from the object's metadata; null when the object is gone. */
  async describe(key: string): Promise<ObjectInfo | null> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      const meta = readObjectMetadata(head.Metadata);
      return { key, name: meta.originalName || lastSegment(key), size: head.ContentLength ?? 0, uploadedBy: meta.uploadedBy || null, lastModified: head.LastModified ?? null };
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

  /**
   * After a read found the object of `key` gone: its catalog entry is removed as reconcile would
   * remove it (absence confirmed by a listing, usage corrected). True when this call removed it.
   */
  async forgetMissing(key: string): Promise<boolean> {
    const path = catalogPath(key);
    if (!path) return false;
    return removeEntryOfMissingObject({ db: this.catalog, s3: this.s3, bucket: this.bucket, now: () => new Date() }, path);
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
   * Whether the upload that stored `key` bound a checksum into its URLs, as its reservation says (the
   * algorithm is recorded only when the page sent the file's checksum): a replayed URL can then store
   * only the same bytes. False when the reservation is gone, unreadable (with malwareScan block, until
   * GuardDuty tagged it) or says none.
   */
  async uploadBoundChecksum(key: string, endpoint: string): Promise<boolean> {
    return typeof (await readReservation(this.s3, this.bucket, endpoint, key))?.checksumAlgorithm === 'string';
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
