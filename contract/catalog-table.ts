// THE file catalog's DynamoDB table: keys, indexes and attribute names, defined once. The stack builds
// the table from it (infra/catalog.ts), the local portal creates it in dynalite from it
// (local/catalog/catalog-table.ts), and the Lambdas read and write items with these names
// (lambdas/shared/catalog/). S3 stays the source of truth: the catalog is an index that reconcile can
// always rebuild from a listing of the bucket.
//
// Items (one table, `pk` + `sk`, every key a string):
//
//   file       pk = <endpoint>/<folder>/   (the file's folder, "dir": `acme/` at the root, `acme/q3/` below)
//              sk = f#<last key segment>    one per object under uploads/<endpoint>/
//   tombstone  the same pk/sk as the file it replaces, kind = deleted, with the deleting event's sequencer,
//              so an older Object Created arriving late cannot bring the file back; expires (TTL) after
//              CATALOG_TOMBSTONE_DAYS
//   folder     pk = <the parent's dir>, sk = d#<folder segment>: one per sub-folder holding files
//   usage      pk = #usage#<endpoint>, sk = #usage: the endpoint's file count and bytes (atomic ADDs)
//   digest     pk = #digest#<endpoint>, sk = #digest: arrivals not yet notified (count, bytes, first names,
//              each uploader's count, bytes and first names, first and last arrival); the notify Lambda
//              deletes it when it sends the digest (arrivals during the send stay, with their names, for
//              the next digest)
//   reserved   pk = #reserved#<endpoint>, sk = #reserved: bytes and files held by uploads in progress (and
//              by completed ones the catalog has not counted yet), with the ids of the holds applied;
//              a conditional ADD admits an upload only while it fits the quota (lambdas/shared/catalog/quota-holds.ts)
//   hold       pk = #hold#<endpoint>, sk = <hold id>: one upload's reservation (bytes, login, state, deadline;
//              a multipart upload's key and upload id once S3 has created it)
//   open       pk = #open#<endpoint>, sk = <login>: the login's open multipart uploads (a set of hold ids)
//
// Access patterns:
//
//   1. One file by its object key (events, reconcile, download checks): GetItem pk = dir(key), sk = f#segment.
//   2. A folder's sub-folders, and "is this folder empty?" (folder clean-up): Query pk = dir, consistent.
//   3. A folder's files sorted by name, upload time or size, either direction: Query folder-by-name,
//      folder-by-time or folder-by-size (partition pk = dir). A name prefix is a begins_with on byName, an
//      upload-time range a BETWEEN on byTime (or a filter when sorting by name or size).
//   4. The same across one endpoint's folders (the customer's "Received files", endpoint-wide search):
//      endpoint-by-name, endpoint-by-time, endpoint-by-size (partition ep = endpoint).
//   5. Newest arrivals across all endpoints: Query recent (partition feed = FEED_VALUE) by byTime,
//      descending. One partition for every file: uploads of very large files write far below a
//      partition's 1,000 writes per second.
//   6. Everything the catalog holds for one endpoint in S3 key order (reconcile's merge with a bucket
//      listing): Query endpoint-by-key (partition ep, sort path = the key below uploads/<endpoint>/);
//      files, tombstones and folders all carry ep and path.
//   7. An endpoint's usage (endpoint detail): GetItem pk = #usage#<endpoint>, sk = #usage.
//   8. A name substring: pattern 3 or 4 by name with a filter on `search` (reads more; its time is reported).
//   9. A quota check (create, complete): GetItem #usage#<endpoint> and #reserved#<endpoint>, then a
//      conditional ADD on #reserved#<endpoint> that admits the upload only while it fits.
//  10. One upload's hold: Put/Get/Update/Delete pk = #hold#<endpoint>, sk = <hold id>; the sweep of ended
//      holds: Query pk = #hold#<endpoint>.
//  11. A login's open uploads: GetItem, ADD and DELETE on pk = #open#<endpoint>, sk = <login>.
//  12. Arrivals awaiting a digest: UpdateItem (ADD) on #digest#<endpoint> per arrival (events Lambda);
//      the notify Lambda reads it consistently, claims it with a conditional update (a lease), and then
//      deletes it, or removes only what it sent when more arrived meanwhile.
//
// Only files carry byName, byTime, bySize and feed, so tombstones, folders and usage items stay out of
// the listing indexes (sparse indexes). Every index projects ALL attributes: a listing page is one
// Query, with no second read per file.

