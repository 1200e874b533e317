// The catalog's items as TypeScript values and as DynamoDB attribute maps (names from
// contract/catalog-table.ts). The item shape is fixed and small (strings, numbers, one string set), so
// it is mapped here rather than with @aws-sdk/lib-dynamodb's marshaller, which would add to every
// bundle. New per-file state (a scan verdict, say) is one more optional attribute on the file item:
// `readFile` keeps attributes it does not know in `extra`, and a change writes them back.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { UPLOADS_PREFIX } from '../../../contract/bucket-layout.js';
import { CATALOG_ATTRIBUTES as A, CATALOG_PARTITIONS, CATALOG_TOMBSTONE_DAYS, FEED_VALUE } from '../../../contract/catalog-table.js';
import type { StoredChecksum } from '../../../contract/checksums.js';
import type { ScanState } from '../../../contract/malware-scan.js';
import type { Item } from './catalog-db.js';
import { catalogPath, parentOf, type CatalogPath } from './catalog-path.js';
import { nameSortKey, searchForm, sizeSortKey, timeSortKey } from './sort-keys.js';

export const FILE_SK_PREFIX = 'f#';
export const FOLDER_SK_PREFIX = 'd#';

/** What the catalog knows of one object (HeadObject's answer). */
export interface FileFacts {
  name: string;
  size: number;
  /** ISO 8601 with milliseconds (Date#toISOString). */
  uploadedAt: string;
  uploadedBy: string | null;
  contentType: string | null;
  /** Without quotes. */
  etag: string | null;
  checksum: StoredChecksum | null;
  /**
   * True when these facts come from the bucket listing alone (HeadObject refused): name and uploader
   * are what the catalog last knew, or the key's segment and nothing. Absent = read from the object.
   */
  metadataUnread?: boolean;
}

/** An admin's release of a file that could not be scanned. */
export interface ScanRelease {
  by: string;
  at: string;
  reason: string;
}

/** The malware scan of the object version the item describes (its ETag). */
export interface FileScan {
  state: ScanState;
  /** When the result arrived; null while pending or never scanned. */
  scannedAt: string | null;
  threats: string[];
  release: ScanRelease | null;
}

/** Items written before scanning existed carry no state. */
export const UNKNOWN_SCAN: FileScan = { state: 'not_scanned', scannedAt: null, threats: [], release: null };

export interface CatalogFile extends FileFacts {
  key: string;
  endpoint: string;
  path: string;
  scan: FileScan;
}

/** A usage change written on the file item before it is applied to the endpoint's usage item. */
export interface PendingUsage {
  id: string;
  files: number;
  bytes: number;
}

/** The bookkeeping every file or tombstone item carries. */
export interface EntryState {
  kind: 'file' | 'deleted';
  /** sequencerOrder() of the last event applied; null when only reconcile wrote the item. */
  sequencer: string | null;
  /** Bytes this key counts in its endpoint's usage; null when it counts nothing. */
  counted: number | null;
  pending: PendingUsage | null;
  /** A file's scan; absent = none recorded. */
  scan?: FileScan | null;
}

export interface StoredEntry extends EntryState {
  path: CatalogPath;
  file: CatalogFile | null;
  /** Attributes this code does not know (written by a newer version): kept on rewrite. */
  extra: Item;
  /** The item as stored. */
  raw: Item;
}

export const fileKey = (path: Pick<CatalogPath, 'dir' | 'segment'>): Item => ({ [A.pk]: { S: path.dir }, [A.sk]: { S: FILE_SK_PREFIX + path.segment } });
export const folderKey = (parentDir: string, segment: string): Item => ({ [A.pk]: { S: parentDir }, [A.sk]: { S: FOLDER_SK_PREFIX + segment } });
export const usageKey = (endpoint: string): Item => ({ [A.pk]: { S: `${CATALOG_PARTITIONS.usage}${endpoint}` }, [A.sk]: { S: '#usage' } });

const str = (item: Item, name: string): string | null => item[name]?.S ?? null;
const num = (item: Item, name: string): number | null => {
  const raw = item[name]?.N;
  return raw === undefined ? null : Number(raw);
};
const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

const KNOWN = new Set<string>(Object.values(A));

