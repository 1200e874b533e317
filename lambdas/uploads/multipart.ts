// The multipart control plane: create, sign parts, list parts, abort (completion: complete-upload.ts).
// Callers have already checked the principal's access (access.ts); these functions talk to S3.
import { AbortMultipartUploadCommand, CreateMultipartUploadCommand, ListPartsCommand } from '@aws-sdk/client-s3';
import type { PartToSign } from '../../contract/api/uploads.js';
import { CHECKSUM_TYPE, type ChecksumAlgorithm } from '../../contract/checksums.js';
import { PortalError } from '../shared/errors.js';
import { buildObjectMetadata } from '../shared/object-metadata.js';
import { displayName, parseObjectKey, sanitiseFileName, sanitiseFolders } from '../shared/object-key.js';
import { uploaderOf, type UploadScope } from './access.js';
import type { Principal } from '../shared/identity.js';
import type { StoredPart } from './completion.js';
import type { UploadsCore } from './core.js';
import { allocateKey } from './key-allocation.js';
import { S3_LIST_PARTS_PAGE, S3_MAX_PARTS } from '../../contract/limits.js';
import { assertExtensionAllowed, assertWithinLimits } from './limits.js';
import type { NewUpload } from './new-upload.js';
import { isNoSuchUpload } from '../shared/s3-errors.js';
import { uploadFactsId, type UploadFacts } from './checksum-modes.js';
import { assertPartWithin, partBoundFor } from './part-bounds.js';
import { planPartSize } from '../../contract/part-plan.js';
import { readReservation } from '../shared/reservation-reader.js';
import { admitUpload } from './upload-quota.js';

export interface KeyedUpload {
  key: string;
  uploadId: string;
}

export const noSuchUpload = () => new PortalError('no_such_upload', 'No such upload: it was completed, aborted or has expired');

/** S3 upload ids are URL-safe tokens; anything else is refused before it reaches S3 or a signature. */
export function parseUploadId(raw: string | undefined): string {
  if (!raw || raw.length > 1024 || !/^[\x21-\x7e]+$/.test(raw)) throw new PortalError('invalid_upload_id', 'Not a valid upload id');
  return raw;
}

/**
 * `checksumAlgorithm`: the portal's page checksums every part and the whole file; the upload is then
 * created so that S3 verifies each part against its checksum and keeps a FULL_OBJECT checksum, the CRC
 * of the whole file. Null: a stock Companion client's upload, created as S3 would by default.
 */
