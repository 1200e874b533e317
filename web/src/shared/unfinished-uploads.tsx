// Unfinished uploads of this login that the page does not know: begun in another browser, or before
// the person signed out (signing out clears the page's saved state, so the page cannot resume them).
// Each keeps one of the login's places for open uploads until the bucket's lifecycle rule ends it days
// later, so they are listed here with a Cancel button, which aborts the upload and frees its place.
import { useEffect, useState } from 'preact/hooks';
import { routePath } from '../../../contract/api/route.js';
import { UPLOADS_ROUTES, type OpenUpload, type OpenUploadsResponse } from '../../../contract/api/uploads.js';
import { api, withQuery } from './api-client.js';
import { formatDateTime } from './format.js';
import { useAction } from './use-action.js';

export interface UnfinishedUploadsProps {
  /** Upload ids the page's own widget holds (it resumes those itself). */
  known: readonly string[];
  /** An admin's target endpoint (`?endpoint=`); a customer's is its own. */
  endpoint?: string;
  /** Changes when the list may have changed (an upload ended, a file had to wait for a place). */
  version: number;
}

/** The uploads the page should offer to cancel: those its widget does not hold. */
export const unknownUploads = (uploads: readonly OpenUpload[], known: readonly string[]): OpenUpload[] => uploads.filter((u) => !known.includes(u.uploadId));

export function UnfinishedUploads({ known, endpoint, version }: UnfinishedUploadsProps) {
  const [uploads, setUploads] = useState<OpenUpload[]>([]);
  const [reload, setReload] = useState(0);
  const { busy, error, run } = useAction();

  useEffect(() => {
    let current = true;
    api.get<OpenUploadsResponse>(UPLOADS_ROUTES.openUploads.path, { query: { endpoint } }).then(
      (answer) => current && setUploads(answer.uploads),
      // The list is a help, not the page's purpose: a failure leaves it as it was.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [endpoint, version, reload]);

  const cancel = async (upload: OpenUpload) => {
    await run(() => api.delete(withQuery(routePath(UPLOADS_ROUTES.abortMultipart, { uploadId: upload.uploadId }), { key: upload.key })), {
      fallback: `${upload.name} could not be cancelled. Try again.`,
    });
    // Read the list again either way: a cancel that failed may have found the upload already ended.
    setReload((n) => n + 1);
  };

  const shown = unknownUploads(uploads, known);
  if (shown.length === 0 && !error) return null;
  return (
    <section class="unfinished-uploads" data-testid="unfinished-uploads">
      <p>
        Unfinished uploads this page cannot resume (begun in another browser, or before you signed out). Each takes one of your places
        for uploads at once until it ends by itself; cancel those you no longer need.
      </p>
      {error && (
        <p class="banner banner-error" role="alert">
          {error}
        </p>
      )}
      <ul>
        {shown.map((upload) => (
          <li key={upload.uploadId}>
            {upload.name}, started {formatDateTime(upload.startedAt)}{' '}
            <button type="button" class="button-link" disabled={busy} onClick={() => void cancel(upload)}>
              Cancel {upload.name}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
