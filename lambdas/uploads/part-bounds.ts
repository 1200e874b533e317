// Which parts an upload may have signed, so that what it can store before completion is bounded by the
// size it was admitted with, and a 1-byte declaration cannot collect terabytes of billed parts.
//
// With a declared size D, the upload was created with the part plan the page cuts by
// (contract/part-plan.ts: parts of P bytes, the last shorter), and P is kept in its reservation. Part
// p of it then has exactly one valid length, min(P, D - (p - 1) x P), and there are partCount(D, P)
// parts: a sized URL (the batch call) may bind no more than that length and a plain URL binds exactly
// it, so everything the URLs of one upload can store adds up to at most D, with no overshoot at all.
// A client that declares a size must therefore cut by the published plan (/api/me gives its inputs).
//
// Reservations written before the plan was kept (uploads in flight across that deployment) fall back
// to the looser rule they were signed under: at most partCount(D, 5 MiB) parts, part p at most
// min(deployment part size, D - (p - 1) x 5 MiB), plain parts bound only when D fits in one part.
//
// Stock Companion clients declare no size and their URLs bind no length: the only bound is the part
// count, floor(bound / 5 GiB), with the bound the upload was admitted with (the least of the endpoint's
// maximum file size, what was left of its quota and S3's largest object), so they stay within it. Such
// a client must use parts that large to send a file near its bound; a bound under 5 GiB is refused at
// admission (upload-quota.ts), since one URL without a length could already take more. An endpoint with
// neither a maximum file size nor a quota lets one upload stage S3's largest object (10,000 parts of
// 5 GiB), sized or not: a declared size can ask for as much.
import { S3_MAX_OBJECT_BYTES, S3_MAX_PART_BYTES, S3_MAX_PARTS, S3_MIN_PART_BYTES } from '../../contract/limits.js';
import { partCount, planPartSize } from '../../contract/part-plan.js';
import { PortalError } from '../shared/errors.js';

export interface PartBound {
  maxParts: number;
  /** The most bytes part `partNumber` may hold (a sized part is checked against it). */
  maxBytes(partNumber: number): number;
  /** The length a plain part URL binds, when only one is valid; null = unbound. */
  plainLength(partNumber: number): number | null;
}

/** The one valid length of each part of a `declaredSize`-byte file cut in parts of `partSize` bytes. */
export function plannedPartLength(declaredSize: number, partSize: number, partNumber: number): number {
  return Math.max(1, Math.min(partSize, declaredSize - (partNumber - 1) * partSize));
}

/**
 * `plannedPartSize`: the part size kept in the upload's reservation (null: a reservation from before
 * it was kept, or an upload without a declared size).
 */
export function partBoundFor(declaredSize: number | null, boundBytes: number | null, plannedPartSize: number | null, minPartSizeBytes: number): PartBound {
  if (declaredSize !== null && plannedPartSize !== null) {
    const maxParts = partCount(declaredSize, plannedPartSize);
    const length = (partNumber: number) => plannedPartLength(declaredSize, plannedPartSize, partNumber);
    return { maxParts, maxBytes: length, plainLength: length };
  }
  if (declaredSize !== null) {
    const maxParts = partCount(declaredSize, planPartSize(declaredSize, { minPartSize: S3_MIN_PART_BYTES }));
    const deploymentPart = planPartSize(declaredSize, { minPartSize: minPartSizeBytes });
    const remainder = (partNumber: number) => declaredSize - (partNumber - 1) * S3_MIN_PART_BYTES;
    return {
      maxParts,
      maxBytes: (partNumber) => Math.max(1, Math.min(deploymentPart, remainder(partNumber))),
      plainLength: (partNumber) => (maxParts === 1 && partNumber === 1 ? Math.max(1, declaredSize) : null),
    };
  }
  // A null bound: a reservation from before every upload was admitted with one; S3's largest object bounds it.
  const maxParts = Math.min(S3_MAX_PARTS, Math.max(1, Math.floor((boundBytes ?? S3_MAX_OBJECT_BYTES) / S3_MAX_PART_BYTES)));
  return { maxParts, maxBytes: () => S3_MAX_PART_BYTES, plainLength: () => null };
}

/** 400 `part_beyond_size` for a part outside the bound; `size` is absent for a plain (unbound-length) part. */
export function assertPartWithin(bound: PartBound, partNumber: number, size?: number): void {
  if (partNumber > bound.maxParts) {
    throw new PortalError('part_beyond_size', `This upload has at most ${bound.maxParts} part${bound.maxParts === 1 ? '' : 's'} for the size it was started with; part ${partNumber} is beyond it`);
  }
  if (size !== undefined && size > bound.maxBytes(partNumber)) {
    throw new PortalError('part_beyond_size', `Part ${partNumber} of this upload holds at most ${bound.maxBytes(partNumber)} bytes; ${size} were asked for`);
  }
}
