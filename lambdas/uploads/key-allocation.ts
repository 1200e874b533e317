// Choosing a fresh key for a new upload. No upload ever replaces an object, and two uploads of the
// same name both survive: the second gets `report (2).pdf`. A candidate is free when no object has it
// (an exact-prefix listing), no multipart upload is in progress for it (ListMultipartUploads), and the reservation
// for it can be written with If-None-Match (the atomic step; see shared/upload-reservation.ts).
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { PortalError } from '../shared/errors.js';
import { inProgressUploads } from '../shared/multipart-uploads.js';
import { MAX_NAME_BYTES } from '../../contract/limits.js';
import { composeKey, numberedName, splitExtension, utf8Bytes } from '../shared/object-key.js';
import { customerFileKey } from '../../contract/bucket-layout.js';
import { reservationKey, type UploadReservation } from '../shared/upload-reservation.js';
import { findObject } from './object-lookup.js';
import { isConditionalWriteLost } from '../shared/s3-errors.js';

/** `name (2)` .. `name (20)`, then a few random tags: bounded work even in a folder of many copies. */
const NUMBERED_CANDIDATES = 20;
const RANDOM_CANDIDATES = 5;
/** In-progress uploads sharing the name's stem, page by page; the reservation still guards beyond this. */
const MAX_UPLOAD_LIST_PAGES = 10;

export interface KeyRequest {
  endpoint: string;
  folders: readonly string[];
  /** Sanitised. */
  name: string;
  reservation: Pick<UploadReservation, 'kind' | 'declaredSize' | 'uploadedBy' | 'createdAt' | 'checksumAlgorithm' | 'holdId' | 'boundBytes' | 'partSize'>;
}

const randomTag = (): string => randomBytes(3).toString('hex');

export function* candidateNames(name: string, random: () => string = randomTag): Generator<string> {
  for (let n = 1; n <= NUMBERED_CANDIDATES; n++) yield numberedName(name, n);
  for (let i = 0; i < RANDOM_CANDIDATES; i++) yield numberedName(name, random());
}

async function keysInProgress(s3: S3Client, bucket: string, prefix: string): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const page of inProgressUploads(s3, bucket, prefix, MAX_UPLOAD_LIST_PAGES)) for (const upload of page) keys.add(upload.key);
  return keys;
}

async function reserve(s3: S3Client, bucket: string, reservation: UploadReservation): Promise<boolean> {
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: reservationKey(reservation.endpoint, reservation.key),
        Body: JSON.stringify(reservation),
        ContentType: 'application/json',
        IfNoneMatch: '*',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalWriteLost(error)) return false;
    throw error;
  }
}

/** Returns a reserved key no object and no other upload has; 409 `name_unavailable` if none is found. */
export async function allocateKey(s3: S3Client, bucket: string, request: KeyRequest, random?: () => string): Promise<string> {
  const [stem] = splitExtension(request.name);
  const inProgress = await keysInProgress(s3, bucket, customerFileKey(request.endpoint, [...request.folders, stem].join('/')));
  for (const candidate of candidateNames(request.name, random)) {
    if (utf8Bytes(candidate) > MAX_NAME_BYTES) {
      throw new PortalError('filename_too_long', `A file named like this already exists, and the name is too long to number`);
    }
    const key = composeKey(request.endpoint, request.folders, candidate);
    if (inProgress.has(key) || (await findObject(s3, bucket, key)) !== null) continue;
    if (await reserve(s3, bucket, { version: 1, key, endpoint: request.endpoint, ...request.reservation })) return key;
  }
  throw new PortalError('name_unavailable', 'Could not find a free name for this file; rename it and try again');
}
