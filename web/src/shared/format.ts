// Human-readable sizes, speeds, durations and dates for both pages. Pure; locale and time zone can
// be passed so tests are deterministic.
import { normaliseExtensionList, type ExtensionListResult } from '../../../contract/extensions.js';

/** Binary units with the short labels people know (as Uppy's own messages print them). */
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;
const UNIT_FACTORS: Record<string, number> = { B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40, PB: 2 ** 50 };

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  // Three significant digits at most: "1.5 GB", "15.2 GB", "152 GB".
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  const text = value.toFixed(digits).replace(/\.0+$|(\.\d*[1-9])0+$/, '$1');
  return `${text} ${UNITS[unit]}`;
}

export function formatSpeed(bytesPerSecond: number): string {
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/**
 * Parses what an admin types as a size limit: "50 GB", "1.5tb", "200MB", "1048576".
 * Returns null for an empty string (no limit) and NaN for anything unreadable.
 */
export function parseBytes(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const match = /^(\d+(?:[.,]\d+)?)\s*([kmgtp]?i?b?)?$/i.exec(trimmed);
  if (!match) return Number.NaN;
  const amount = Number(match[1]!.replace(',', '.'));
  const unitText = (match[2] ?? '').toUpperCase().replace('I', '');
  const unit = unitText === '' ? 'B' : unitText.endsWith('B') ? unitText : `${unitText}B`;
  const factor = UNIT_FACTORS[unit];
  if (factor === undefined) return Number.NaN;
  return Math.round(amount * factor);
}

/** "45 s", "3 min 20 s", "2 h 5 min", "3 d 4 h". */
export function formatDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return '–';
  const s = Math.round(totalSeconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return s % 60 ? `${minutes} min ${s % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export interface DateFormatOptions {
  locale?: string;
  timeZone?: string;
}

/** "25 Nov 2026, 14:05" in the browser's locale and zone; '–' for null or an unreadable value. */
export function formatDateTime(iso: string | null | undefined, options: DateFormatOptions = {}): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '–';
  return new Intl.DateTimeFormat(options.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: options.timeZone }).format(date);
}

/** "in 3 days", "in 5 hours", "2 days ago": for expiry dates. */
export function formatRelative(iso: string, now: number, locale?: string): string {
  const diffSeconds = (Date.parse(iso) - now) / 1000;
  if (Number.isNaN(diffSeconds)) return '';
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(diffSeconds);
  if (abs < 3600) return format.format(Math.round(diffSeconds / 60), 'minute');
  if (abs < 86_400 * 2) return format.format(Math.round(diffSeconds / 3600), 'hour');
  return format.format(Math.round(diffSeconds / 86_400), 'day');
}

/** Extensions as the API stores them (contract/extensions.ts: lower-case, no dot, sorted) from "pdf, .ZIP tar.gz". */
export function parseExtensions(text: string): ExtensionListResult {
  return normaliseExtensionList(text.split(/[\s,;]+/).filter((part) => part !== ''));
}

/** ".pdf, .zip, .tar.gz" for people; "any type" when unrestricted. */
export function formatExtensions(extensions: readonly string[] | null | undefined): string {
  if (!extensions || extensions.length === 0) return 'any type';
  return extensions.map((ext) => `.${ext.replace(/^\.+/, '')}`).join(', ');
}

