// The parts the page asks URLs for (`parts` of a batch or a create body): each with its number, exact
// size and CRC64NVME, all three signed into its URL. One call signs at most MAX_BATCH_PARTS. Each rule
// answers 400 with its own code, naming the first offending entry.
import type { PartToSign } from '../../contract/api/uploads.js';
import { isChecksumValue } from '../../contract/checksums.js';
import { MAX_BATCH_PARTS, S3_MAX_PART_BYTES, S3_MAX_PARTS } from '../../contract/limits.js';
import { PortalError } from '../shared/errors.js';

const isWhole = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

export function parsePartsToSign(value: unknown): PartToSign[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new PortalError('invalid_body', '`parts` must be a non-empty array of {partNumber, size, checksum}');
  }
  if (value.length > MAX_BATCH_PARTS) throw new PortalError('too_many_parts', `A batch may sign at most ${MAX_BATCH_PARTS} parts`);
  const seen = new Set<number>();
  return value.map((entry: unknown, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new PortalError('invalid_body', `parts[${i}] must be an object {partNumber, size, checksum}`);
    }
    const { partNumber, size, checksum } = entry as Record<string, unknown>;
    if (!isWhole(partNumber) || partNumber < 1 || partNumber > S3_MAX_PARTS) {
      throw new PortalError('invalid_part_number', `parts[${i}].partNumber must be a whole number from 1 to ${S3_MAX_PARTS}`);
    }
    if (seen.has(partNumber)) throw new PortalError('invalid_part_number', `Part ${partNumber} is listed more than once`);
    seen.add(partNumber);
    // S3's part limit; the 5 MiB minimum applies at completion (a last part may be smaller).
    if (!isWhole(size) || size < 1 || size > S3_MAX_PART_BYTES) {
      throw new PortalError('invalid_part_size', `parts[${i}].size must be a whole number of bytes from 1 to ${S3_MAX_PART_BYTES}`);
    }
    if (!isChecksumValue(checksum)) {
      throw new PortalError('invalid_checksum', `parts[${i}].checksum must be the part's base64 CRC64NVME (12 characters)`);
    }
    return { partNumber, size, checksum };
  });
}
