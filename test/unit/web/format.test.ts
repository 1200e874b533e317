import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDateTime,
  formatDuration,
  formatExtensions,
  formatRelative,
  formatSpeed,
  parseBytes,
  parseExtensions,
} from '../../../web/src/shared/format.js';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [10 * 1024 ** 2 + 1024 ** 2 / 5, '10.2 MB'],
    [100 * 1024 ** 2, '100 MB'],
    [1.25 * 1024 ** 3, '1.25 GB'],
    [5 * 1024 ** 4, '5 TB'],
    [48.8 * 1024 ** 4, '48.8 TB'],
    [-1, '–'],
    [Number.NaN, '–'],
  ])('%s -> %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it('formats speeds', () => expect(formatSpeed(12.5 * 1024 ** 2)).toBe('12.5 MB/s'));
});

describe('parseBytes', () => {
  it.each([
    ['', null],
    ['  ', null],
    ['1048576', 1048576],
    ['500 MB', 500 * 1024 ** 2],
    ['50gb', 50 * 1024 ** 3],
    ['1.5 TB', 1.5 * 1024 ** 4],
    ['2,5 GiB', 2.5 * 1024 ** 3],
    ['10 K', 10 * 1024],
  ])('%j -> %s', (text, bytes) => expect(parseBytes(text)).toBe(bytes));

  it.each(['lots', '5 XB', '-3 GB', '1e9'])('%j is not a size', (text) => expect(parseBytes(text)).toBeNaN());

  it('round-trips with formatBytes', () => {
    for (const bytes of [1024, 5 * 1024 ** 2, 50 * 1024 ** 3, 2 * 1024 ** 4]) expect(parseBytes(formatBytes(bytes))).toBe(bytes);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [44.6, '45 s'],
    [60, '1 min'],
    [200, '3 min 20 s'],
    [3600, '1 h'],
    [7500, '2 h 5 min'],
    [86_400 * 3 + 3600 * 4, '3 d 4 h'],
    [86_400 * 2, '2 d'],
    [-5, '–'],
    [Number.POSITIVE_INFINITY, '–'],
  ])('%s s -> %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});

describe('dates', () => {
  it('formats an ISO timestamp in a given locale and zone', () => {
    expect(formatDateTime('2026-11-25T13:05:00Z', { locale: 'en-GB', timeZone: 'Europe/Berlin' })).toBe('25 Nov 2026, 14:05');
    expect(formatDateTime('2026-11-25T13:05:00Z', { locale: 'en-US', timeZone: 'UTC' })).toBe('Nov 25, 2026, 1:05 PM');
  });

  it('shows a dash for missing or unreadable dates', () => {
    expect(formatDateTime(null)).toBe('–');
    expect(formatDateTime('not a date')).toBe('–');
  });

  it('describes an expiry relative to now', () => {
    const now = Date.parse('2026-11-25T12:00:00Z');
    expect(formatRelative('2026-11-28T12:00:00Z', now, 'en')).toBe('in 3 days');
    expect(formatRelative('2026-11-25T17:00:00Z', now, 'en')).toBe('in 5 hours');
    expect(formatRelative('2026-11-25T12:30:00Z', now, 'en')).toBe('in 30 minutes');
    expect(formatRelative('2026-11-20T12:00:00Z', now, 'en')).toBe('5 days ago');
  });
});

describe('extensions', () => {
  it('parses what an admin types into the stored form', () => {
    expect(parseExtensions('pdf, .ZIP tar.gz;; pdf')).toEqual({ ok: true, extensions: ['pdf', 'tar.gz', 'zip'] });
    expect(parseExtensions('  ')).toEqual({ ok: true, extensions: null });
    expect(parseExtensions('pdf, ex*e')).toEqual({ ok: false, invalid: 'ex*e' });
  });

  it('formats them for people', () => {
    expect(formatExtensions(['pdf', 'tar.gz'])).toBe('.pdf, .tar.gz');
    expect(formatExtensions(null)).toBe('any type');
    expect(formatExtensions([])).toBe('any type');
  });
});
