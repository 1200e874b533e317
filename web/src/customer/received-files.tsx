// The files that have arrived in this endpoint (GET /api/files), newest listing on each change.
import { useEffect, useState } from 'preact/hooks';
import { isApiError } from '../shared/api-client.js';
import { formatBytes, formatDateTime } from '../shared/format.js';
import { fetchReceivedFiles, type ReceivedFile } from './api.js';
import { ErrorAlert } from '../shared/error-alert.js';

export function ReceivedFiles({ version }: { version: number }) {
  const [files, setFiles] = useState<ReceivedFile[] | null>(null);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const load = async (token: string | null) => {
    setBusy(true);
    try {
      const page = await fetchReceivedFiles(token);
      setFiles((current) => (token && current ? [...current, ...page.files] : page.files));
      setNextToken(page.nextToken);
      setError('');
    } catch (e) {
      setError(isApiError(e) ? e.message : 'The list of received files could not be loaded.');
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void load(null);
  }, [version]);

  return (
    <section class="card" aria-labelledby="received-heading">
      <div class="section-head">
        <h2 id="received-heading">Received files</h2>
        <button type="button" class="button-secondary" onClick={() => load(null)} disabled={busy}>
          Refresh
        </button>
      </div>
      <ErrorAlert message={error} />
      {files === null && !error && <p>Loading…</p>}
      {files && files.length === 0 && <p class="empty">Nothing has arrived yet.</p>}
      {files && files.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Files received in this endpoint</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col" class="num">
                  Size
                </th>
                <th scope="col">Received</th>
              </tr>
            </thead>
            <tbody>
              {files.map((file, i) => (
                <tr key={`${file.name}-${i}`}>
                  <td class="name">{file.name}</td>
                  <td class="num">{formatBytes(file.size)}</td>
                  <td>{file.uploadedAt ? <time dateTime={file.uploadedAt}>{formatDateTime(file.uploadedAt)}</time> : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextToken && (
        <button type="button" class="button-secondary" onClick={() => load(nextToken)} disabled={busy}>
          Show more
        </button>
      )}
    </section>
  );
}