export interface CatalogIndex {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

/** Attribute names, as stored. */
export const CATALOG_ATTRIBUTES = {
  pk: 'pk',
  sk: 'sk',
  /** 'file' | 'deleted' | 'folder' | 'usage' */
  kind: 'kind',
  /** Full object key (`uploads/<endpoint>/...`) of a file or tombstone. */
  key: 'key',
  endpoint: 'ep',
  /** The key below `uploads/<endpoint>/`; a folder's ends with '/'. */
  path: 'path',
  /** The original file name (metadata), else the key's last segment. */
  name: 'name',
  /** `name` lower-cased, for substring search. */
  search: 'search',
  byName: 'byName',
  byTime: 'byTime',
  bySize: 'bySize',
  feed: 'feed',
  size: 'size',
  uploadedAt: 'uploadedAt',
  uploadedBy: 'uploadedBy',
  contentType: 'contentType',
  etag: 'etag',
  checksumAlgorithm: 'checksumAlgorithm',
  checksumType: 'checksumType',
  checksum: 'checksum',
  /** The file's malware scan state (contract/malware-scan.ts ScanState), for the ETag in `etag`. */
  scanState: 'scan',
  /** When the scan result arrived (ISO 8601). */
  scannedAt: 'scannedAt',
  /** Threat names GuardDuty reported (a string set), infected files only. */
  scanThreats: 'scanThreats',
  /** An admin's release of a file that could not be scanned: who, when and the written reason. */
  releasedBy: 'releasedBy',
  releasedAt: 'releasedAt',
  releaseReason: 'releaseReason',
  /**
   * '1' on a file indexed from the bucket listing alone, its metadata unread (HeadObject refused, with
   * malwareScan block, until it is scanned clean or released): its name may be the key's last segment
   * and its uploader unknown. Gone once the metadata has been read.
   */
  metadataUnread: 'metadataUnread',
  /** S3's event sequencer, normalised so that string order is event order (see sequencerOrder in lambdas/shared/catalog). */
  sequencer: 'seq',
  /** Bytes this key counts in its endpoint's usage; absent when it counts nothing. */
  counted: 'counted',
  /** A usage change recorded on the file item and not yet applied to the usage item. */
  pendingId: 'pendingId',
  pendingFiles: 'pendingFiles',
  pendingBytes: 'pendingBytes',
  /** Tombstones: epoch seconds after which DynamoDB's TTL removes the item. */
  expiresAt: 'expiresAt',
  updatedAt: 'updatedAt',
  fileCount: 'fileCount',
  totalBytes: 'totalBytes',
  /** Usage item: ids of changes applied and not yet released (idempotent ADDs without transactions). */
  applied: 'applied',
  reconciledAt: 'reconciledAt',
  /** File item: the sequencer of the Object Created event already counted in a digest (at-least-once events count once). */
  digestSeq: 'digestSeq',
  /** Digest item: the first files (a list of {name, key, size} maps), the arrival times. */
  digestFiles: 'files',
  /** Digest item of an earlier version: the uploaders (a string set); now the keys of `digestReceipts`. */
  uploaders: 'uploaders',
  /**
   * Digest item: each uploader's part, for their receipt: a map from the uploader (e-mail or login) to
   * {count, bytes, files: the first {name, size} maps}.
   */
  digestReceipts: 'receipts',
  firstArrivalAt: 'firstArrivalAt',
  lastArrivalAt: 'lastArrivalAt',
  /** Digest item being sent: the SQS message id of the check that took it, and until when (ISO) the others leave it alone. */
  digestClaim: 'claim',
  digestClaimUntil: 'claimUntil',
  /** Digest item being sent: the first files that arrived after its list of names was full (kept for the next digest). */
  digestLateFiles: 'lateFiles',
  /** Digest item being sent: what its claim's check has e-mailed (JSON counts), so that a redelivery of that check does not e-mail it again. */
  digestMailed: 'mailed',
  /** Reserved item: bytes and files held; `holds`: the hold ids applied to them. */
  reservedBytes: 'reservedBytes',
  reservedFiles: 'reservedFiles',
  holds: 'holds',
  /** Reserved item: when (ISO) an admission last took it upon itself to sweep the endpoint's holds. */
  sweptAt: 'sweptAt',
  /** Hold item. */
  holdBytes: 'holdBytes',
  holdFiles: 'holdFiles',
  holdLogin: 'login',
  /** 'open' (upload in progress) | 'landed' (completed or small PUT signed; waits for the catalog). */
  holdState: 'state',
  /** Hold item of a multipart upload: its S3 upload id (its key is in `key`), so the login's open uploads can be listed and checked. */
  holdUploadId: 'uploadId',
  createdAt: 'createdAt',
  /** ISO time after which a hold still in its state is released (the upload was aborted by the lifecycle rule, or its URL expired). */
  releaseAfter: 'releaseAfter',
  /** Open item: the login's open uploads (hold ids). */
  openUploads: 'openUploads',
} as const;

const A = CATALOG_ATTRIBUTES;

export const CATALOG_INDEXES = {
  folderByName: { name: 'folder-by-name', partitionKey: A.pk, sortKey: A.byName },
  folderByTime: { name: 'folder-by-time', partitionKey: A.pk, sortKey: A.byTime },
  folderBySize: { name: 'folder-by-size', partitionKey: A.pk, sortKey: A.bySize },
  endpointByName: { name: 'endpoint-by-name', partitionKey: A.endpoint, sortKey: A.byName },
  endpointByTime: { name: 'endpoint-by-time', partitionKey: A.endpoint, sortKey: A.byTime },
  endpointBySize: { name: 'endpoint-by-size', partitionKey: A.endpoint, sortKey: A.bySize },
  endpointByKey: { name: 'endpoint-by-key', partitionKey: A.endpoint, sortKey: A.path },
  recent: { name: 'recent', partitionKey: A.feed, sortKey: A.byTime },
} as const satisfies Record<string, CatalogIndex>;

export type CatalogIndexName = (typeof CATALOG_INDEXES)[keyof typeof CATALOG_INDEXES]['name'];

/** The table: every key attribute is a string; billing on demand; TTL on `expiresAt`. */
export const CATALOG_TABLE = {
  partitionKey: A.pk,
  sortKey: A.sk,
  indexes: Object.values(CATALOG_INDEXES) as readonly CatalogIndex[],
  timeToLiveAttribute: A.expiresAt,
} as const;

/** Every attribute some key or index uses (each a string: CreateTable's AttributeDefinitions). */
export const catalogKeyAttributes = (): string[] => [...new Set([CATALOG_TABLE.partitionKey, CATALOG_TABLE.sortKey, ...CATALOG_TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey])])];

/**
 * The partition keys of the items that are not files or folders: each is the prefix followed by the
 * endpoint's name. A file's or folder's partition is its folder path, which always ends in `/`, and an
 * endpoint name never starts with `#`, so the two kinds never meet; IAM grants tell them apart by
 * these prefixes (dynamodb:LeadingKeys).
 */
export const CATALOG_PARTITIONS = {
  usage: '#usage#',
  digest: '#digest#',
  reserved: '#reserved#',
  hold: '#hold#',
  open: '#open#',
} as const;

/** The one value of `feed`: every file is in the `recent` index's single partition. */
export const FEED_VALUE = 'files';

/**
 * How long a tombstone blocks older events on its key. Longer than any event can arrive late: the rule
 * gives up after EVENT_MAX_AGE_HOURS, the Lambda's own retries within hours.
 */
export const CATALOG_TOMBSTONE_DAYS = 7;

/** The EventBridge rule's target stops retrying an event after this long (then it goes to the dead-letter queue). */
export const EVENT_MAX_AGE_HOURS = 24;
