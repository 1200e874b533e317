// Completing a multipart upload: what S3 holds is checked against the client's part list
// (completion.ts), then S3 assembles the object under `If-None-Match: *`. For a checksummed upload S3
// also checks the assembled object against the whole file's CRC64NVME the page computed (a mismatch
// stores nothing and leaves the upload as it was), and keeps that checksum with the object. S3's
// step sits between an audit intent and its result (upload-audit.ts).
import { CompleteMultipartUploadCommand } from '@aws-sdk/client-s3';
import type { FileChecksum } from '../../contract/checksums.js';
import { CHECKSUM_TYPE } from '../../contract/checksums.js';
import { PortalError, isPortalError } from '../shared/errors.js';
import { toFileChecksum } from '../shared/file-checksum.js';
import { isConditionalWriteLost, isNoSuchUpload, s3ErrorName } from '../shared/s3-errors.js';
import type { UploadScope } from './access.js';
import { auditedCompletion, type RequestFacts } from './upload-audit.js';
import { multipartEtag, normaliseEtag, verifyCompletion, type CompletionRequest, type StoredPart } from './completion.js';
import type { UploadsCore } from './core.js';
import { listAllParts, noSuchUpload } from './multipart.js';
import { findObject } from './object-lookup.js';
import { readReservation } from '../shared/reservation-reader.js';
import { assertCompletionFits, landUpload } from './upload-quota.js';

export interface CompletedUpload {
  key: string;
  location: string | null;
  totalBytes: number;
  /** As S3 verified and keeps it; null when S3 reported none. */
  checksum: FileChecksum | null;
}

type KeyScope = UploadScope & { key: string; parsed: { name: string } };

export async function completeUpload(
  core: UploadsCore,
  scope: KeyScope,
  uploadId: string,
  request: CompletionRequest,
  facts: RequestFacts,
): Promise<CompletedUpload> {
  const upload = { key: scope.key, uploadId };
  let storedParts: StoredPart[];
  try {
    storedParts = await listAllParts(core, upload);
  } catch (error) {
    if (isPortalError(error) && error.code === 'no_such_upload') {
      const earlier = await completedEarlier(core, scope, request);
      if (earlier) {
        // The first call may have died before it landed the hold: the login's slot is free either way.
        const landed = await readReservation(core.s3, core.settings.bucket, scope.endpoint, scope.key);
        await landUpload(core, scope.endpoint, landed?.holdId, scope.key);
        return earlier;
      }
    }
    throw error;
  }
  const reservation = await readReservation(core.s3, core.settings.bucket, scope.endpoint, scope.key);
  if (!reservation || reservation.kind !== 'multipart') {
    throw new PortalError('upload_unverifiable', 'This upload was not started by the portal, so its size cannot be verified');
  }
  const checksummed = (reservation.checksumAlgorithm ?? null) !== null;
  if (checksummed && request.checksum === undefined) {
    throw new PortalError('checksum_required', "This upload is checksummed: completing it needs the whole file's checksum");
  }
  if (!checksummed && request.checksum !== undefined) {
    // S3 could not check it, and answering as if it had would be a false receipt.
    throw new PortalError('invalid_checksum', 'This upload was started without checksums, so a whole-file checksum cannot be verified; complete it without one');
  }
  const verified = verifyCompletion({
    clientParts: request.parts,
    storedParts,
    declaredSize: reservation.declaredSize,
    name: scope.parsed.name,
    limits: scope.record,
    requireChecksums: checksummed,
  });
  // The quota once more, with the real size and the quota as it is now.
  await assertCompletionFits(core, scope.endpoint, scope.record, reservation.holdId, verified.totalBytes, reservation.boundBytes ?? null);
  const command = new CompleteMultipartUploadCommand({
    Bucket: core.settings.bucket,
    Key: scope.key,
    UploadId: uploadId,
    MultipartUpload: { Parts: verified.parts },
    // Never replace an object, whatever happened since the key was chosen.
    IfNoneMatch: '*',
    ...(checksummed
      ? {
          // S3 checks the assembled object against it (BadDigest otherwise) and keeps it.
          ChecksumCRC64NVME: request.checksum,
          ChecksumType: CHECKSUM_TYPE,
          ...(reservation.declaredSize !== null ? { MpuObjectSize: reservation.declaredSize } : {}),
        }
      : {}),
  });
  const target = { key: scope.key, endpoint: scope.endpoint, principal: scope.principal };
  let assembled;
  try {
    assembled = await auditedCompletion(core, target, facts, reservation.declaredSize, async () => {
      const result = await core.s3.send(command);
      return { location: result.Location ?? null, size: verified.totalBytes, checksum: toFileChecksum(result.ChecksumCRC64NVME, result.ChecksumType) };
    });
  } catch (error) {
    // Another request completed it between our ListParts and this call.
    const earlier = isNoSuchUpload(error) ? await completedEarlier(core, scope, request) : null;
    if (earlier) {
      await landUpload(core, scope.endpoint, reservation.holdId, scope.key);
      return earlier;
    }
    throw mapCompleteError(error);
  }
  const { location, checksum } = assembled;
  await landUpload(core, scope.endpoint, reservation.holdId, scope.key);
  core.metrics.add('UploadsCompleted', 1);
  core.metrics.add('BytesCompleted', verified.totalBytes);
  core.logger.info('upload completed', { key: scope.key, endpoint: scope.endpoint, bytes: verified.totalBytes, parts: verified.parts.length, checksum: checksum?.base64 ?? null });
  return { key: scope.key, location, totalBytes: verified.totalBytes, checksum };
}

/**
 * A completion S3 carried out whose answer was lost (an ALB 502, a timeout) leaves the client sending
 * `complete` again for an upload S3 no longer knows. When the object at the key is exactly what these
 * parts make (S3's multipart ETag over the part ETags, which only the uploader holds), the retry gets
 * the answer the first call would have had, instead of a failure for a file that is stored. Its
 * checksum is null ("S3 reported none"), never the one the retry carries: that one was not checked
 * (the ETag binds the parts, not it), and answering it would be a false receipt. Reading the one S3
 * keeps would need HeadObject, which this role may not do (it may not read customers' files, and the
 * bucket refuses reads of files not yet scanned); the page keeps the checksum it computed, and the
 * file list shows the one S3 keeps. (The first call wrote the audit result, or at least its intent
 * when it died between S3's answer and the result; nothing is written again here, so a retry never
 * duplicates an event.)
 */
async function completedEarlier(core: UploadsCore, scope: UploadScope & { key: string }, request: CompletionRequest): Promise<CompletedUpload | null> {
  const expected = multipartEtag(request.parts);
  if (!expected) return null;
  const stored = await findObject(core.s3, core.settings.bucket, scope.key);
  if (!stored || normaliseEtag(stored.etag) !== expected) return null;
  core.logger.info('upload was already completed', { key: scope.key, endpoint: scope.endpoint, bytes: stored.size });
  return { key: scope.key, location: null, totalBytes: stored.size, checksum: null };
}

/** The upload is left as it is on every failure, so the client can fix what is wrong and complete again. */
function mapCompleteError(error: unknown): unknown {
  if (isNoSuchUpload(error)) return noSuchUpload();
  if (s3ErrorName(error) === 'BadDigest') {
    return new PortalError('checksum_mismatch', "The whole file's checksum does not match the parts S3 holds, so nothing was stored. The upload stays open: compare the parts' checksums (list the parts) with the file's, send the ones that differ again, then complete");
  }
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
