// Releasing a file that could not be scanned (too large, unsupported, failed), or that never will be
// (not_scanned: stored before scanning was on, while scanning is on now): an admin states why it
// may be downloaded anyway; the reason is audited before anything changes (a release grants access,
// like a download link), then the object gets the release tag the bucket policy honours, then the
// catalog records who released it, when and why. An infected file is never released.
//
// PutObjectTagging replaces an object's whole tag set: GuardDuty's own tag is kept when its value is
// one a release may keep (the bucket policy lets the admin role write exactly those values), so the
// object still says what the scan found. A never scanned object has no GuardDuty tag, so it gets the
// release tag alone; should it carry a verdict after all (scanned since the catalog said not_scanned),
// that verdict is recorded instead and nothing is released.
//
// The bucket is unversioned, so PutObjectTagging names a key, not the version checked: a file deleted
// and uploaded again between the checks and the tagging would get the release. After tagging, the
// object's ETag is read back (HeadObject, which the release tag now allows); when it is not the one
// checked, the release tag is taken off again (written over: only GuardDuty may delete tags) and the
// release answers 409.
//
// A file reconcile indexed from the bucket listing alone (with malwareScan block its metadata cannot be
// read before a release) gets its name and uploader read once it is released.
import { HeadObjectCommand, PutObjectTaggingCommand, type S3Client, type Tag } from '@aws-sdk/client-s3';
import type { FileEntry } from '../../contract/api/admin.js';
import { RELEASE_REASON_CHARS } from '../../contract/limits.js';
import { isReleasable, RELEASABLE_STATUSES, SCAN_RELEASE_TAG, SCAN_RELEASE_VALUE, SCAN_STATUS_TAG, type ScanResultStatus } from '../../contract/malware-scan.js';
import { PortalError } from '../shared/errors.js';
import { isObjectNotFound, s3Status } from '../shared/s3-errors.js';
import { catalogPath } from '../shared/catalog/catalog-path.js';
import { applyScanResult, recordRelease } from '../shared/catalog/scan-writer.js';
import { readScanVerdict } from '../shared/catalog/scan-tags.js';
import { readUnreadMetadata } from '../shared/catalog/reconcile.js';
import type { CatalogFile } from '../shared/catalog/catalog-items.js';
import type { RequestContext } from './auditor.js';
import { asObject } from './endpoint-input.js';
import { toFileEntry } from './file-browser.js';
import { parseUploadKey, type UploadKey } from './file-keys.js';
import type { AdminServices } from './services.js';

/** POST /files/release: `{ key, reason }`. */
export function parseReleaseRequest(value: unknown): { file: UploadKey; reason: string } {
  const body = asObject(value);
  const unknown = Object.keys(body).filter((k) => k !== 'key' && k !== 'reason');
  if (unknown.length) throw new PortalError('unknown_field', `Unknown field(s): ${unknown.join(', ')}`);
  const file = parseUploadKey(body.key);
  const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
  // eslint-disable-next-line no-control-regex
  if ([...reason].length < RELEASE_REASON_CHARS.min || [...reason].length > RELEASE_REASON_CHARS.max || /[\u0000-\u0009\u000b-\u001f\u007f]/.test(reason)) {
    throw new PortalError('invalid_release_reason');
  }
  return { file, reason };
}

/** The object's tags after a release: the release tag, and GuardDuty's verdict (`status`, from its tags now) when it is one a release may keep. */
export function releasedTagSet(status: ScanResultStatus | null): Tag[] {
  const kept = status !== null && RELEASABLE_STATUSES.includes(status) ? [{ Key: SCAN_STATUS_TAG, Value: status }] : [];
  return [...kept, { Key: SCAN_RELEASE_TAG, Value: SCAN_RELEASE_VALUE }];
}

