// Reconcile an endpoint's catalog with the bucket (missing files added, stale ones removed, counters
// recomputed): one audited call after another, each a bounded share of the work, until it is done.
import { useState } from 'preact/hooks';
import type { ReconcileResult } from '../../../contract/api/admin.js';
import { ErrorAlert } from '../shared/error-alert.js';
import { formatBytes, formatDateTime } from '../shared/format.js';
import { useAction } from '../shared/use-action.js';
import { adminApi } from './api.js';

export function ReconcileSection({ endpoint, reconciledAt, onDone }: { endpoint: string; reconciledAt: string | null; onDone: () => void }) {
  const [progress, setProgress] = useState<ReconcileResult | null>(null);
  const { busy, error, run } = useAction();

  // Each call's progress is shown as it answers; a failure keeps the last one on screen.
  const reconcile = () =>
    run(
      async () => {
        setProgress(null);
        let result = await adminApi.reconcileCatalog({ endpoint });
        setProgress(result);
        while (!result.done) {
          result = await adminApi.reconcileCatalog({ endpoint, continuationToken: result.continuationToken });
          setProgress(result);
        }
        onDone();
      },
      { fallback: 'Reconcile stopped; run it again to go on.' },
    );

  return (
    <section class="card" aria-labelledby="catalog-heading">
      <h2 id="catalog-heading">File catalog</h2>
      <p class="hint">
        The file list and the counts above come from the catalog, which follows the bucket's events. Reconcile compares it with the bucket and repairs it (after an
        upgrade from a version without the catalog, or when the alarm on lost events fired). Last reconciled: {reconciledAt ? formatDateTime(reconciledAt) : 'never'}.
      </p>
      <button type="button" class="button-secondary" disabled={busy} onClick={reconcile}>
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
      <ErrorAlert message={error} />
    </section>
  );
}
