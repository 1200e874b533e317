// Listings against dynalite with controlled data: the upload-time range at its exact bounds (both
// inclusive) as a key condition (time sort, on the time index) and as a filter (name and size sort),
// both directions, paged; and the substring search's per-call read cap (`maxRead`): pages come back
// short or empty with a token while matches lie further on, and paging to the end finds each match once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileSortKey, SortOrder } from '../../../contract/api/admin.js';
import { entryItem, type CatalogFile } from '../../../lambdas/shared/catalog/catalog-items.js';
import { catalogPath } from '../../../lambdas/shared/catalog/catalog-path.js';
import { listCatalogFiles, type ListingPage } from '../../../lambdas/shared/catalog/file-listing.js';
import type { ListingQuery } from '../../../lambdas/shared/catalog/listing-plan.js';
import { startCatalogWorld, type CatalogWorld } from './fixture.js';

let w: CatalogWorld;

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const RANGED = 'ranged';
const COUNT = 12;

/** File i: arrived T0 + i seconds and 250 ms (distinct, not whole seconds); names and sizes in other orders than time. */
const seeded = Array.from({ length: COUNT }, (_, i) => ({
  key: `uploads/${RANGED}/${i % 2 ? 'sub/' : ''}f-${String(i).padStart(2, '0')}.bin`,
  name: `${String.fromCharCode(97 + ((i * 5) % COUNT))}-file.bin`,
  size: 1000 + ((i * 7) % COUNT) * 10,
  uploadedAt: new Date(T0 + i * 1000 + 250).toISOString(),
}));

/** The files' items written directly (no object, no event): the listing reads only the catalog. */
async function seed(files: { key: string; name: string; size: number; uploadedAt: string }[]): Promise<void> {
  for (const f of files) {
    const path = catalogPath(f.key)!;
    const facts = { name: f.name, size: f.size, uploadedAt: f.uploadedAt, uploadedBy: null, contentType: null, etag: `etag-${f.key}`, checksum: null };
    await w.db.put(entryItem(path, { kind: 'file', sequencer: null, counted: f.size, pending: null, scan: null }, facts, new Date()));
  }
}

beforeAll(async () => {
  w = await startCatalogWorld();
  await seed(seeded);
});
afterAll(async () => w?.close());

const query = (over: Partial<ListingQuery>): ListingQuery => ({ scope: 'endpoint', endpoint: RANGED, folder: '', sort: 'time', order: 'asc', namePrefix: null, contains: null, from: null, to: null, ...over });

/** Every page of the listing, in order (`maxRead` per call as given). */
async function allPages(q: ListingQuery, pageSize: number, maxRead?: number): Promise<ListingPage<CatalogFile>[]> {
  const pages: ListingPage<CatalogFile>[] = [];
  let token: string | null = null;
  do {
    const page: ListingPage<CatalogFile> = await listCatalogFiles(w.db, q, { pageSize, token, toEntry: (f) => f, ...(maxRead !== undefined ? { maxRead } : {}) });
    pages.push(page);
    token = page.nextToken;
    if (pages.length > 500) throw new Error('the listing does not end');
  } while (token);
  return pages;
}

const keysOf = (pages: ListingPage<CatalogFile>[]) => pages.flatMap((p) => p.entries.map((f) => f.key));

/** The seeded files with index in [lo, hi], in the listing's order. */
function expected(lo: number, hi: number, sort: FileSortKey, order: SortOrder): string[] {
  const picked = seeded.filter((_, i) => i >= lo && i <= hi);
  const by = sort === 'time' ? (f: (typeof seeded)[number]) => f.uploadedAt : sort === 'name' ? (f: (typeof seeded)[number]) => f.name : (f: (typeof seeded)[number]) => String(f.size).padStart(8, '0');
  const sorted = [...picked].sort((a, b) => (by(a) < by(b) ? -1 : by(a) > by(b) ? 1 : 0));
  return (order === 'asc' ? sorted : sorted.reverse()).map((f) => f.key);
}