export async function releaseFile(services: Pick<AdminServices, 'browser' | 'auditor' | 'catalog' | 's3' | 'settings' | 'logger'>, context: RequestContext, { key, endpoint }: UploadKey, reason: string): Promise<FileEntry> {
  const { browser, auditor, catalog, s3, settings } = services;
  const { file } = await browser.requireForChange(key);
  if (!file) throw new PortalError('file_not_found', 'The catalog does not know this file yet; try again in a minute');
  if (file.scan.state === 'infected') throw new PortalError('file_infected');
  if (!isReleasable(browser.scanMode, file.scan.state)) throw new PortalError('file_not_releasable');
  if (file.scan.release) return toFileEntry(file, browser.scanMode);

  const read = await readScanVerdict(s3, settings.bucket, key);
  // requireForChange has just found the object, so gone now means deleted meanwhile (nothing has been
  // audited or tagged yet): the same answer as a release of a file that is not there.
  if (!read) throw new PortalError('file_not_found', 'The file was deleted while it was being released');
  const verdict = read.status;
  if (file.scan.state === 'not_scanned' && verdict !== null) {
    const recorded = await applyScanResult(catalog, catalogPath(key)!, { etag: file.etag ?? '', status: verdict, threats: [], at: context.now.toISOString() });
    if (recorded.file?.scan.state === 'infected') throw new PortalError('file_infected');
    throw new PortalError('file_not_releasable', 'The file has been scanned meanwhile; reload to see its scan result');
  }
  await auditor.beforeAccess(context, { action: 'file.released', endpoint, target: key, details: { name: file.name, size: file.size, state: file.scan.state, etag: file.etag, reason } });
  await s3.send(new PutObjectTaggingCommand({ Bucket: settings.bucket, Key: key, Tagging: { TagSet: releasedTagSet(verdict) } }));
  if ((await currentEtag(s3, settings.bucket, key)) !== file.etag) {
    await withdrawRelease(s3, settings.bucket, key, verdict);
    throw new PortalError('file_not_releasable', 'The file was replaced while it was being released (a new upload); reload and try again');
  }
  const release = { by: context.principal.email || context.principal.subject, at: context.now.toISOString(), reason };
  if (!(await recordRelease(catalog, catalogPath(key)!, file.etag ?? '', file.scan, release))) {
    throw new PortalError('file_not_releasable', 'The file changed meanwhile (a new scan or upload); reload and try again');
  }
  const released = { ...file, scan: { ...file.scan, release } };
  return toFileEntry((file.metadataUnread && (await readMetadataNowReadable(services, key))) || released, browser.scanMode);
}

/**
 * A file reconcile indexed from the listing alone (its metadata unread: the bucket policy refused to
 * read it) can be read once released: its name and uploader are filled in now. The release stands
 * whatever this does; a failure is logged and the next reconcile run tries again.
 */
async function readMetadataNowReadable(services: Pick<AdminServices, 'browser' | 'catalog' | 's3' | 'settings' | 'logger'>, key: string): Promise<CatalogFile | null> {
  const { browser, catalog, s3, settings, logger } = services;
  try {
    const deps = { db: catalog, s3, bucket: settings.bucket, now: () => new Date(), scanMode: browser.scanMode };
    return (await readUnreadMetadata(deps, catalogPath(key)!)) ? await browser.catalogFile(key) : null;
  } catch (error) {
    logger.warn('metadata of a released file not read', { key, error: error as Error });
    return null;
  }
}

/** The object's ETag without quotes; null when it is gone or cannot be read (then it is not the version checked either). */
async function currentEtag(s3: S3Client, bucket: string, key: string): Promise<string | null> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.ETag ? head.ETag.replace(/"/g, '') : null;
  } catch (error) {
    if (isObjectNotFound(error) || s3Status(error) === 403) return null;
    throw error;
  }
}

/** The tags the release wrote, without the release tag; nothing to do when the object is gone. */
async function withdrawRelease(s3: S3Client, bucket: string, key: string, verdict: ScanResultStatus | null): Promise<void> {
  const kept = releasedTagSet(verdict).filter((tag) => tag.Key !== SCAN_RELEASE_TAG);
  try {
    await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: kept } }));
  } catch (error) {
    if (!isObjectNotFound(error)) throw error;
  }
}
