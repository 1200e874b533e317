// Which parts an upload may have signed, so that what it can store before completion is bounded by the
// size it was admitted with, and a 1-byte declaration cannot collect terabytes of billed parts.
//
// With a declared size D, a completion S3 and the portal accept has parts of at least 5 MiB but the
// last, adding up to D: so no valid upload of D has more than partCount(D, 5 MiB plan) parts, and its
// part p holds at most D - (p - 1) x 5 MiB bytes. Both are enforced; a sized part (the batch call, whose
// URL binds its exact length) is further held to the deployment's part size, the size the page cuts
// by (contract/part-plan.ts). A plain part URL binds no length; when the declared size fits in one
// part its only valid length is D, and that is bound. Other plain parts can each carry up to 5 GiB:
// the plain protocol is for stock clients, and the portal's page never uses it for a sized upload.
//
// Stock Companion clients declare no size and their URLs bind no length: the only bound is the part
// count, floor(bound / 5 GiB) (at least one), with the bound the upload was admitted with (the
// endpoint's maximum file size or what was left of its quota), so they stay under it plus one part.
// Such a client must use parts that large to send a file near its bound.
import { S3_MAX_PART_BYTES, S3_MAX_PARTS, S3_MIN_PART_BYTES } from '../../contract/limits.js';
import { partCount, planPartSize } from '../../contract/part-plan.js';
import { PortalError } from '../shared/errors.js';

export interface PartBound {
  maxParts: number;
  /** The most bytes part `partNumber` may hold (a sized part is checked against it). */
  maxBytes(partNumber: number): number;
  /** The length a plain part URL binds, when only one is valid; null = unbound. */
  plainLength(partNumber: number): number | null;
}

export function partBoundFor(declaredSize: number | null, boundBytes: number | null, minPartSizeBytes: number): PartBound {
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
  const maxParts = boundBytes === null ? S3_MAX_PARTS : Math.min(S3_MAX_PARTS, Math.max(1, Math.floor(boundBytes / S3_MAX_PART_BYTES)));
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
