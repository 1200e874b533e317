// The files that have arrived in this endpoint (GET /api/files, newest first), listed again after each
// change, each with the checksum S3 keeps for it and its receipt (JSON or CSV), whichever browser sent
// it. The list comes from the portal's file catalog, which learns of a new file from S3's event a
// moment after the upload completes: when a refresh after an upload does not show anything new yet,
// it looks again a little later (twice at most).
import { useEffect, useRef, useState } from 'preact/hooks';
import { CHECKSUM_ALGORITHM } from '../../../contract/checksums.js';
import { failureText } from '../shared/api-client.js';
import { DataTable } from '../shared/data-table.js';
import { formatBytes, formatDateTime } from '../shared/format.js';
import { fetchReceivedFiles, receivedStatus, type ReceivedFile } from './api.js';
import { ErrorAlert } from '../shared/error-alert.js';
import { ReceiptLinks } from './receipts.js';
import { receivedFileReceipt } from './received-receipt.js';

/** Pauses before looking again when an upload's file is not listed yet. */
const CATALOG_RETRY_MS = [1500, 4000] as const;

/** The checksum as S3 keeps it: the algorithm named unless it is the portal's, the hex form on hover where there is one. */
function ChecksumCell({ file, hex }: { file: ReceivedFile; hex: string | null }) {
  if (!file.checksum) return <>–</>;
  const { algorithm, base64 } = file.checksum;
  return (
    <>
      {algorithm !== CHECKSUM_ALGORITHM && <span class="checksum-algorithm">{algorithm} </span>}
      <code data-testid="received-checksum" title={hex ? `${algorithm} hex ${hex}` : algorithm}>
        {base64}
      </code>
    </>
  );
}

export function ReceivedFiles({ version, endpoint }: { version: number; endpoint: string }) {
  const [files, setFiles] = useState<ReceivedFile[] | null>(null);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const newest = useRef<string | null>(null);

  /** Loads a page; answers whether the first page's newest file differs from the last one seen. */
  const load = async (token: string | null): Promise<boolean> => {
    setBusy(true);
    try {
      const page = await fetchReceivedFiles(token);
      setFiles((current) => (token && current ? [...current, ...page.files] : page.files));
      setNextToken(page.nextToken);
      setError('');
      if (token) return false;
      const top = page.files[0] ? `${page.files[0].name}|${page.files[0].uploadedAt}` : null;
      const changed = top !== newest.current;
      newest.current = top;
      return changed;
    } catch (e) {
      setError(failureText(e, 'The list of received files could not be loaded.'));
      return true;
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    let cancelled = false;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const attempt = async (retriesLeft: readonly number[]) => {
      const changed = await load(null);
      if (cancelled || changed || version === 0 || retriesLeft.length === 0) return;
      timers.push(setTimeout(() => void attempt(retriesLeft.slice(1)), retriesLeft[0]));
    };
    void attempt(CATALOG_RETRY_MS);
    return () => {
      cancelled = true;
      timers.forEach(clearTimeout);
    };
  }, [version]);

  return (
    <section class="card" aria-labelledby="received-heading">
      <div class="section-head">
        <h2 id="received-heading">Received files</h2>
        <button type="button" class="button-secondary" onClick={() => void load(null)} disabled={busy}>
          Refresh
        </button>
      </div>
      <ErrorAlert message={error} />
      {files === null && !error && <p>Loading…</p>}
      {files && files.length === 0 && <p class="empty">Nothing has arrived yet.</p>}
      {files && files.length > 0 && (
        <DataTable caption="Files received in this endpoint" columns={['Name', { label: 'Size', numeric: true }, 'Received', 'Status', `Checksum (${CHECKSUM_ALGORITHM}, base64)`, 'Receipt']}>
          {files.map((file, i) => {
            const receipt = receivedFileReceipt(endpoint, file);
            return (
              <tr key={`${file.name}-${i}`}>
                <td class="name">{file.name}</td>
                <td class="num">{formatBytes(file.size)}</td>
                <td>{file.uploadedAt ? <time dateTime={file.uploadedAt}>{formatDateTime(file.uploadedAt)}</time> : '–'}</td>
                <td data-scan-state={file.scan ?? ''}>{receivedStatus(file.scan)}</td>
                <td>
                  <ChecksumCell file={file} hex={receipt?.checksumHex ?? null} />
                </td>
                <td>{receipt ? <ReceiptLinks receipts={[receipt]} label={file.name} /> : '–'}</td>
              </tr>
            );
          })}
        </DataTable>
      )}
      {nextToken && (
        <button type="button" class="button-secondary" onClick={() => void load(nextToken)} disabled={busy}>
          Show more
        </button>
      )}
    </section>
  );
}
