// A part number as the plain protocol's one-part call sends it in the path: S3 accepts 1..10000.
import { PortalError } from '../shared/errors.js';
import { S3_MAX_PARTS } from '../../contract/limits.js';

export function parsePartNumber(raw: string | undefined): number {
  const value = raw !== undefined && /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= S3_MAX_PARTS)) {
    throw new PortalError('invalid_part_number', `Part numbers are whole numbers from 1 to ${S3_MAX_PARTS}`);
  }
  return value;
}
