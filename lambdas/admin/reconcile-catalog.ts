// Use case: reconcile one endpoint's catalog with the bucket, one bounded share per call (so the
// admin Lambda never meets its timeout, whatever the folder holds), resumed from the token the last
// call answered. Audited after each call with what it changed.
import type { ReconcileResult } from '../../contract/api/admin.js';
import { malwareScanOf } from './settings.js';
import { reconcileEndpoint, startProgress, type ReconcileProgress } from '../shared/catalog/reconcile.js';
import type { RequestContext } from './auditor.js';
import { decodeToken, encodeToken } from './page-token.js';
import type { AdminServices } from './services.js';

/** Work per call: the admin Lambda's timeout is 30 s; a chunk started before this ends within it. */
export const RECONCILE_BUDGET_MS = 12_000;

interface ReconcileToken extends ReconcileProgress {
  v: 1;
}

const COUNTS = ['checked', 'added', 'repaired', 'removed', 'fileCount', 'totalBytes'] as const;

const isToken = (endpoint: string) => (value: unknown): value is ReconcileToken => {
  const t = value as ReconcileToken | null;
  return (
    t?.v === 1 &&
    t.endpoint === endpoint &&
    typeof t.after === 'string' &&
    t.after.length > 0 &&
    t.after.length <= 1024 &&
    COUNTS.every((name) => Number.isSafeInteger(t[name]) && t[name] >= 0)
  );
};

export async function reconcileCatalog(
  services: Pick<AdminServices, 'catalog' | 's3' | 'settings' | 'auditor'>,
  context: RequestContext,
  endpoint: string,
  continuationToken: string | null,
  budgetMs = RECONCILE_BUDGET_MS,
): Promise<ReconcileResult> {
  const from = continuationToken ? decodeToken(continuationToken, isToken(endpoint)) : { v: 1 as const, ...startProgress(endpoint) };
  const { progress, done } = await reconcileEndpoint({ db: services.catalog, s3: services.s3, bucket: services.settings.bucket, now: () => new Date(), scanMode: malwareScanOf(services.settings) }, from, budgetMs);
  const result: ReconcileResult = {
    endpoint,
    done,
    continuationToken: done ? null : encodeToken({ v: 1, ...progress } satisfies ReconcileToken),
    checked: progress.checked,
    added: progress.added,
    repaired: progress.repaired,
    removed: progress.removed,
    fileCount: progress.fileCount,
    totalBytes: progress.totalBytes,
  };
  await services.auditor.afterChange(context, {
    action: 'catalog.reconciled',
    endpoint,
    target: endpoint,
    details: {
      done,
      resumed: continuationToken !== null,
      thisCall: { checked: progress.checked - from.checked, added: progress.added - from.added, repaired: progress.repaired - from.repaired, removed: progress.removed - from.removed },
      ...(done ? { fileCount: progress.fileCount, totalBytes: progress.totalBytes } : {}),
    },
  });
  return result;
}