/** The item of a file or a tombstone at `path`. */
export function entryItem(path: CatalogPath, state: EntryState, facts: FileFacts | null, now: Date, extra: Item = {}): Item {
  const item: Item = {
    ...extra,
    ...fileKey(path),
    [A.kind]: s(state.kind),
    [A.key]: s(path.key),
    [A.endpoint]: s(path.endpoint),
    [A.path]: s(path.path),
    [A.updatedAt]: s(now.toISOString()),
  };
  if (state.sequencer !== null) item[A.sequencer] = s(state.sequencer);
  if (state.counted !== null) item[A.counted] = n(state.counted);
  if (state.pending) {
    item[A.pendingId] = s(state.pending.id);
    item[A.pendingFiles] = n(state.pending.files);
    item[A.pendingBytes] = n(state.pending.bytes);
  }
  if (state.kind === 'deleted' || facts === null) {
    item[A.expiresAt] = n(Math.floor(now.getTime() / 1000) + CATALOG_TOMBSTONE_DAYS * 86_400);
    return item;
  }
  Object.assign(item, {
    [A.name]: s(facts.name),
    [A.search]: s(searchForm(facts.name)),
    [A.byName]: s(nameSortKey(facts.name, path.segment)),
    [A.byTime]: s(timeSortKey(facts.uploadedAt, path.segment)),
    [A.bySize]: s(sizeSortKey(facts.size, path.segment)),
    [A.feed]: s(FEED_VALUE),
    [A.size]: n(facts.size),
    [A.uploadedAt]: s(facts.uploadedAt),
  });
  if (facts.uploadedBy) item[A.uploadedBy] = s(facts.uploadedBy);
  if (facts.metadataUnread) item[A.metadataUnread] = s('1');
  if (facts.contentType) item[A.contentType] = s(facts.contentType);
  if (facts.etag) item[A.etag] = s(facts.etag);
  if (facts.checksum) {
    item[A.checksumAlgorithm] = s(facts.checksum.algorithm);
    item[A.checksum] = s(facts.checksum.base64);
    if (facts.checksum.type) item[A.checksumType] = s(facts.checksum.type);
  }
  if (state.scan) Object.assign(item, scanAttributes(state.scan));
  return item;
}

/** A scan as item attributes (written whole: a new scan replaces every one of them). */
export function scanAttributes(scan: FileScan): Item {
  const item: Item = { [A.scanState]: s(scan.state) };
  if (scan.scannedAt) item[A.scannedAt] = s(scan.scannedAt);
  if (scan.threats.length) item[A.scanThreats] = { SS: [...new Set(scan.threats)] };
  if (scan.release) {
    item[A.releasedBy] = s(scan.release.by);
    item[A.releasedAt] = s(scan.release.at);
    item[A.releaseReason] = s(scan.release.reason);
  }
  return item;
}

export function readScan(item: Item): FileScan {
  const state = str(item, A.scanState) as ScanState | null;
  if (state === null) return UNKNOWN_SCAN;
  const by = str(item, A.releasedBy);
  const at = str(item, A.releasedAt);
  const reason = str(item, A.releaseReason);
  return { state, scannedAt: str(item, A.scannedAt), threats: item[A.scanThreats]?.SS ?? [], release: by && at && reason ? { by, at, reason } : null };
}

/**
 * Every attribute `readFile` reads, and nothing else: a listing page asks DynamoDB for these (plus its
 * index's keys), not for the sort keys, search form and bookkeeping a file item also carries, which
 * would more than double what a page of 1,000 moves and parses.
 */
export const FILE_ATTRIBUTES = [
  A.kind,
  A.key,
  A.endpoint,
  A.path,
  A.name,
  A.size,
  A.uploadedAt,
  A.uploadedBy,
  A.contentType,
  A.etag,
  A.checksumAlgorithm,
  A.checksumType,
  A.checksum,
  A.scanState,
  A.scannedAt,
  A.scanThreats,
  A.releasedBy,
  A.releasedAt,
  A.releaseReason,
  A.metadataUnread,
] as const;

