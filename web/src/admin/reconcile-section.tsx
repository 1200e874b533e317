// Reconcile an endpoint's catalog with the bucket (missing files added, stale ones removed, counters
// recomputed): one audited call after another, each a bounded share of the work, until it is done.
import { useState } from 'preact/hooks';
import type { ReconcileResult } from '../../../contract/api/admin.js';
import { isApiError } from '../shared/api-client.js';
import { formatBytes, formatDateTime } from '../shared/format.js';
import { adminApi } from './api.js';

export function ReconcileSection({ endpoint, reconciledAt, onDone }: { endpoint: string; reconciledAt: string | null; onDone: () => void }) {
  const [progress, setProgress] = useState<ReconcileResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const run = async () => {
    setBusy(true);
    setError('');
    setProgress(null);
    try {
      let result = await adminApi.reconcileCatalog({ endpoint });
      setProgress(result);
      while (!result.done) {
        result = await adminApi.reconcileCatalog({ endpoint, continuationToken: result.continuationToken });
        setProgress(result);
      }
      onDone();
    } catch (e) {
      setError(isApiError(e) ? e.message : 'Reconcile stopped; run it again to go on.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="catalog-heading">
      <h2 id="catalog-heading">File catalog</h2>
      <p class="hint">
        The file list and the counts above come from the catalog, which follows the bucket's events. Reconcile compares it with the bucket and repairs it (after an
        upgrade from a version without the catalog, or when the alarm on lost events fired). Last reconciled: {reconciledAt ? formatDateTime(reconciledAt) : 'never'}.
      </p>
      <button type="button" class="button-secondary" disabled={busy} onClick={run}>
        {busy ? 'Reconciling…' : 'Reconcile with the bucket'}
      </button>
      {progress && (
        <p role="status">
          {progress.done ? 'Done: ' : 'Working: '}
          {progress.checked.toLocaleString()} files checked, {progress.added.toLocaleString()} added, {progress.repaired.toLocaleString()} repaired,{' '}
          {progress.removed.toLocaleString()} removed
          {progress.done ? `; ${progress.fileCount.toLocaleString()} files, ${formatBytes(progress.totalBytes)} in all.` : '…'}
        </p>
      )}
      {error && (
        <p class="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
