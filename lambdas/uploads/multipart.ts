// The multipart control plane: create, sign parts, list parts, complete (verified), abort. Callers
// have already checked the principal's access (access.ts); these functions talk to S3.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
} from '@aws-sdk/client-s3';
import { PortalError, isPortalError } from '../shared/errors.js';
import { buildObjectMetadata } from '../shared/object-metadata.js';
import { displayName, sanitiseFileName, sanitiseFolders } from '../shared/object-key.js';
import { uploaderOf, type UploadScope } from './access.js';
import { multipartEtag, normaliseEtag, verifyCompletion, type ClientPart, type StoredPart } from './completion.js';
import type { UploadsCore } from './core.js';
import { allocateKey } from './key-allocation.js';
import { S3_LIST_PARTS_PAGE, S3_MAX_PARTS } from '../../contract/limits.js';
import { assertWithinLimits } from './limits.js';
import type { NewUpload } from './new-upload.js';
import { findObject } from './object-lookup.js';
import { readReservation } from './reservations.js';
import { isConditionalWriteLost, isNoSuchUpload, s3ErrorName } from '../shared/s3-errors.js';

export interface KeyedUpload {
  key: string;
  uploadId: string;
}

const noSuchUpload = () => new PortalError('no_such_upload', 'No such upload: it was completed, aborted or has expired');

/** S3 upload ids are URL-safe tokens; anything else is refused before it reaches S3 or a signature. */
export function parseUploadId(raw: string | undefined): string {
  if (!raw || raw.length > 1024 || !/^[\x21-\x7e]+$/.test(raw)) throw new PortalError('invalid_upload_id', 'Not a valid upload id');
  return raw;
}

export async function createUpload(core: UploadsCore, scope: UploadScope, request: NewUpload): Promise<KeyedUpload> {
  const name = sanitiseFileName(request.filename);
  const folders = sanitiseFolders(request.relativePath, name);
  // A stock Companion client (Uppy's `endpoint` option) sends no size; our page sends `metadata.size`.
  // Without it, completion still checks parts and limits but cannot catch a file cut short at the end.
  const declaredSize = request.declaredSize ?? null;
  if (declaredSize !== null) assertWithinLimits(name, declaredSize, scope.record, 'declared');
  const uploadedBy = uploaderOf(scope.principal);
  const { bucket } = core.settings;
  const key = await allocateKey(core.s3, bucket, {
    endpoint: scope.endpoint,
    folders,
    name,
    reservation: { kind: 'multipart', declaredSize, uploadedBy, createdAt: core.now().toISOString() },
  });
  const result = await core.s3.send(
    new CreateMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      ContentType: request.contentType,
      Metadata: buildObjectMetadata({ originalName: displayName(request.filename) || name, uploadedBy, declaredSize: declaredSize ?? undefined }, name),
    }),
  );
  if (!result.UploadId) throw new Error('CreateMultipartUpload returned no UploadId');
  core.metrics.add('UploadsCreated', 1);
  core.logger.info('upload created', { key, endpoint: scope.endpoint, declaredSize, uploadedBy, principal: scope.principal.kind });
  return { key, uploadId: result.UploadId };
}

/** Pure CPU (SigV4 with the role's cached credentials): no S3 round trip per part. */
export async function signPart(core: UploadsCore, upload: KeyedUpload, partNumber: number): Promise<string> {
  return core.partSigner.sign(upload.key, upload.uploadId, partNumber, core.settings.presignExpiresSeconds);
}

export async function signParts(core: UploadsCore, upload: KeyedUpload, partNumbers: readonly number[]): Promise<Record<string, string>> {
  const urls = await Promise.all(partNumbers.map((n) => signPart(core, upload, n)));
  core.metrics.add('PartsSigned', partNumbers.length);
  return Object.fromEntries(partNumbers.map((n, i) => [String(n), urls[i]!]));
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
      parts.push({ PartNumber: part.PartNumber ?? 0, ETag: part.ETag ?? '', Size: part.Size ?? 0 });
    }
    const next = result.NextPartNumberMarker;
    if (!result.IsTruncated || next === undefined || next === marker) break;
    marker = next;
  }
  return parts;
}

export interface CompletedUpload {
  key: string;
  location: string | null;
  totalBytes: number;
}