/** The file an item describes (a file item of a listing index), or null for anything else. */
export function readFile(item: Item): CatalogFile | null {
  if (str(item, A.kind) !== 'file') return null;
  const key = str(item, A.key);
  const endpoint = str(item, A.endpoint);
  const path = str(item, A.path);
  const name = str(item, A.name);
  const size = num(item, A.size);
  const uploadedAt = str(item, A.uploadedAt);
  if (key === null || endpoint === null || path === null || name === null || size === null || uploadedAt === null) return null;
  const algorithm = str(item, A.checksumAlgorithm);
  const checksum = str(item, A.checksum);
  return {
    key,
    endpoint,
    path,
    name,
    size,
    uploadedAt,
    uploadedBy: str(item, A.uploadedBy),
    contentType: str(item, A.contentType),
    etag: str(item, A.etag),
    checksum: algorithm && checksum ? { algorithm, type: str(item, A.checksumType), base64: checksum } : null,
    scan: readScan(item),
    ...(str(item, A.metadataUnread) === '1' ? { metadataUnread: true } : {}),
  };
}

/**
 * The entry stored at a file key, or null when the item is no file entry at all (a folder, usage). A
 * damaged item (attributes missing, say) still reads: its path from its own key, its kind 'deleted'
 * unless it is a readable file, so that reconcile can see and rewrite it.
 */
export function readEntry(item: Item): StoredEntry | null {
  const sk = str(item, A.sk) ?? '';
  if (!sk.startsWith(FILE_SK_PREFIX)) return null;
  const path = catalogPath(str(item, A.key)) ?? catalogPath(`${UPLOADS_PREFIX}${str(item, A.pk) ?? ''}${sk.slice(FILE_SK_PREFIX.length)}`);
  if (!path) return null;
  const file = readFile(item);
  const kind = file ? 'file' : 'deleted';
  const pendingId = str(item, A.pendingId);
  const extra: Item = {};
  for (const [name, value] of Object.entries(item)) if (!KNOWN.has(name)) extra[name] = value;
  return {
    kind,
    path,
    file,
    raw: item,
    sequencer: str(item, A.sequencer),
    counted: num(item, A.counted),
    pending: pendingId ? { id: pendingId, files: num(item, A.pendingFiles) ?? 0, bytes: num(item, A.pendingBytes) ?? 0 } : null,
    scan: file && str(item, A.scanState) !== null ? file.scan : null,
    extra,
  };
}

/** The folder item of a folder path (relative to the endpoint, ending in '/'). */
export function folderItem(endpoint: string, folder: string, now: Date): Item {
  const place = parentOf(`${endpoint}/${folder}`)!;
  return {
    ...folderKey(place.parentDir, place.segment),
    [A.kind]: s('folder'),
    [A.endpoint]: s(endpoint),
    [A.path]: s(folder),
    [A.name]: s(place.segment),
    [A.updatedAt]: s(now.toISOString()),
  };
}

/** A folder item's path relative to its endpoint (`a/b/`), or null. */
export const readFolder = (item: Item): string | null => (str(item, A.kind) === 'folder' ? str(item, A.path) : null);

export interface Usage {
  fileCount: number;
  totalBytes: number;
  reconciledAt: string | null;
}

export function readUsage(item: Item | null): Usage | null {
  if (!item) return null;
  return { fileCount: num(item, A.fileCount) ?? 0, totalBytes: num(item, A.totalBytes) ?? 0, reconciledAt: str(item, A.reconciledAt) };
}

/** Attributes derived from a file's facts: wrong or missing ones take it out of (or misplace it in) the listings. */
const DERIVED = [A.kind, A.key, A.endpoint, A.path, A.search, A.byName, A.byTime, A.bySize, A.feed, A.counted] as const;

/** Whether a file entry's derived attributes and usage bookkeeping are what its facts make them. */
export function isWellFormedFile(entry: StoredEntry, now: Date): boolean {
  if (!entry.file) return false;
  const expected = entryItem(entry.path, { kind: 'file', sequencer: entry.sequencer, counted: entry.file.size, pending: null }, entry.file, now);
  return DERIVED.every((name) => JSON.stringify(entry.raw[name] ?? null) === JSON.stringify(expected[name] ?? null));
}

/** Same object, same description: what reconcile compares (the bookkeeping aside). */
export function sameFacts(a: FileFacts, b: FileFacts): boolean {
  return JSON.stringify(factsOrder(a)) === JSON.stringify(factsOrder(b));
}

const factsOrder = (f: FileFacts) => [f.metadataUnread === true, f.name, f.size, f.uploadedAt, f.uploadedBy, f.contentType, f.etag, f.checksum?.algorithm ?? null, f.checksum?.type ?? null, f.checksum?.base64 ?? null];
