// A login's unfinished multipart uploads, as their quota holds record them. A page that lost track of
// its uploads (signed out: Clear-Site-Data wipes its saved state; another browser; site data cleared)
// cannot resume them, yet each keeps one of the login's open-upload slots until the bucket's lifecycle
// rule ends it days later. So the page can list them and cancel them (the abort route), and a create
// refused for too many open uploads first lets go of holds whose upload S3 no longer has (completed or
// aborted by a request that died before it released the hold).
import { ListPartsCommand } from '@aws-sdk/client-s3';
import type { OpenUpload } from '../../contract/api/uploads.js';
import type { HeldUpload } from '../shared/catalog/quota-holds.js';
import { isNoSuchUpload } from '../shared/s3-errors.js';
import type { UploadsCore } from './core.js';

/** Whether S3 no longer has the upload (one ListParts of at most one part). */
export async function hasEnded(core: UploadsCore, upload: Pick<HeldUpload, 'key' | 'uploadId'>): Promise<boolean> {
  try {
    await core.s3.send(new ListPartsCommand({ Bucket: core.settings.bucket, Key: upload.key, UploadId: upload.uploadId, MaxParts: 1 }));
    return false;
  } catch (error) {
    if (isNoSuchUpload(error)) return true;
    throw error;
  }
}

/** The login's unfinished multipart uploads in `endpoint`, oldest first (ended ones released, not listed). */
export async function listOpenUploads(core: UploadsCore, endpoint: string, login: string): Promise<OpenUpload[]> {
  const { open } = await core.quota.releaseEnded(endpoint, login, (upload) => hasEnded(core, upload));
  return open.map(({ key, uploadId, createdAt }) => ({ key, uploadId, name: key.slice(key.lastIndexOf('/') + 1), startedAt: createdAt }));
}