export async function completeUpload(
  core: UploadsCore,
  scope: UploadScope & { key: string; parsed: { name: string } },
  uploadId: string,
  clientParts: readonly ClientPart[],
): Promise<CompletedUpload> {
  const upload = { key: scope.key, uploadId };
  let storedParts: StoredPart[];
  try {
    storedParts = await listAllParts(core, upload);
  } catch (error) {
    if (isPortalError(error) && error.code === 'no_such_upload') {
      const earlier = await completedEarlier(core, scope, clientParts);
      if (earlier) return earlier;
    }
    throw error;
  }
  const reservation = await readReservation(core.s3, core.settings.bucket, scope.endpoint, scope.key);
  if (!reservation || reservation.kind !== 'multipart') {
    throw new PortalError('upload_unverifiable', 'This upload was not started by the portal, so its size cannot be verified');
  }
  const verified = verifyCompletion({
    clientParts,
    storedParts,
    declaredSize: reservation.declaredSize,
    name: scope.parsed.name,
    limits: scope.record,
  });
  let location: string | undefined;
  try {
    const result = await core.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: core.settings.bucket,
        Key: scope.key,
        UploadId: uploadId,
        MultipartUpload: { Parts: verified.parts },
        // Never replace an object, whatever happened since the key was chosen.
        IfNoneMatch: '*',
      }),
    );
    location = result.Location;
  } catch (error) {
    // Another request completed it between our ListParts and this call.
    const earlier = isNoSuchUpload(error) ? await completedEarlier(core, scope, clientParts) : null;
    if (earlier) return earlier;
    throw mapCompleteError(error);
  }
  core.metrics.add('UploadsCompleted', 1);
  core.metrics.add('BytesCompleted', verified.totalBytes);
  core.logger.info('upload completed', { key: scope.key, endpoint: scope.endpoint, bytes: verified.totalBytes, parts: verified.parts.length });
  return { key: scope.key, location: location ?? null, totalBytes: verified.totalBytes };
}

/**
 * A completion S3 carried out whose answer was lost (an ALB 502, a timeout) leaves the client sending
 * `complete` again for an upload S3 no longer knows. When the object at the key is exactly what these
 * parts make (S3's multipart ETag over the part ETags, which only the uploader holds), the retry gets
 * the answer the first call would have had, instead of a failure for a file that is stored.
 */
async function completedEarlier(core: UploadsCore, scope: UploadScope & { key: string }, clientParts: readonly ClientPart[]): Promise<CompletedUpload | null> {
  const expected = multipartEtag(clientParts);
  if (!expected) return null;
  const stored = await findObject(core.s3, core.settings.bucket, scope.key);
  if (!stored || normaliseEtag(stored.etag) !== expected) return null;
  core.logger.info('upload was already completed', { key: scope.key, endpoint: scope.endpoint, bytes: stored.size });
  return { key: scope.key, location: null, totalBytes: stored.size };
}

/** The upload is left as it is on every failure, so the client can fix what is wrong and complete again. */
function mapCompleteError(error: unknown): unknown {
  if (isNoSuchUpload(error)) return noSuchUpload();
  if (s3ErrorName(error) === 'ConditionalRequestConflict') {
    return new PortalError('complete_in_progress', 'Another request is completing an upload to this key; try again shortly');
  }
  if (isConditionalWriteLost(error)) {
    // Not aborted (the parts stay, and the client decides); only a new upload gets a new, free key.
    return new PortalError('object_exists', 'A file with this name was stored meanwhile and was not replaced; send this file again to store it under a new name');
  }
  if (s3ErrorName(error) === 'InvalidPart' || s3ErrorName(error) === 'InvalidPartOrder') {
    return new PortalError('parts_changed', 'The parts changed while completing; list the parts and try again');
  }
  if (s3ErrorName(error) === 'EntityTooSmall') return new PortalError('part_too_small', 'A part other than the last is smaller than 5 MiB');
  return error;
}

export async function abortUpload(core: UploadsCore, scope: UploadScope & { key: string }, uploadId: string): Promise<void> {
  try {
    await core.s3.send(new AbortMultipartUploadCommand({ Bucket: core.settings.bucket, Key: scope.key, UploadId: uploadId }));
  } catch (error) {
    if (isNoSuchUpload(error)) throw noSuchUpload();
    throw error;
  }
  core.metrics.add('UploadsAborted', 1);
  core.logger.info('upload aborted', { key: scope.key, endpoint: scope.endpoint });
}
