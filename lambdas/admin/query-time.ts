// Times in admin queries (`from`, `to`): an ISO 8601 date or time, refused with invalid_time when it
// names no real instant. One parser for the file listing and the audit trail.
import { PortalError } from '../shared/errors.js';

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-](\d{2}):(\d{2}))?)?$/;

/**
 * Whether the date and clock fields name a real instant. Date.parse rolls impossible fields over
 * (`2026-02-31` becomes March 3, `T24:00` the next day) instead of refusing them, so each field must
 * come back unchanged from a UTC date built from them.
 */
function isRealTime(match: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match.slice(1).map((field) => Number(field ?? 0));
  const utc = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0-99 as 1900-1999.
  utc.setUTCFullYear(year!, month! - 1, day);
  utc.setUTCHours(hour!, minute, second);
  const fields = [utc.getUTCFullYear(), utc.getUTCMonth() + 1, utc.getUTCDate(), utc.getUTCHours(), utc.getUTCMinutes(), utc.getUTCSeconds()];
  return fields.every((value, i) => value === [year, month, day, hour, minute, second][i]) && offsetHours! <= 23 && offsetMinutes! <= 59;
}

/** An ISO 8601 date or time (a bare date = its midnight UTC), as milliseconds since the epoch. */
export function parseTimeMs(raw: string | undefined, field: string): number | null {
  if (raw === undefined || raw === '') return null;
  const match = ISO_TIME.exec(raw);
  const ms = match && isRealTime(match) ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms)) throw new PortalError('invalid_time', `${field} must be an ISO 8601 date or timestamp`);
  return ms;
}

/** The same time as Date#toISOString writes it. */
export function parseTime(raw: string | undefined, field: string): string | null {
  const ms = parseTimeMs(raw, field);
  return ms === null ? null : new Date(ms).toISOString();
}
