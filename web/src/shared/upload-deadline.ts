// How long an unfinished upload can still be resumed. The bucket's lifecycle rule aborts a multipart
// upload (deleting its parts) `incompleteUploadDays` after it began; S3 rounds that moment up to the
// next midnight UTC and acts some time after it, so "began + days" is the earliest it can happen and
// the deadline the page promises. The page notes when each upload began in the file's meta, which
// Golden Retriever keeps across reloads.
import { formatDateTime, formatRelative, type DateFormatOptions } from './format.js';

/** The file meta field holding when the file's multipart upload was created (ISO 8601). */
export const STARTED_AT_META = 'uploadStartedAt';

const DAY_MS = 86_400_000;

/** ISO time after which the upload may be gone; null when the start is unknown or unreadable. */
export function resumeDeadline(startedAt: unknown, incompleteUploadDays: number): string | null {
  if (typeof startedAt !== 'string') return null;
  const start = Date.parse(startedAt);
  return Number.isNaN(start) ? null : new Date(start + incompleteUploadDays * DAY_MS).toISOString();
}

/** What the panel reads of an Uppy file. */
export interface DeadlineFile {
  name?: string;
  meta: Record<string, unknown>;
  progress: { uploadComplete?: boolean };
  s3Multipart?: { uploadId?: string };
}

export interface UploadDeadline {
  name: string;
  until: string;
}

/** Every unfinished multipart upload of known start, soonest deadline first. */
export function uploadDeadlines(files: readonly DeadlineFile[], incompleteUploadDays: number): UploadDeadline[] {
  const deadlines: UploadDeadline[] = [];
  for (const file of files) {
    if (file.progress.uploadComplete || !file.s3Multipart?.uploadId) continue;
    const until = resumeDeadline(file.meta[STARTED_AT_META], incompleteUploadDays);
    if (until) deadlines.push({ name: file.name ?? 'file', until });
  }
  return deadlines.sort((a, b) => a.until.localeCompare(b.until));
}

/** "big.iso can be resumed until 11 Dec 2026, 14:05 (in 7 days)"; "… could be resumed until …" once past. */
export function deadlineText(deadline: UploadDeadline, now: number, options: DateFormatOptions = {}): string {
  const past = Date.parse(deadline.until) <= now;
  return `${deadline.name} ${past ? 'could be' : 'can be'} resumed until ${formatDateTime(deadline.until, options)} (${formatRelative(deadline.until, now, options.locale)})`;
}
