// Reading back the reservation written when an upload's key was chosen (upload-reservation.ts): by the
// uploads Lambda at completion, and by the admin Lambda to learn whether a file's URL bound its checksum.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { reservationKey, type UploadReservation } from './upload-reservation.js';
import { isMissingReservedObject } from './missing-object.js';

export async function readReservation(s3: S3Client, bucket: string, endpoint: string, key: string): Promise<UploadReservation | null> {
  let text: string;
  try {
    const result = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: reservationKey(endpoint, key) }));
    text = (await result.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    // 403 AccessDenied too: a role that may list only with an `s3:prefix` condition, which a GetObject
    // never meets, gets 403 for a missing reservation, not 404 (missing-object.ts); so does a read the
    // bucket policy refuses (malwareScan block, until GuardDuty tagged it).
    if (isMissingReservedObject(error)) return null;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<UploadReservation>;
    // Only a reservation for exactly this key counts (a hash collision or a hand-made object does not).
    return value.version === 1 && value.key === key ? (value as UploadReservation) : null;
  } catch {
    return null;
  }
}
