// What the sign calls must know of an upload, from its reservation (S3 keeps no such fact we could
// read: an upload created without an algorithm may still list S3's own default checksums, and
// ListParts carries no metadata): whether it is checksummed (the plain one-part call, which carries no
// checksum, is refused for a checksummed upload) and which parts it may have signed (part-bounds.ts).
// None of it changes for an upload id, so it is remembered per id: signing costs one S3 read per upload
// and Lambda instance, not one per part or batch.
import type { S3Client } from '@aws-sdk/client-s3';
import type { ChecksumAlgorithm } from '../../contract/checksums.js';
import { readReservation } from '../shared/reservation-reader.js';

export interface UploadFacts {
  /** The upload's algorithm, or null (a stock client's upload). */
  algorithm: ChecksumAlgorithm | null;
  declaredSize: number | null;
  /** Bytes it may store (reservation's boundBytes); null = a reservation from before every upload got a bound. */
  boundBytes: number | null;
  /** The part size it was planned with (reservation's partSize); null = no declared size, or from before it was kept. */
  partSize: number | null;
}

export class ChecksumModes {
  private readonly known = new Map<string, UploadFacts | null>();

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    /** Bounds the memory a long-lived instance spends on it; the oldest entries go first. */
    private readonly maxRemembered = 10_000,
  ) {}

  /** The upload's algorithm, or null (a stock client's upload, or one the portal did not start). */
  async of(endpoint: string, key: string, uploadId: string): Promise<ChecksumAlgorithm | null> {
    return (await this.facts(endpoint, key, uploadId))?.algorithm ?? null;
  }

  /** Null when no multipart reservation exists for the key (an upload the portal did not start). */
  async facts(endpoint: string, key: string, uploadId: string): Promise<UploadFacts | null> {
    const id = uploadFactsId(key, uploadId);
    const remembered = this.known.get(id);
    if (remembered !== undefined) return remembered;
    // The reservation is written before the upload exists, so a missing one stays missing.
    const reservation = await readReservation(this.s3, this.bucket, endpoint, key);
    const facts =
      reservation?.kind === 'multipart'
        ? { algorithm: reservation.checksumAlgorithm ?? null, declaredSize: reservation.declaredSize, boundBytes: reservation.boundBytes ?? reservation.declaredSize, partSize: typeof reservation.partSize === 'number' && Number.isSafeInteger(reservation.partSize) ? reservation.partSize : null }
        : null;
    this.remember(id, facts);
    return facts;
  }

  /** What create already knows, so the first batch signed with it needs no read. */
  remember(id: string, facts: UploadFacts | null): void {
    if (this.known.size >= this.maxRemembered) this.known.delete(this.known.keys().next().value!);
    this.known.set(id, facts);
  }
}

export const uploadFactsId = (key: string, uploadId: string): string => `${uploadId}\n${key}`;
