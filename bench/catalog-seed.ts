// The listed endpoint for figure 5: `count` files in the local S3 server's bucket and, describing the
// same objects, `count` file items in the catalog (dynalite), both written before anything is timed.
//
// - The objects go through the S3 server's own storage layer (BucketStore) before the server starts:
//   100,000 PutObjects over HTTP would take minutes on two cores. They look like portal uploads (the
//   uploads Lambda's metadata) with small bodies of varying sizes, so sorting by size means something.
// - The catalog items are built by the catalog's own item builder (entryItem) from the facts the
//   events Lambda would read by HeadObject, and go in with BatchWriteItem (25 a call, several calls
//   in flight). dynalite maintains eight indexes per item and costs about 1-2 ms of CPU per item
//   here, so the bench runs it in a child process while this one writes the objects: the two
//   seedings share the two cores (catalog-server-child.ts). The endpoint's usage item and an
//   endpoint record are not written: the listing reads neither.
//
// Why all 100,000 objects, when the reference is one ListObjectsV2 page: the local server lists with
// a binary search over an in-memory sorted index, so a page costs about the same under a prefix of
// 2,000 keys as under 100,000, and a smaller bucket would measure the same reference. But a bucket
// that holds exactly what the catalog says keeps the comparison honest where it matters: the name
// prefix search's reference lists the very keys the search finds, every reference page is a page
// of real objects from a 100,000-key prefix, and the catalog could be reconciled against it without
// a change. The objects are written while dynalite takes the catalog items, so their time mostly
// hides behind the catalog's (the bench logs both); fewer objects would only leave dynalite a little
// more CPU.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { customerFileKey } from '../contract/bucket-layout.js';
import { buildObjectMetadata } from '../lambdas/shared/object-metadata.js';
import type { CatalogDb, Item } from '../lambdas/shared/catalog/catalog-db.js';
import { entryItem, type FileFacts } from '../lambdas/shared/catalog/catalog-items.js';
import { catalogPath } from '../lambdas/shared/catalog/catalog-path.js';
import { wholeSeconds } from '../local/s3/context.js';
import { BucketStore } from '../local/s3/object-store.js';

export const LISTING_ENDPOINT = 'bench-list';
export const LISTING_UPLOADER = 'bench-customer@example.com';

/** Ten name stems, a tenth of the files each: a name prefix search for one finds count / 10 files. */
const STEMS = ['invoice', 'report', 'scan', 'photo', 'contract', 'backup', 'video', 'statement', 'drawing', 'log'] as const;
export const PREFIX_SEARCH = 'statement-';
/** A substring of few names (the 7-digit numbers holding it), so the search reads the whole endpoint. */
export const SUBSTRING_SEARCH = '4242';

export const seedName = (i: number): string => `${STEMS[i % STEMS.length]}-${String(i).padStart(7, '0')}.bin`;
/** 1 to 1,021 bytes, spread over the files (7,919 is prime). */
export const seedSize = (i: number): number => 1 + ((i * 7919) % 1021);
export const seedKey = (i: number): string => customerFileKey(LISTING_ENDPOINT, seedName(i));

const OBJECT_CONCURRENCY = 32;
const BATCH_WRITERS = 8;
const ITEMS_PER_WRITER_CALL = 500;

const BODY_SOURCE = Buffer.alloc(1021, 'bench listing object\n');

/** What the events Lambda reads of seeded object `i` (HeadObject), from the same numbers the object is written with. */
export function seedFacts(i: number, newestMs: number): FileFacts {
  const name = seedName(i);
  const size = seedSize(i);
  return {
    name,
    size,
    // One upload a minute, newest first: upload times differ as they would.
    uploadedAt: new Date(newestMs - i * 60_000).toISOString(),
    uploadedBy: LISTING_UPLOADER,
    contentType: 'application/octet-stream',
    etag: createHash('md5').update(BODY_SOURCE.subarray(0, size)).digest('hex'),
    checksum: null,
  };
}

/** Upload times are whole seconds, as S3's Last-Modified. */
export const seedClock = (now: Date): number => Date.parse(wholeSeconds(now));

/**
 * Writes the objects into the bucket folder a local S3 server started on `bucketDir` will serve
 * (startS3Server keeps bucket `b` in `<dataDir>/buckets/b`).
 */
export async function seedObjects(bucketName: string, bucketDir: string, count: number, newestMs: number): Promise<void> {
  const store = new BucketStore(bucketName, bucketDir);
  store.load();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const key = seedKey(i);
      const facts = seedFacts(i, newestMs);
      const blob = await store.newBlob(key);
      await writeFile(blob, BODY_SOURCE.subarray(0, facts.size));
      await store.put(key, blob, {
        contentType: facts.contentType!,
        size: facts.size,
        etag: `"${facts.etag}"`,
        lastModified: facts.uploadedAt,
        userMeta: buildObjectMetadata({ originalName: facts.name, uploadedBy: LISTING_UPLOADER, declaredSize: facts.size }, facts.name),
      });
    }
  };
  await Promise.all(Array.from({ length: OBJECT_CONCURRENCY }, worker));
}

/**
 * Puts the catalog items of the seeded objects with BatchWriteItem, a few requests in flight at once.
 * Each item is what reconcile writes for a file it found (no event sequencer yet): the state of a
 * catalog filled from the bucket after an upgrade.
 */
export async function seedCatalog(db: CatalogDb, count: number, newestMs: number): Promise<void> {
  const now = new Date();
  let next = 0;
  const writer = async () => {
    for (let start = next; start < count; start = next) {
      next += ITEMS_PER_WRITER_CALL;
      const items: Item[] = [];
      for (let i = start; i < Math.min(count, start + ITEMS_PER_WRITER_CALL); i++) {
        const facts = seedFacts(i, newestMs);
        items.push(entryItem(catalogPath(seedKey(i))!, { kind: 'file', sequencer: null, counted: facts.size, pending: null }, facts, now));
      }
      await db.batchPut(items);
    }
  };
  await Promise.all(Array.from({ length: BATCH_WRITERS }, writer));
}

/** How many seeded names a predicate takes (the searches' expected counts). */
export function countNames(count: number, matches: (name: string) => boolean): number {
  let n = 0;
  for (let i = 0; i < count; i++) if (matches(seedName(i))) n++;
  return n;
}
