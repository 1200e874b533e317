// Reconcile: S3 is the source of truth, and this brings one endpoint's catalog back in line with a
// listing of its folder. It walks the folder in key order, a chunk at a time, next to the catalog's
// entries of the same key range (index endpoint-by-key, same byte order as S3's listing):
//
// - an object without a well-formed file entry (missing, a tombstone, damaged attributes, another
//   size or ETag, a time before LastModified): HeadObject, then written as a file (added or repaired).
//   Reconcile has no event, so a file new to the catalog is recorded as arrived at LastModified (for a
//   multipart object, when its upload began: the best time it has); a time an Object Created event
//   recorded for the same version stands (entry-writer.ts, withRecordedArrival). With malwareScan block
//   HeadObject is refused until the object is scanned clean or released: the entry is then written from
//   the listing, marked `metadataUnread`, and read again on later runs (and at release) until it can be;
// - a file entry without an object (its Object Deleted event was lost): confirmed gone with an
//   exact-prefix listing, then made a tombstone (removed);
// - with scanning on, a file whose scan is pending (just added, or its scan-result event was lost):
//   the verdict GuardDuty left in the object's tag, when there is one; `not_scanned` when there is
//   none a day after the object was stored (it predates scanning: GuardDuty will never scan it), so
//   an admin may release it (scan-tags.ts);
// - folder items: every object's folders get one; one left without files goes;
// - at the end the usage counters are set to what the listing counted.
// Every write goes through entry-writer.ts with `sequencer: 'keep'` and is made only if the entry is
// still what was examined, so an event that arrives meanwhile always wins. A change that happens while
// reconcile runs may leave the counters off by that change until the next run.
//
// Bounded: a call stops after its time budget at the end of a chunk and answers its progress, from
// which the next call resumes (`after` = the last key handled). Works on a deployment that had files
// before the catalog existed (everything is "missing").
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { ReconcileResult } from '../../../contract/api/admin.js';
import { endpointPrefix } from '../../../contract/bucket-layout.js';
import { CATALOG_ATTRIBUTES as A, CATALOG_INDEXES } from '../../../contract/catalog-table.js';
import type { CatalogDb, Item } from './catalog-db.js';
import { folderItem, folderKey, isWellFormedFile, readEntry, readFolder, sameFacts, type FileFacts, type StoredEntry } from './catalog-items.js';
import { catalogPath, parentOf, type CatalogPath } from './catalog-path.js';
import { applyEntryChange, finishPending, withRecordedArrival } from './entry-writer.js';
import type { MalwareScanMode } from '../../../contract/malware-scan.js';
import { isFolderEmpty } from './folder-entries.js';
import { headObjectFacts } from './object-facts.js';
import { recoverScanFromTags } from './scan-tags.js';
import { mapLimit } from '../../shared/concurrency.js';
import { s3Status } from '../../shared/s3-errors.js';
import { setUsage } from './usage-counter.js';

/** A run's state between calls: the result's totals and the last key handled, below `uploads/<endpoint>/` ('' at the start). */
export type ReconcileProgress = Omit<ReconcileResult, 'done' | 'continuationToken'> & { after: string };

export interface ReconcileDeps {
  db: CatalogDb;
  s3: S3Client;
  bucket: string;
  now: () => Date;
  /** Keys per chunk. @default CHUNK_KEYS */
  chunkKeys?: number;
  /** The deployment's malware scanning: the state a file new to the catalog starts in. @default 'block' */
  scanMode?: MalwareScanMode;
}

export const startProgress = (endpoint: string): ReconcileProgress => ({ endpoint, after: '', checked: 0, added: 0, repaired: 0, removed: 0, fileCount: 0, totalBytes: 0 });

/** Keys per chunk: one LIST page, its entries, and the HEADs of what needs writing. */
const CHUNK_KEYS = 500;
const HEAD_CONCURRENCY = 16;

interface Listed {
  path: CatalogPath;
  size: number;
  etag: string;
  lastModified: string;
}

/** Runs chunks until the endpoint is done or `budgetMs` has passed; answers the progress and whether it is done. */
export async function reconcileEndpoint(deps: ReconcileDeps, progress: ReconcileProgress, budgetMs: number): Promise<{ progress: ReconcileProgress; done: boolean }> {
  const deadline = Date.now() + budgetMs;
  let current = { ...progress };
  for (;;) {
    const chunk = await reconcileChunk(deps, current);
    current = chunk.progress;
    if (chunk.done) {
      await setUsage(deps.db, current.endpoint, { fileCount: current.fileCount, totalBytes: current.totalBytes }, deps.now());
      return { progress: current, done: true };
    }
    if (Date.now() >= deadline) return { progress: current, done: false };
  }
}

