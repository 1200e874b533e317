// Part numbers as the client sends them: S3 accepts 1..10000, and one call signs at most 100, either
// as the batch call's `partNumbers=1,2,3` query or as the `partNumbers` array of a create body.
import { PortalError } from '../shared/errors.js';
import { MAX_BATCH_PARTS, S3_MAX_PARTS } from '../../contract/limits.js';

export function parsePartNumber(raw: string | undefined): number {
  const value = raw !== undefined && /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= S3_MAX_PARTS)) {
    throw new PortalError('invalid_part_number', `Part numbers are whole numbers from 1 to ${S3_MAX_PARTS}`);
  }
  return value;
}

/** Non-empty, no repeats, at most MAX_BATCH_PARTS, each valid. */
function partNumberList(items: readonly string[]): number[] {
  if (items.length > MAX_BATCH_PARTS) {
    throw new PortalError('too_many_parts', `A batch may sign at most ${MAX_BATCH_PARTS} parts`);
  }
  const numbers = items.map((s) => parsePartNumber(s.trim()));
  if (new Set(numbers).size !== numbers.length) throw new PortalError('invalid_part_number', 'A part number is repeated');
  return numbers;
}

/** `1,2,3` -> [1, 2, 3]. */
export function parsePartNumbers(raw: string | undefined): number[] {
  if (!raw) throw new PortalError('invalid_part_number', 'The `partNumbers` query parameter is required');
  return partNumberList(raw.split(','));
}

/** A create body's optional `partNumbers` (parts to sign along with the new upload): an array of whole numbers, or absent. */
export function parseCreatePartNumbers(value: unknown): number[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((n) => typeof n === 'number' && Number.isInteger(n))) {
    throw new PortalError('invalid_part_number', '`partNumbers` must be a non-empty array of whole numbers');
  }
  return partNumberList(value.map(String));
}