export async function createUpload(core: UploadsCore, scope: UploadScope, request: NewUpload, checksumAlgorithm: ChecksumAlgorithm | null): Promise<KeyedUpload> {
  const name = sanitiseFileName(request.filename);
  const folders = sanitiseFolders(request.relativePath, name);
  // A stock Companion client (Uppy's `endpoint` option) sends no size; our page sends `metadata.size`.
  // Without it, completion still checks parts and limits but cannot catch a file cut short at the end.
  const declaredSize = request.declaredSize ?? null;
  // The name alone decides the file type: a file the endpoint refuses must take no hold and no slot,
  // whether or not its size is known (completion would refuse it, but only days later at worst).
  if (declaredSize !== null) assertWithinLimits(name, declaredSize, scope.record, 'declared');
  else assertExtensionAllowed(name, scope.record);
  // Quota and the login's open uploads, before anything is written to the bucket.
  const admitted = await admitUpload(core, scope, declaredSize, true);
  // The page cuts by the same plan and the same inputs (/api/me), so each part has one valid length.
  const partSize = declaredSize === null ? null : planPartSize(declaredSize, { minPartSize: core.settings.minPartSizeBytes });
  const uploadedBy = uploaderOf(scope.principal);
  const { bucket } = core.settings;
  try {
    const key = await allocateKey(core.s3, bucket, {
      endpoint: scope.endpoint,
      folders,
      name,
      reservation: { kind: 'multipart', declaredSize, uploadedBy, createdAt: core.now().toISOString(), checksumAlgorithm, holdId: admitted.holdId, boundBytes: admitted.boundBytes, partSize },
    });
    const result = await core.s3.send(
      new CreateMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        ContentType: request.contentType,
        Metadata: buildObjectMetadata({ originalName: displayName(request.filename) || name, uploadedBy, declaredSize: declaredSize ?? undefined }, name),
        ...(checksumAlgorithm ? { ChecksumAlgorithm: checksumAlgorithm, ChecksumType: CHECKSUM_TYPE } : {}),
      }),
    );
    if (!result.UploadId) throw new Error('CreateMultipartUpload returned no UploadId');
    // So the login's open uploads can be listed and cancelled (open-uploads.ts). Not worth failing a
    // create that S3 has carried out: such an upload is only missing from that list.
    await core.quota.bind(scope.endpoint, admitted.holdId, key, result.UploadId).catch((error: unknown) => core.logger.warn('hold not bound to its upload', { key, error: error as Error }));
    core.checksumModes.remember(uploadFactsId(key, result.UploadId), { algorithm: checksumAlgorithm, declaredSize, boundBytes: admitted.boundBytes, partSize });
    core.metrics.add('UploadsCreated', 1);
    core.logger.info('upload created', { key, endpoint: scope.endpoint, declaredSize, boundBytes: admitted.boundBytes, uploadedBy, principal: scope.principal.kind, checksumAlgorithm });
    return { key, uploadId: result.UploadId };
  } catch (error) {
    // No upload exists: its hold must not count against the quota or the login's open uploads.
    await core.quota.release(scope.endpoint, admitted.holdId);
    throw error;
  }
}

/**
 * Starts reading the facts of the upload `key` names, before the access check has read the endpoint
 * record (the two reads overlap). Only for a key in a customer's own endpoint (an admin's may be in
 * any): nothing of another endpoint is read on a caller's behalf before access is granted. The answer
 * must not be used unless access passes.
 */
export function prefetchFacts(core: UploadsCore, principal: Principal, key: string | undefined, uploadId: string): Promise<UploadFacts | null> | undefined {
  const endpoint = key === undefined ? undefined : parseObjectKey(key)?.endpoint;
  if (key === undefined || endpoint === undefined || (principal.kind === 'customer' && principal.endpoint !== endpoint)) return undefined;
  const read = core.checksumModes.facts(endpoint, key, uploadId);
  // Refused access leaves it unread: its failure must not surface as an unhandled rejection.
  read.catch(() => undefined);
  return read;
}

/** The upload's facts for signing; 409 `upload_unverifiable` for an upload the portal did not start (no reservation). */
async function factsFor(core: UploadsCore, upload: KeyedUpload & { endpoint: string }, prefetched?: Promise<UploadFacts | null>): Promise<UploadFacts> {
  const facts = await (prefetched ?? core.checksumModes.facts(upload.endpoint, upload.key, upload.uploadId));
  if (!facts) throw new PortalError('upload_unverifiable', 'This upload was not started by the portal, so its parts cannot be signed');
  return facts;
}

/**
 * The plain protocol's one-part URL, which binds no checksum: fine for a stock client's upload, refused
 * for a checksummed one (its parts must be sent through URLs that bind their checksums). Signing is
 * pure CPU; whether the upload is checksummed costs one reservation read per upload (checksum-modes.ts).
 */
export async function signPlainPart(core: UploadsCore, upload: KeyedUpload & { endpoint: string }, partNumber: number): Promise<string> {
  const facts = await factsFor(core, upload);
  if (facts.algorithm !== null) {
    throw new PortalError('checksum_required', "This upload is checksummed: ask for its part URLs with each part's size and checksum (the batch call)");
  }
  const bound = partBoundFor(facts.declaredSize, facts.boundBytes, facts.partSize, core.settings.minPartSizeBytes);
  assertPartWithin(bound, partNumber);
  const length = bound.plainLength(partNumber);
  const binding = length !== null ? { size: length } : undefined;
  return core.partSigner.sign(upload.key, upload.uploadId, partNumber, core.settings.presignExpiresSeconds, binding);
}

