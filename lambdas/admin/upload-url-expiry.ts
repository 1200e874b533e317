// When every small-file upload URL signed up to a moment has expired: the file-delete guard and the
// endpoint purge wait for the same thing, from different moments (a file's LastModified; the last
// moment the uploads Lambda may still have handed out URLs for a disabled endpoint).
import { CLOCK_MARGIN_SECONDS, SMALL_UPLOAD_MAX_EXPIRES_SECONDS } from '../../contract/limits.js';

/** Whole seconds from `now` until every small-file URL signed at or before `lastSignedAtMs` has expired; 0 when they all have. */
export function secondsUntilUrlsExpire(lastSignedAtMs: number, now: Date): number {
  const safeAt = lastSignedAtMs + (SMALL_UPLOAD_MAX_EXPIRES_SECONDS + CLOCK_MARGIN_SECONDS) * 1000;
  return Math.max(0, Math.ceil((safeAt - now.getTime()) / 1000));
}