describe('the upload-time range at its exact bounds', () => {
  const sorts: FileSortKey[] = ['time', 'name', 'size'];
  const orders: SortOrder[] = ['asc', 'desc'];
  for (const sort of sorts) {
    for (const order of orders) {
      it(`sorted by ${sort} ${order} (${sort === 'time' ? 'key condition on the time index' : 'filter'}): from and to both inclusive, to the millisecond`, async () => {
        const from = seeded[3]!.uploadedAt;
        const to = seeded[8]!.uploadedAt;
        expect(keysOf(await allPages(query({ sort, order, from, to }), 2))).toEqual(expected(3, 8, sort, order));
        // One millisecond inside each bound drops the file at the bound.
        const justAfter = new Date(Date.parse(from) + 1).toISOString();
        const justBefore = new Date(Date.parse(to) - 1).toISOString();
        expect(keysOf(await allPages(query({ sort, order, from: justAfter, to: justBefore }), 2))).toEqual(expected(4, 7, sort, order));
        // One bound only.
        expect(keysOf(await allPages(query({ sort, order, from }), 5))).toEqual(expected(3, COUNT - 1, sort, order));
        expect(keysOf(await allPages(query({ sort, order, to }), 5))).toEqual(expected(0, 8, sort, order));
        // A range of exactly one instant.
        expect(keysOf(await allPages(query({ sort, order, from: to, to }), 5))).toEqual(expected(8, 8, sort, order));
      });
    }
  }

  it('in one folder too (the folder index), by time, both ways', async () => {
    const inSub = (lo: number, hi: number) => seeded.filter((f, i) => i >= lo && i <= hi && f.key.includes('/sub/')).map((f) => f.key);
    const q = { scope: 'folder' as const, folder: 'sub/', from: seeded[3]!.uploadedAt, to: seeded[9]!.uploadedAt };
    expect(keysOf(await allPages(query({ ...q, order: 'asc' }), 2))).toEqual(inSub(3, 9));
    expect(keysOf(await allPages(query({ ...q, order: 'desc' }), 2))).toEqual(inSub(3, 9).reverse());
  });
});

describe("the substring search's read cap per call", () => {
  const SEARCHED = 'searched';
  const TOTAL = 450;
  // Matches in clusters and a long stretch without any: a call that stops at the cap finds some, a
  // full page's worth, or none. Name, time and size all put the files in the same order.
  const MATCHES = new Set([5, 7, 150, 151, 152, 153, 420]);
  const files = Array.from({ length: TOTAL }, (_, i) => ({
    key: `uploads/${SEARCHED}/file-${String(i).padStart(3, '0')}.txt`,
    name: MATCHES.has(i) ? `file-${String(i).padStart(3, '0')} NEEDLE.txt` : `file-${String(i).padStart(3, '0')}.txt`,
    size: 100 + i,
    uploadedAt: new Date(T0 + i * 1000).toISOString(),
  }));
  const matches = files.filter((_, i) => MATCHES.has(i)).map((f) => f.key);

  beforeAll(async () => {
    await seed(files);
  });

  for (const [sort, order] of [['name', 'asc'], ['time', 'desc'], ['size', 'asc']] as const) {
    it(`sorted by ${sort} ${order}: a call stops once it read maxRead items, short and empty pages carry a token, paging to the end finds every match once`, async () => {
      const pages = await allPages(query({ endpoint: SEARCHED, sort, order, contains: 'needle' }), 3, 5);
      const found = keysOf(pages);
      expect(found).toEqual(order === 'asc' ? matches : [...matches].reverse());
      // One filtered read (at most 100 items here) reaches the cap of 5: no call reads a second time.
      for (const page of pages) expect(page.scanned).toBeLessThanOrEqual(100);
      const cut = pages.slice(0, -1).filter((p) => p.entries.length < 3);
      expect(cut.length).toBeGreaterThan(0);
      expect(cut.some((p) => p.entries.length === 0)).toBe(true);
      for (const page of cut) expect([page.scanned >= 5, page.nextToken !== null]).toEqual([true, true]);
      expect(pages.at(-1)!.nextToken).toBeNull();
    });
  }

  it('with the default cap (25,000 items) a call reads on until its page is full', async () => {
    const [first] = await allPages(query({ endpoint: SEARCHED, sort: 'name', order: 'asc', contains: 'needle' }), 100);
    expect(first!.entries.map((f) => f.key)).toEqual(matches);
    expect(first!.scanned).toBe(TOTAL);
  });
});
