// An endpoint's usage (file count, bytes), changed by atomic ADDs exactly once per change without
// transactions (dynalite has none, and the counters need no more than this):
//
//   1. The change is written on the file item itself, together with the file's new state: `pending`
//      = {id, files, bytes} (entry-writer.ts). From then on any retry finds it there.
//   2. The usage item gets the ADDs and the id, in one conditional update: only while the id is not
//      in its `applied` set. A second attempt with the same id changes nothing.
//   3. The file item's `pending` is removed (only if it is still this id).
//   4. The id leaves the usage item's `applied` set, which so stays small.
//
// A failure anywhere is repaired by running the steps again from the pending change on the file item
// (every path that reads an item with a pending change finishes it first). Only a failure between 3
// and 4 leaves an id behind in `applied`: harmless, and reconcile clears the set when it recomputes
// the counters.
import { CATALOG_ATTRIBUTES as A } from '../../../contract/catalog-table.js';
import type { CatalogDb, Item } from './catalog-db.js';
import { usageKey, type PendingUsage } from './catalog-items.js';

export async function applyPendingUsage(db: CatalogDb, endpoint: string, itemKey: Item, pending: PendingUsage): Promise<void> {
  await db.update(
    usageKey(endpoint),
    {
      expression: 'ADD #files :files, #bytes :bytes, #applied :ids',
      names: { '#files': A.fileCount, '#bytes': A.totalBytes, '#applied': A.applied },
      values: { ':files': { N: String(pending.files) }, ':bytes': { N: String(pending.bytes) }, ':ids': { SS: [pending.id] }, ':id': { S: pending.id } },
    },
    // A failed condition means an earlier attempt applied it: go on with the clean-up.
    { expression: 'NOT contains(#applied, :id)', names: { '#applied': A.applied }, values: { ':id': { S: pending.id } } },
  );
  await db.update(
    itemKey,
    { expression: 'REMOVE #pid, #pf, #pb', names: { '#pid': A.pendingId, '#pf': A.pendingFiles, '#pb': A.pendingBytes } },
    { expression: '#pid = :id', names: { '#pid': A.pendingId }, values: { ':id': { S: pending.id } } },
  );
  await db.update(usageKey(endpoint), { expression: 'DELETE #applied :ids', names: { '#applied': A.applied }, values: { ':ids': { SS: [pending.id] } } });
}

/** Reconcile's recount: the counters as found in the bucket, and no ids left behind. */
export async function setUsage(db: CatalogDb, endpoint: string, usage: { fileCount: number; totalBytes: number }, now: Date): Promise<void> {
  await db.update(usageKey(endpoint), {
    expression: 'SET #files = :files, #bytes = :bytes, #at = :at REMOVE #applied',
    names: { '#files': A.fileCount, '#bytes': A.totalBytes, '#at': A.reconciledAt, '#applied': A.applied },
    values: { ':files': { N: String(usage.fileCount) }, ':bytes': { N: String(usage.totalBytes) }, ':at': { S: now.toISOString() } },
  });
}
