// Files below the multipart threshold go up in one presigned PUT (`GET /s3/params`). Its signed headers
// bind everything about the object: `If-None-Match: *` (the URL stores a file once and never replaces
// an object, so replaying it after the upload, or for a key that exists, gets 412 and changes
// nothing), the exact `Content-Length` (the declared size), the content type, the metadata and, when
// the page sends one, the file's CRC64NVME (S3 then refuses other bytes with BadDigest and keeps the
// checksum with the object). All of them stay headers (bucket-presigner.ts): S3 ignores a checksum
// hoisted into the query string.
//
// A stock @uppy/aws-s3 client asks without a size (it sends the file's meta fields, and the size is
// not one): its URL binds no length and can store up to S3's largest single PUT, so it is admitted like
// a stock client's multipart upload, against the endpoint's maximum file size and what is left of its
// quota, and refused with 400 `size_required` when those leave less than that.
//
// The key is still chosen and reserved exactly like a multipart key (key-allocation.ts), so two
// uploads of one name are never handed the same key.
import type { SmallUploadParameters } from '../../contract/api/uploads.js';
import { CHECKSUM_ALGORITHM, CHECKSUM_HEADER, SDK_CHECKSUM_ALGORITHM_HEADER } from '../../contract/checksums.js';
import { SMALL_UPLOAD_MAX_EXPIRES_SECONDS } from '../../contract/limits.js';
import { PortalError } from '../shared/errors.js';
import { buildObjectMetadata } from '../shared/object-metadata.js';
import { displayName, sanitiseFileName, sanitiseFolders } from '../shared/object-key.js';
import { uploaderOf, type UploadScope } from './access.js';
import type { UploadsCore } from './core.js';
import { allocateKey } from './key-allocation.js';
import { assertExtensionAllowed, assertWithinLimits } from './limits.js';
import type { NewUpload } from './new-upload.js';
import { admitUpload, landUpload } from './upload-quota.js';

// A small file's URL lives at most SMALL_UPLOAD_MAX_EXPIRES_SECONDS (contract/limits.ts): it is used at
// once, and a short life bounds a leaked one (and how long the admin console waits to delete a new file).
export { SMALL_UPLOAD_MAX_EXPIRES_SECONDS };

export interface SmallUploadRequest extends NewUpload {
  /** The whole file's base64 CRC64NVME (the portal's page). */
  checksum: string | undefined;
}

export async function presignSmallUpload(core: UploadsCore, scope: UploadScope, request: SmallUploadRequest): Promise<SmallUploadParameters & { key: string }> {
  const name = sanitiseFileName(request.filename);
  const folders = sanitiseFolders(request.relativePath, name);
  const { multipartThresholdBytes, bucket, presignExpiresSeconds } = core.settings;
  const declared = request.declaredSize;
  if (declared === undefined) {
    assertExtensionAllowed(name, scope.record);
  } else {
    assertWithinLimits(name, declared, scope.record, 'declared');
    if (declared > multipartThresholdBytes) {
      throw new PortalError('use_multipart', `Files over ${multipartThresholdBytes} bytes must be sent as a multipart upload`);
    }
  }
  // Quota: held from now; the hold lands at once (the URL is the upload) and is released when the
  // catalog counts the file, or after the URL expired and the grace for a late event passed.
  const admitted = await admitUpload(core, scope, declared ?? null, false);
  const uploadedBy = uploaderOf(scope.principal);
  let key: string;
  try {
    key = await allocateKey(core.s3, bucket, {
      endpoint: scope.endpoint,
      folders,
      name,
      reservation: { kind: 'put', declaredSize: declared ?? null, uploadedBy, createdAt: core.now().toISOString(), checksumAlgorithm: request.checksum ? CHECKSUM_ALGORITHM : null, holdId: admitted.holdId, boundBytes: admitted.boundBytes },
    });
  } catch (error) {
    await core.quota.release(scope.endpoint, admitted.holdId);
    throw error;
  }
  const metadata = buildObjectMetadata({ originalName: displayName(request.filename) || name, uploadedBy, declaredSize: declared }, name);
  // What the browser sends as it is. A declared Content-Length is signed as well (below), but a browser
  // refuses to set it and sends the body's length itself.
  const headers: Record<string, string> = {
    'content-type': request.contentType,
    'if-none-match': '*',
    ...Object.fromEntries(Object.entries(metadata).map(([metaName, value]) => [`x-amz-meta-${metaName}`, value])),
    ...(request.checksum ? { [CHECKSUM_HEADER]: request.checksum, [SDK_CHECKSUM_ALGORITHM_HEADER]: CHECKSUM_ALGORITHM } : {}),
  };
  const expires = Math.min(presignExpiresSeconds, SMALL_UPLOAD_MAX_EXPIRES_SECONDS);
  await landUpload(core, scope.endpoint, admitted.holdId, key, new Date(core.now().getTime() + expires * 1000));
  const url = await core.presigner.presignPut({ key, query: { 'x-id': 'PutObject' }, headers: declared === undefined ? headers : { ...headers, 'content-length': String(declared) }, expiresIn: expires });
  core.metrics.add('SmallUploadsPresigned', 1);
  core.logger.info('small upload presigned', { key, endpoint: scope.endpoint, declaredSize: declared, uploadedBy, checksummed: request.checksum !== undefined });
  return { method: 'PUT', url, headers, key, expires };
}
