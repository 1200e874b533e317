// Files below the multipart threshold go up in one presigned POST (`GET /s3/params`). The policy pins
// the exact key, the metadata and the Content-Type, and bounds the size with content-length-range.
//
// A POST cannot carry If-None-Match, so the key must be fresh when the policy is issued: it is chosen
// and reserved exactly like a multipart key (key-allocation.ts), which rules out two uploads being
// handed the same key. What remains: the policy stays usable until it expires, so its holder can POST
// to that one key more than once and replace its own file there (never anyone else's, and never a file
// that existed before), and a multipart upload whose reservation expired long ago is not seen.
import type { SmallUploadParameters } from '../../contract/api/uploads.js';
import { PortalError } from '../shared/errors.js';
import { buildObjectMetadata } from '../shared/object-metadata.js';
import { displayName, sanitiseFileName, sanitiseFolders } from '../shared/object-key.js';
import { uploaderOf, type UploadScope } from './access.js';
import type { UploadsCore } from './core.js';
import { allocateKey } from './key-allocation.js';
import { assertWithinLimits } from './limits.js';
import type { NewUpload } from './new-upload.js';
import { createPresignedPost } from './presigned-post.js';

export async function presignSmallUpload(core: UploadsCore, scope: UploadScope, request: NewUpload): Promise<SmallUploadParameters> {
  const name = sanitiseFileName(request.filename);
  const folders = sanitiseFolders(request.relativePath, name);
  const { multipartThresholdBytes, bucket, presignExpiresSeconds } = core.settings;
  const declared = request.declaredSize;
  assertWithinLimits(name, declared ?? 0, scope.record, 'declared');
  if (declared !== undefined && declared > multipartThresholdBytes) {
    throw new PortalError('use_multipart', `Files over ${multipartThresholdBytes} bytes must be sent as a multipart upload`);
  }
  const uploadedBy = uploaderOf(scope.principal);
  const key = await allocateKey(core.s3, bucket, {
    endpoint: scope.endpoint,
    folders,
    name,
    reservation: { kind: 'post', declaredSize: declared ?? null, uploadedBy, createdAt: core.now().toISOString() },
  });
  // With a declared size the POST must carry exactly that many bytes; without, anything the
  // endpoint allows up to the multipart threshold.
  const max = Math.min(scope.record.maxFileSizeBytes ?? Infinity, multipartThresholdBytes);
  const [low, high] = declared !== undefined ? [declared, declared] : [0, max];
  const metadata = buildObjectMetadata({ originalName: displayName(request.filename) || name, uploadedBy, declaredSize: declared }, name);
  const fields: Record<string, string> = { 'Content-Type': request.contentType };
  for (const [metaName, value] of Object.entries(metadata)) fields[`x-amz-meta-${metaName}`] = value;
  const post = await createPresignedPost(core.s3, {
    Bucket: bucket,
    Key: key,
    // createPresignedPost adds an exact-match condition for the key and for every field.
    Conditions: [['content-length-range', low, high]],
    Fields: fields,
    Expires: presignExpiresSeconds,
  });
  core.metrics.add('SmallUploadsPresigned', 1);
  core.logger.info('small upload presigned', { key, endpoint: scope.endpoint, declaredSize: declared, uploadedBy });
  return { method: 'POST', url: post.url, fields: post.fields, expires: presignExpiresSeconds };
}
