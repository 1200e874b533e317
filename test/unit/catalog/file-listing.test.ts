// A listing page never answers more than its response budget holds, not even its first file: an
// answer over the ALB's 1 MB would reach the browser as a 502, so a caller whose own part of the
// answer (folders, fields) leaves no room is a bug, and is refused loudly.
import { describe, expect, it } from 'vitest';
import { CATALOG_ATTRIBUTES as A } from '../../../contract/catalog-table.js';
import type { CatalogDb, QueryInput, QueryResult } from '../../../lambdas/shared/catalog/catalog-db.js';
import { entryItem, type CatalogFile } from '../../../lambdas/shared/catalog/catalog-items.js';
import { catalogPath } from '../../../lambdas/shared/catalog/catalog-path.js';
import { listCatalogFiles } from '../../../lambdas/shared/catalog/file-listing.js';
import type { ListingQuery } from '../../../lambdas/shared/catalog/listing-plan.js';
import { embeddedJsonBytes } from '../../../lambdas/shared/response-budget.js';

const NOW = new Date('2026-11-25T12:00:00.000Z');
const query: ListingQuery = { scope: 'folder', endpoint: 'acme', folder: '', sort: 'name', order: 'asc', namePrefix: null, contains: null, from: null, to: null };
const items = ['a.txt', 'b.txt', 'c.txt'].map((name) =>
  entryItem(catalogPath(`uploads/acme/${name}`)!, { kind: 'file', sequencer: null, counted: 1, pending: null }, { name, size: 1, uploadedAt: NOW.toISOString(), uploadedBy: null, contentType: null, etag: 'e', checksum: null }, NOW),
);

/** A catalog whose listing indexes hold `items`; any other call is a test failure. */
function catalogOf(): CatalogDb & { queries: QueryInput[] } {
  const unused = () => Promise.reject(new Error('not used by a listing'));
  const queries: QueryInput[] = [];
  return {
    table: 'portal-catalog',
    queries,
    query: (input: QueryInput): Promise<QueryResult> => {
      queries.push(input);
      // As DynamoDB: from after ExclusiveStartKey, and a LastEvaluatedKey whenever Limit stopped the read (even at the end).
      const start = input.ExclusiveStartKey ? items.findIndex((item) => item[A.sk]!.S === input.ExclusiveStartKey![A.sk]!.S) + 1 : 0;
      const read = items.slice(start, start + (input.Limit ?? items.length));
      const limited = input.Limit !== undefined && read.length === input.Limit;
      return Promise.resolve({ items: read, lastKey: limited ? read[read.length - 1] : undefined, scanned: read.length });
    },
    get: unused,
    put: unused,
    update: unused,
    delete: unused,
    batchPut: unused,
  };
}

const toEntry = (file: CatalogFile) => ({ key: file.key, name: file.name });
/** Each file's entry in the budget: the same length for a.txt, b.txt and c.txt. */
const entryBytes = embeddedJsonBytes({ key: 'uploads/acme/a.txt', name: 'a.txt' }) + 1;

describe('listCatalogFiles within its response budget', () => {
  it('answers the files that fit and a token for the rest', async () => {
    // Room for the 6,000-byte token reserve, the overhead and two entries.
    const page = await listCatalogFiles(catalogOf(), query, { pageSize: 50, token: null, toEntry, overheadBytes: 100, budgetBytes: 6_000 + 100 + 2 * entryBytes });
    expect(page.entries.map((e) => e.name)).toEqual(['a.txt', 'b.txt']);
    expect(page.nextToken).toEqual(expect.any(String));
  });

  it('answers no token on a last page that is exactly full, and a token that resumes after a page with more', async () => {
    const catalog = catalogOf();
    const whole = await listCatalogFiles(catalog, query, { pageSize: 3, token: null, toEntry });
    expect(whole.entries.map((e) => e.name)).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(whole.nextToken).toBeNull();
    const first = await listCatalogFiles(catalog, query, { pageSize: 2, token: null, toEntry });
    expect(first.entries.map((e) => e.name)).toEqual(['a.txt', 'b.txt']);
    const rest = await listCatalogFiles(catalog, query, { pageSize: 2, token: first.nextToken, toEntry });
    expect(rest.entries.map((e) => e.name)).toEqual(['c.txt']);
    expect(rest.nextToken).toBeNull();
  });

  it('refuses to answer a first file the budget cannot hold, rather than exceed it', async () => {
    const catalog = catalogOf();
    await expect(listCatalogFiles(catalog, query, { pageSize: 50, token: null, toEntry, overheadBytes: 100, budgetBytes: 6_000 + 100 + entryBytes - 1 })).rejects.toThrow(/overheadBytes is too large/);
    await expect(listCatalogFiles(catalog, query, { pageSize: 50, token: null, toEntry, overheadBytes: 2_000_000 })).rejects.toThrow(/less than the first file's/);
  });
});