/**
 * URLs binding each part's size and checksum. Signing is pure CPU (SigV4 with the role's cached
 * credentials); the upload's facts (part-bounds.ts: no part beyond its declared size) cost one
 * reservation read per upload and instance, none right after create. The checksum mode is not
 * checked: S3 itself refuses a part checksum of an algorithm the upload was not created with (400
 * InvalidRequest), so such a URL stores nothing.
 */
export async function signParts(core: UploadsCore, upload: KeyedUpload & { endpoint: string }, parts: readonly PartToSign[], prefetched?: Promise<UploadFacts | null>): Promise<Record<string, string>> {
  const { presignExpiresSeconds, minPartSizeBytes } = core.settings;
  const facts = await factsFor(core, upload, prefetched);
  const bound = partBoundFor(facts.declaredSize, facts.boundBytes, facts.partSize, minPartSizeBytes);
  for (const part of parts) assertPartWithin(bound, part.partNumber, part.size);
  const urls = await Promise.all(parts.map(({ partNumber, size, checksum }) => core.partSigner.sign(upload.key, upload.uploadId, partNumber, presignExpiresSeconds, { size, checksum })));
  core.metrics.add('PartsSigned', parts.length);
  return Object.fromEntries(parts.map((part, i) => [String(part.partNumber), urls[i]!]));
}

/** Every part S3 holds, following ListParts' pages of at most 1,000. */
export async function listAllParts(core: UploadsCore, upload: KeyedUpload): Promise<StoredPart[]> {
  const parts: StoredPart[] = [];
  let marker: string | undefined;
  // 10,000 parts at 1,000 a page; the bound only stops a misbehaving server from looping forever.
  for (let page = 0; page <= S3_MAX_PARTS / S3_LIST_PARTS_PAGE; page++) {
    let result;
    try {
      result = await core.s3.send(
        new ListPartsCommand({ Bucket: core.settings.bucket, Key: upload.key, UploadId: upload.uploadId, PartNumberMarker: marker }),
      );
    } catch (error) {
      if (isNoSuchUpload(error)) throw noSuchUpload();
      throw error;
    }
    for (const part of result.Parts ?? []) {
      parts.push({
        PartNumber: part.PartNumber ?? 0,
        ETag: part.ETag ?? '',
        Size: part.Size ?? 0,
        ...(part.ChecksumCRC64NVME ? { ChecksumCRC64NVME: part.ChecksumCRC64NVME } : {}),
      });
    }
    const next = result.NextPartNumberMarker;
    if (!result.IsTruncated || next === undefined || next === marker) break;
    marker = next;
  }
  return parts;
}

export async function abortUpload(core: UploadsCore, scope: UploadScope & { key: string }, uploadId: string): Promise<void> {
  try {
    await core.s3.send(new AbortMultipartUploadCommand({ Bucket: core.settings.bucket, Key: scope.key, UploadId: uploadId }));
  } catch (error) {
    if (isNoSuchUpload(error)) throw noSuchUpload();
    throw error;
  }
  // Its quota and its open-upload slot are free again (a hold the sweep released meanwhile: nothing to do).
  const reservation = await readReservation(core.s3, core.settings.bucket, scope.endpoint, scope.key);
  if (reservation?.holdId) {
    const hold = await core.quota.read(scope.endpoint, reservation.holdId);
    if (hold?.state === 'open') await core.quota.release(scope.endpoint, reservation.holdId);
  }
  core.metrics.add('UploadsAborted', 1);
  core.logger.info('upload aborted', { key: scope.key, endpoint: scope.endpoint });
}