async function reconcileChunk(deps: ReconcileDeps, progress: ReconcileProgress): Promise<{ progress: ReconcileProgress; done: boolean }> {
  const { s3, bucket, db } = deps;
  const prefix = endpointPrefix(progress.endpoint);
  const listing = await s3.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: deps.chunkKeys ?? CHUNK_KEYS, ...(progress.after ? { StartAfter: prefix + progress.after } : {}) }),
  );
  const contents = listing.Contents ?? [];
  const truncated = listing.IsTruncated === true && contents.length > 0;
  const upper = truncated ? contents[contents.length - 1]!.Key!.slice(prefix.length) : null;
  const next = { ...progress };

  const listed: Listed[] = [];
  for (const object of contents) {
    const path = catalogPath(object.Key);
    if (!path || path.endpoint !== progress.endpoint) continue;
    listed.push({ path, size: object.Size ?? 0, etag: (object.ETag ?? '').replace(/"/g, ''), lastModified: (object.LastModified ?? new Date(0)).toISOString() });
  }
  const { entries, folders } = await catalogRange(db, progress.endpoint, progress.after, upper);
  const now = deps.now();

  // Objects: add what is missing, repair what is damaged or out of date.
  const inBucket = new Set(listed.map((o) => o.path.path));
  const scanMode = deps.scanMode ?? 'block';
  const written = new Set<string>();
  const toWrite: Listed[] = [];
  for (const object of listed) {
    next.checked++;
    next.fileCount++;
    next.totalBytes += object.size;
    const entry = entries.get(object.path.path);
    if (entry?.pending) await finishPending(db, entry);
    // An entry written from the listing alone is read again each run, until its metadata can be read.
    if (!entryMatches(entry, object, now) || entry.file?.metadataUnread) toWrite.push(object);
  }
  await mapLimit(toWrite, HEAD_CONCURRENCY, async (object) => {
    const facts = await headObjectFacts(s3, bucket, object.path.key, object.path.segment).catch((error: unknown) => {
      // With malwareScan block the bucket policy refuses to read an unscanned or infected object, HeadObject
      // included: the listing's facts then, with what the catalog knew of its name and sender.
      if (s3Status(error) !== 403) throw error;
      return listedFacts(object, entries.get(object.path.path)?.file ?? null);
    });
    if (!facts) {
      // Deleted since the listing: its own event takes it out.
      next.fileCount--;
      next.totalBytes -= object.size;
      return;
    }
    const outcome = await applyEntryChange(db, { path: object.path, sequencer: 'keep', facts, onlyIf: (current) => needsFile(current, facts, now), scanMode }, now);
    if (outcome === 'applied') {
      written.add(object.path.path);
      if (entries.get(object.path.path)?.kind === 'file') next.repaired++;
      else next.added++;
    }
  });

  // Scans: a pending file whose object already carries GuardDuty's verdict gets it; one that never will, not_scanned.
  if (scanMode !== 'off') {
    const stillPending = (object: Listed): boolean => {
      const entry = entries.get(object.path.path);
      return entryMatches(entry, object, now) && entry.file?.scan.state === 'pending';
    };
    const pending = listed.filter((o) => written.has(o.path.path) || stillPending(o));
    await mapLimit(pending, HEAD_CONCURRENCY, async (object) => {
      // Counted from the later of LastModified and when the catalog recorded the file: a multipart
      // object's LastModified can be when its upload began, days before GuardDuty could scan it.
      const recordedAt = written.has(object.path.path) ? now.toISOString() : entries.get(object.path.path)?.raw[A.updatedAt]?.S;
      const storedAt = new Date(Math.max(Date.parse(object.lastModified), recordedAt ? Date.parse(recordedAt) : 0));
      const version = { etag: object.etag, size: object.size, storedAt };
      if ((await recoverScanFromTags(db, s3, bucket, object.path, version, now)) && !written.has(object.path.path)) next.repaired++;
    });
  }

  // Entries without an object: confirmed gone, then tombstones.
  for (const [path, entry] of entries) {
    if (inBucket.has(path) || (entry.kind !== 'file' && entry.counted === null)) continue;
    if (await objectExists(s3, bucket, entry.path.key)) continue; // created after the listing
    const outcome = await applyEntryChange(db, { path: entry.path, sequencer: 'keep', facts: null, onlyIf: isCountedOrFile }, now);
    if (outcome === 'applied') next.removed++;
  }

  // Folders: each object's folders have an item; an item whose folder holds nothing goes.
  const needed = new Set(listed.flatMap((o) => o.path.folders));
  for (const folder of needed) {
    if (folders.has(folder)) continue;
    const place = parentOf(`${progress.endpoint}/${folder}`)!;
    if (!(await db.get(folderKey(place.parentDir, place.segment)))) {
      await db.put(folderItem(progress.endpoint, folder, now));
      next.repaired++;
    }
  }
  for (const folder of folders) {
    if (needed.has(folder)) continue;
    const dir = `${progress.endpoint}/${folder}`;
    if (!(await isFolderEmpty(db, dir))) continue; // its files come in a later chunk, or go with their tombstones
    const place = parentOf(dir)!;
    await db.delete(folderKey(place.parentDir, place.segment));
    if (await isFolderEmpty(db, dir)) next.removed++;
    else await db.put(folderItem(progress.endpoint, folder, now)); // a file arrived meanwhile
  }

  next.after = upper ?? progress.after;
  return { progress: next, done: !truncated };
}

/** The catalog's file entries and folder paths in the key range (after, upper] of the endpoint. */
async function catalogRange(db: CatalogDb, endpoint: string, after: string, upper: string | null): Promise<{ entries: Map<string, StoredEntry>; folders: Set<string> }> {
  const index = CATALOG_INDEXES.endpointByKey;
  const low = `${after}\u0001`;
  const values: Item = { ':ep': { S: endpoint }, ':low': { S: low } };
  if (upper !== null) values[':high'] = { S: upper };
  const entries = new Map<string, StoredEntry>();
  const folders = new Set<string>();
  let startKey: Item | undefined;
  do {
    const page = await db.query({
      IndexName: index.name,
      KeyConditionExpression: upper !== null ? '#ep = :ep AND #path BETWEEN :low AND :high' : '#ep = :ep AND #path >= :low',
      ExpressionAttributeNames: { '#ep': A.endpoint, '#path': A.path },
      ExpressionAttributeValues: values,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    });
    for (const item of page.items) {
      const folder = readFolder(item);
      if (folder !== null) folders.add(folder);
      const entry = readEntry(item);
      if (entry) entries.set(entry.path.path, entry);
    }
    startKey = page.lastKey;
  } while (startKey);
  return { entries, folders };
}

/**
 * The entry is a well-formed file with the listing's size and ETag, recorded as arrived no earlier than
 * LastModified: an Object Created event records its own time, which for a multipart object is later
 * (LastModified is when the upload began); an earlier time belongs to an older upload of the same bytes.
 */
function entryMatches(entry: StoredEntry | undefined, object: Listed, now: Date): entry is StoredEntry {
  const file = entry?.file;
  if (!entry || !file) return false;
  return entry.kind === 'file' && file.size === object.size && file.etag === object.etag && file.uploadedAt >= object.lastModified && isWellFormedFile(entry, now);
}

function needsFile(current: StoredEntry | null, facts: FileFacts, now: Date): boolean {
  if (!current || current.kind !== 'file' || !current.file) return true;
  return !sameFacts(current.file, withRecordedArrival(current, facts)) || !isWellFormedFile(current, now);
}

/**
 * Reconcile of one key whose object a read found gone (a download's or share's 404): absence confirmed
 * with an exact-prefix listing, then the entry becomes a tombstone and stops counting in its endpoint's
 * usage, the change a run would make. True when this call removed it (false: the object is there after
 * all, or the entry was no longer a counted file: an event or a run got there first).
 */
export async function removeEntryOfMissingObject(deps: Pick<ReconcileDeps, 'db' | 's3' | 'bucket' | 'now'>, path: CatalogPath): Promise<boolean> {
  if (await objectExists(deps.s3, deps.bucket, path.key)) return false;
  const outcome = await applyEntryChange(deps.db, { path, sequencer: 'keep', facts: null, onlyIf: isCountedOrFile }, deps.now());
  return outcome === 'applied';
}

/** An entry reconcile removes when its object is gone: a file, or a tombstone that still counts bytes. */
const isCountedOrFile = (current: StoredEntry | null): boolean => current !== null && (current.kind === 'file' || current.counted !== null);

/** One exact-prefix LIST (not HeadObject, which a bucket policy on unscanned objects may refuse). */
async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  const result = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
  return result.Contents?.[0]?.Key === key;
}

/**
 * An object's facts from its listing alone (no metadata): its name and sender as the catalog last knew
 * them, marked `metadataUnread` unless the catalog read them from this very version.
 */
function listedFacts(object: Listed, known: FileFacts | null): FileFacts {
  const same = known !== null && known.etag === object.etag;
  return {
    name: known?.name ?? object.path.segment,
    size: object.size,
    uploadedAt: object.lastModified,
    uploadedBy: known?.uploadedBy ?? null,
    contentType: same ? known.contentType : null,
    etag: object.etag,
    checksum: same ? known.checksum : null,
    ...(same && !known.metadataUnread ? {} : { metadataUnread: true }),
  };
}

/**
 * A file indexed from the listing alone, once its object can be read (released, or scanned clean):
 * its metadata read now fills in its name, uploader, content type and checksum, the repair a later run
 * would make. Only while the entry is still that version with its metadata unread; true when written.
 * False, changing nothing, when the object still cannot be read or is gone.
 */
export async function readUnreadMetadata(deps: Pick<ReconcileDeps, 'db' | 's3' | 'bucket' | 'now' | 'scanMode'>, path: CatalogPath): Promise<boolean> {
  const facts = await headObjectFacts(deps.s3, deps.bucket, path.key, path.segment).catch((error: unknown) => {
    if (s3Status(error) === 403) return null;
    throw error;
  });
  if (!facts) return false;
  const unreadVersion = (current: StoredEntry | null): boolean => current?.kind === 'file' && current.file?.metadataUnread === true && current.file.etag === facts.etag;
  const outcome = await applyEntryChange(deps.db, { path, sequencer: 'keep', facts, onlyIf: unreadVersion, scanMode: deps.scanMode ?? 'block' }, deps.now());
  return outcome === 'applied';
}
