// Part numbers as the client sends them: S3 accepts 1..10000, and one batch signs at most 100.
import { badRequest } from '../shared/errors.js';
import { MAX_PARTS } from './limits.js';

/** One batch answers within the ALB's 1 MB response limit (100 URLs of ~2 KB) and bounds the work per call. */
export const MAX_BATCH_PARTS = 100;

export function parsePartNumber(raw: string | undefined): number {
  const value = raw !== undefined && /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= MAX_PARTS)) {
    throw badRequest('invalid_part_number', `Part numbers are whole numbers from 1 to ${MAX_PARTS}`);
  }
  return value;
}

/** `1,2,3` -> [1, 2, 3]: non-empty, no repeats, at most MAX_BATCH_PARTS. */
export function parsePartNumbers(raw: string | undefined): number[] {
  if (!raw) throw badRequest('invalid_part_number', 'The `partNumbers` query parameter is required');
  const items = raw.split(',');
  if (items.length > MAX_BATCH_PARTS) {
    throw badRequest('too_many_parts', `A batch may sign at most ${MAX_BATCH_PARTS} parts`);
  }
  const numbers = items.map((s) => parsePartNumber(s.trim()));
  if (new Set(numbers).size !== numbers.length) throw badRequest('invalid_part_number', 'A part number is repeated');
  return numbers;
}
