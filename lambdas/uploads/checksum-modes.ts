// Whether an upload is checksummed, for the plain one-part sign call (stock Companion clients), which
// carries no checksum: a checksummed upload's part URL must bind one, so that call is refused for it.
// The answer comes from the upload's reservation (S3 keeps no such fact we could read: an upload
// created without an algorithm may still list S3's own default checksums). It never changes for an
// upload id, so it is remembered per id and the plain call costs one S3 read per upload and Lambda
// instance, not one per part.
import type { S3Client } from '@aws-sdk/client-s3';
import type { ChecksumAlgorithm } from '../../contract/checksums.js';
import { readReservation } from './reservations.js';


export class ChecksumModes {
  private readonly known = new Map<string, ChecksumAlgorithm | null>();

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    /** Bounds the memory a long-lived instance spends on it; the oldest entries go first. */
    private readonly maxRemembered = 10_000,
  ) {}

  /** The upload's algorithm, or null (a stock client's upload, or one the portal did not start). */
  async of(endpoint: string, key: string, uploadId: string): Promise<ChecksumAlgorithm | null> {
    const id = `${uploadId}\n${key}`;
    const remembered = this.known.get(id);
    if (remembered !== undefined) return remembered;
    // The reservation is written before the upload exists, so a missing one stays missing.
    const reservation = await readReservation(this.s3, this.bucket, endpoint, key);
    const algorithm = reservation?.kind === 'multipart' ? (reservation.checksumAlgorithm ?? null) : null;
    if (this.known.size >= this.maxRemembered) this.known.delete(this.known.keys().next().value!);
    this.known.set(id, algorithm);
    return algorithm;
  }
}
