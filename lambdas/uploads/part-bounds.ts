// Which parts an upload may have signed, so that what it can store is bounded by what it was admitted
// with (its declared size, or the bound of an upload that declared none) plus at most one part.
//
// With a declared size D the page cuts the file by the part plan (contract/part-plan.ts) with the
// deployment's minimum part size: parts of P bytes, the last shorter. A part number past that plan's
// count, or a part larger than P (or than D), is refused: the parts signed then hold at most
// count x P < D + P bytes. A checksummed part's URL binds its exact length, so that is what S3 takes.
//
// Stock Companion clients declare no size and their part URLs bind no length, so each part can carry
// up to S3's 5 GiB: the only bound is the part count, floor(bound / 5 GiB) (at least one), which keeps
// them under the bound plus one part. Such a client must use parts that large to send a file near
// its bound; the portal's page declares the size and is not limited this way.
import { S3_MAX_PART_BYTES, S3_MAX_PARTS } from '../../contract/limits.js';
import { partCount, planPartSize } from '../../contract/part-plan.js';
import { PortalError } from '../shared/errors.js';

export interface PartBound {
  maxParts: number;
  maxPartBytes: number;
}

export function partBoundFor(declaredSize: number | null, boundBytes: number | null, minPartSizeBytes: number): PartBound {
  if (declaredSize !== null) {
    const partSize = planPartSize(declaredSize, { minPartSize: minPartSizeBytes });
    return { maxParts: partCount(declaredSize, partSize), maxPartBytes: Math.max(1, Math.min(partSize, declaredSize)) };
  }
  if (boundBytes === null) return { maxParts: S3_MAX_PARTS, maxPartBytes: S3_MAX_PART_BYTES };
  return { maxParts: Math.min(S3_MAX_PARTS, Math.max(1, Math.floor(boundBytes / S3_MAX_PART_BYTES))), maxPartBytes: S3_MAX_PART_BYTES };
}

/** 400 `part_beyond_size` for a part outside the bound; `size` is absent for a plain (unbound-length) part. */
export function assertPartWithin(bound: PartBound, partNumber: number, size?: number): void {
  if (partNumber > bound.maxParts) {
    throw new PortalError('part_beyond_size', `This upload has at most ${bound.maxParts} part${bound.maxParts === 1 ? '' : 's'} for the size it was started with; part ${partNumber} is beyond it`);
  }
  if (size !== undefined && size > bound.maxPartBytes) {
    throw new PortalError('part_beyond_size', `A part of this upload holds at most ${bound.maxPartBytes} bytes; part ${partNumber} asks for ${size}`);
  }
}
