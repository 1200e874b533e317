// The listing indexes' sort keys, built so that DynamoDB's string order (UTF-8 bytes) is the order the
// console asks for, and every key is unique within its folder: the value, U+0001 (below every character
// a name or a segment can hold, so `a` sorts before `a b`), then the file's key segment. A GSI sort
// key may hold at most 1,024 bytes: a segment has at most 255, so the name part is cut to 512.
import { MAX_NAME_BYTES } from '../../../contract/limits.js';

const SEPARATOR = '\u0001';
/** The name part of byName, in UTF-8 bytes. */
export const NAME_SORT_BYTES = 512;

/** What name search and name order compare: NFC, lower case. */
export const searchForm = (text: string): string => text.normalize('NFC').toLowerCase();

/** Cuts a string to at most `bytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, bytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= bytes) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (used + size > bytes) break;
    out += char;
    used += size;
  }
  return out;
}

const tail = (segment: string): string => SEPARATOR + truncateUtf8(segment, MAX_NAME_BYTES);

export const nameSortKey = (name: string, segment: string): string => truncateUtf8(searchForm(name), NAME_SORT_BYTES) + tail(segment);

/** `2026-11-25T12:00:00.000Z` sorts as time: every value has this one ISO form. */
export const timeSortKey = (uploadedAt: string, segment: string): string => uploadedAt + tail(segment);

/** 16 digits hold S3's largest object (about 5.5e13 bytes) with room to spare. */
export const SIZE_DIGITS = 16;
export const sizeSortKey = (size: number, segment: string): string => String(size).padStart(SIZE_DIGITS, '0') + tail(segment);

/** The byTime bounds of an inclusive time range (`to` takes every file of its millisecond). */
export const timeRangeBounds = (fromIso: string | null, toIso: string | null): { low: string | null; high: string | null } => ({
  low: fromIso,
  high: toIso === null ? null : toIso + '\u0002',
});

/**
 * S3 sequencers as strings whose order is event order: S3 says to right-pad the shorter with zeros and
 * compare as hex (case-insensitively); a fixed width does both at once. Null for anything else.
 */
export const SEQUENCER_WIDTH = 64;
export function sequencerOrder(sequencer: unknown): string | null {
  if (typeof sequencer !== 'string' || !/^[0-9A-Fa-f]{1,64}$/.test(sequencer)) return null;
  return sequencer.toUpperCase().padEnd(SEQUENCER_WIDTH, '0');
}
