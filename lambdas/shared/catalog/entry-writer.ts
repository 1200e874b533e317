// Writes one key's new state into the catalog (a file, or a tombstone), idempotent and order-safe:
//
// - Order: every event carries S3's sequencer; an item remembers the sequencer of the event that
//   wrote it, and an event no newer than that changes nothing. A tombstone keeps the deleting event's
//   sequencer, so an older Object Created arriving late cannot bring a deleted file back.
// - Duplicates: the same event again has the same sequencer: nothing to do.
// - Races: the write is conditional on the item being as it was read (same sequencer, no pending
//   usage change); a lost race reads again.
// - Usage: the difference between what the key counted and what it counts now is recorded on the item
//   in the same write and applied by usage-counter.ts, exactly once.
// Reconcile writes through here too, with `sequencer: 'keep'`: it repairs the item without taking
// part in the ordering (the next event still wins). Reconcile has no event, so the best time it has is
// S3's LastModified (for a multipart object: when the upload began); the arrival time an event recorded
// for the same object version stands (withRecordedArrival).
import { randomUUID } from 'node:crypto';
import { CATALOG_ATTRIBUTES as A } from '../../../contract/catalog-table.js';
import { initialScanState, type MalwareScanMode } from '../../../contract/malware-scan.js';
import type { CatalogDb, Expression } from './catalog-db.js';
import { entryItem, fileKey, readEntry, type FileFacts, type FileScan, type PendingUsage, type StoredEntry } from './catalog-items.js';
import type { CatalogPath } from './catalog-path.js';
import { ensureFolders, removeEmptyFolders } from './folder-entries.js';
import { applyPendingUsage } from './usage-counter.js';

export interface EntryChange {
  path: CatalogPath;
  /**
   * sequencerOrder() of the event; 'keep' = reconcile's repair, which leaves the recorded one and is
   * made once or not at all: when the item changes under it (an event came), the event's state stands.
   */
  sequencer: string;
  /** The object as it is now, or null: it is gone (tombstone). */
  facts: FileFacts | null;
  /** With 'keep': write only when the entry, read consistently, needs it (compare withRecordedArrival's facts). */
  onlyIf?: (current: StoredEntry | null) => boolean;
  /**
   * The deployment's malware scanning, for the state a new object version starts in (pending, too_large
   * or not_scanned). The same version (same ETag) keeps the scan it has.
   * @default 'block' (a new version is pending until its result arrives)
   */
  scanMode?: MalwareScanMode;
}

/** The scan a file entry gets: the recorded one when the object version is the same, else a fresh start. */
export function nextScan(current: StoredEntry | null, facts: FileFacts, mode: MalwareScanMode): FileScan {
  if (current?.scan && current.file && facts.etag !== null && current.file.etag === facts.etag) return current.scan;
  return { state: initialScanState(mode, facts.size), scannedAt: null, threats: [], release: null };
}

/**
 * Reconcile's facts with the arrival time already recorded for the same object version (same size and
 * ETag, recorded no earlier than LastModified): an Object Created event's time, which is later than a
 * multipart object's LastModified and must not be replaced by it. A recorded time before LastModified
 * belongs to an older upload (the same bytes stored again, its event lost): LastModified then.
 */
export function withRecordedArrival(current: StoredEntry | null, facts: FileFacts): FileFacts {
  const recorded = current?.kind === 'file' ? current.file : null;
  if (!recorded || recorded.size !== facts.size || recorded.etag !== facts.etag || recorded.uploadedAt <= facts.uploadedAt) return facts;
  return { ...facts, uploadedAt: recorded.uploadedAt };
}

export type ChangeOutcome = 'applied' | 'duplicate' | 'stale';

/** Lost races in a row before giving up (the caller's retry starts over). */
const MAX_ATTEMPTS = 8;

export async function finishPending(db: CatalogDb, entry: Pick<StoredEntry, 'path' | 'pending'>): Promise<void> {
  if (entry.pending) await applyPendingUsage(db, entry.path.endpoint, fileKey(entry.path), entry.pending);
}

/** The key's current entry (consistent read), with any usage change left pending by a failure finished first. */
export async function readSettledEntry(db: CatalogDb, path: CatalogPath): Promise<StoredEntry | null> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const item = await db.get(fileKey(path));
    const entry = item ? readEntry(item) : null;
    if (!entry?.pending) return entry;
    await finishPending(db, entry);
  }
  throw new Error(`The catalog entry of ${path.key} keeps changing`);
}

/** The condition "the item is still as read": same sequencer, no pending change (or no item at all). */
function unchangedSince(current: StoredEntry | null): Expression {
  if (current === null) return { expression: 'attribute_not_exists(#pk)', names: { '#pk': A.pk } };
  const names = { '#seq': A.sequencer, '#pid': A.pendingId };
  if (current.sequencer === null) return { expression: 'attribute_not_exists(#seq) AND attribute_not_exists(#pid)', names };
  return { expression: '#seq = :seq AND attribute_not_exists(#pid)', names, values: { ':seq': { S: current.sequencer } } };
}

/** A file's folders exist; a deleted file's folders go when it left them empty. */
async function settleFolders(db: CatalogDb, entry: Pick<StoredEntry, 'kind' | 'path'>, now: Date): Promise<void> {
  if (entry.kind === 'file') await ensureFolders(db, entry.path, now);
  else await removeEmptyFolders(db, entry.path.endpoint, entry.path.dir, now);
}

export async function applyEntryChange(db: CatalogDb, change: EntryChange, now: Date): Promise<ChangeOutcome> {
  const { path } = change;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await readSettledEntry(db, path);
    const facts = change.sequencer === 'keep' && change.facts ? withRecordedArrival(current, change.facts) : change.facts;
    if (change.sequencer === 'keep' && change.onlyIf && !change.onlyIf(current)) return 'duplicate';
    if (change.sequencer !== 'keep' && current?.sequencer != null && current.sequencer >= change.sequencer) {
      if (current.sequencer > change.sequencer) return 'stale';
      // The same event again, perhaps after a failure part-way: finish its folder steps (idempotent).
      await settleFolders(db, current, now);
      return 'duplicate';
    }
    const counted = facts ? facts.size : null;
    const files = (counted !== null ? 1 : 0) - (current?.counted != null ? 1 : 0);
    const bytes = (counted ?? 0) - (current?.counted ?? 0);
    const pending: PendingUsage | null = files !== 0 || bytes !== 0 ? { id: randomUUID(), files, bytes } : null;
    const sequencer = change.sequencer === 'keep' ? (current?.sequencer ?? null) : change.sequencer;
    const scan = facts ? nextScan(current, facts, change.scanMode ?? 'block') : null;
    const item = entryItem(path, { kind: facts ? 'file' : 'deleted', sequencer, counted, pending, scan }, facts, now, current?.extra);
    if (!(await db.put(item, unchangedSince(current)))) {
      if (change.sequencer === 'keep') return 'stale';
      continue;
    }
    if (pending) await applyPendingUsage(db, path.endpoint, fileKey(path), pending);
    await settleFolders(db, { kind: item[A.kind]!.S as 'file' | 'deleted', path }, now);
    return 'applied';
  }
  throw new Error(`The catalog entry of ${path.key} changed under ${MAX_ATTEMPTS} attempts in a row`);
}
