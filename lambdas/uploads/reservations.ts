// Reading back the reservation written when an upload's key was chosen (see shared/upload-reservation.ts).
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { reservationKey, type UploadReservation } from '../shared/upload-reservation.js';
import { isMissingReservedObject } from '../shared/missing-object.js';

export async function readReservation(s3: S3Client, bucket: string, endpoint: string, key: string): Promise<UploadReservation | null> {
  let text: string;
  try {
    const result = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: reservationKey(endpoint, key) }));
    text = (await result.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    // 403 AccessDenied too: the uploads role may list only with an `s3:prefix` condition, which a
    // GetObject never meets, so S3 answers a missing reservation with 403, not 404 (missing-object.ts).
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
