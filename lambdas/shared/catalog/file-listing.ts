// One page of files from the catalog (admin file browser, the customer's "Received files"): the query
// of listing-plan.ts, read until the page is full, the ALB's 1 MB response budget is spent or (for a
// filtered search) SUBSTRING_SEARCH_MAX_READ items were read. The page token is the index position
// after the last file answered, bound to the query it came from and checked on the way back in.
import { createHash } from 'node:crypto';
import { SUBSTRING_SEARCH_MAX_READ } from '../../../contract/limits.js';
import { CATALOG_ATTRIBUTES as A } from '../../../contract/catalog-table.js';
import { PortalError } from '../../shared/errors.js';
import { embeddedJsonBytes, MAX_JSON_RESPONSE_BYTES } from '../../shared/response-budget.js';
import { isValidationError, type CatalogDb, type Item } from './catalog-db.js';
import { readFile, type CatalogFile } from './catalog-items.js';
import { planListing, type ListingPlan, type ListingQuery } from './listing-plan.js';

export interface ListingPage<T> {
  entries: T[];
  nextToken: string | null;
  scanned: number;
  tookMs: number;
}

export interface ListingOptions<T> {
  pageSize: number;
  token: string | null;
  /** The API's shape of a file (what the budget measures). */
  toEntry: (file: CatalogFile) => T;
  /** Bytes the answer takes besides its entries (folders, fields). @default 4096 */
  overheadBytes?: number;
  /** @default MAX_JSON_RESPONSE_BYTES */
  budgetBytes?: number;
  /** @default SUBSTRING_SEARCH_MAX_READ */
  maxRead?: number;
}

interface PageToken {
  v: 1;
  /** Fingerprint of the query the token belongs to. */
  q: string;
  /** DynamoDB's start key: the base table's and the index's key attributes, all strings. */
  k: Record<string, string>;
}

/** Room for the token itself (its keys can be 2 KB) and the answer's other fields. */
const TOKEN_RESERVE_BYTES = 6_000;
const MAX_TOKEN_CHARS = 8_192;

export const queryFingerprint = (query: ListingQuery): string =>
  createHash('sha256').update(JSON.stringify([query.scope, query.endpoint, query.folder, query.sort, query.order, query.namePrefix, query.contains, query.from, query.to, query.scanStates ?? null])).digest('base64url').slice(0, 16);

const invalidToken = () => new PortalError('invalid_token', 'continuationToken does not belong to this listing');

export function encodePageToken(query: ListingQuery, key: Record<string, string>): string {
  return Buffer.from(JSON.stringify({ v: 1, q: queryFingerprint(query), k: key } satisfies PageToken), 'utf8').toString('base64url');
}

/** The start key a token names, checked: same query, exactly the index's key attributes, inside the query's partition. */
export function decodePageToken(token: string, query: ListingQuery, plan: ListingPlan): Item {
  if (token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) throw invalidToken();
  let value: PageToken;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageToken;
  } catch {
    throw invalidToken();
  }
  const names = keyNames(plan);
  const k = value?.k;
  if (value?.v !== 1 || value.q !== queryFingerprint(query) || typeof k !== 'object' || k === null) throw invalidToken();
  if (Object.keys(k).length !== names.length || !names.every((name) => typeof k[name] === 'string' && k[name].length > 0 && k[name].length <= 2048)) throw invalidToken();
  if (k[plan.index.partitionKey] !== plan.partition) throw invalidToken();
  return Object.fromEntries(names.map((name) => [name, { S: k[name]! }]));
}

const keyNames = (plan: ListingPlan): string[] => [...new Set([A.pk, A.sk, plan.index.partitionKey, plan.index.sortKey])];

function positionOf(item: Item, plan: ListingPlan): Record<string, string> {
  return Object.fromEntries(keyNames(plan).map((name) => [name, item[name]?.S ?? '']));
}

export async function listCatalogFiles<T>(db: CatalogDb, query: ListingQuery, options: ListingOptions<T>): Promise<ListingPage<T>> {
  const started = performance.now();
  const plan = planListing(query);
  let startKey = options.token ? decodePageToken(options.token, query, plan) : undefined;
  const budget = (options.budgetBytes ?? MAX_JSON_RESPONSE_BYTES) - (options.overheadBytes ?? 4096) - TOKEN_RESERVE_BYTES;
  const maxRead = options.maxRead ?? SUBSTRING_SEARCH_MAX_READ;
  const entries: T[] = [];
  let used = 0;
  let scanned = 0;
  let next: Record<string, string> | null = null;
  let lastTaken: Item | null = null;

  read: for (;;) {
    const wanted = options.pageSize - entries.length;
    // Unfiltered, Limit is what the page still needs plus one: DynamoDB answers a LastEvaluatedKey
    // whenever Limit stops it, even at the index's very end, so the extra item is what tells a last
    // page from one with more after it (no token that leads to an empty page). Filtered, it bounds one read.
    const limit = plan.filtered ? Math.min(1000, Math.max(wanted, 100)) : wanted + 1;
    let page;
    try {
      page = await db.query({ ...plan.input, Limit: limit, ...(startKey ? { ExclusiveStartKey: startKey } : {}) });
    } catch (error) {
      // A start key the index refuses (outside the key condition, say): the token was not this query's.
      if (options.token && isValidationError(error)) throw invalidToken();
      throw error;
    }
    scanned += page.scanned;
    for (let i = 0; i < page.items.length; i++) {
      const item = page.items[i]!;
      const file = readFile(item);
      if (!file) continue;
      const entry = options.toEntry(file);
      const size = embeddedJsonBytes(entry) + 1;
      if (used + size > budget) {
        // The first file always fits once the caller keeps its overhead within reason (the admin
        // browser gives its folders half of the response); an answer over the ALB's cap would only
        // reach the browser as a 502.
        if (!lastTaken) throw new Error(`The response budget leaves ${budget} bytes for files, less than the first file's ${size}: overheadBytes is too large`);
        next = positionOf(lastTaken, plan);
        break read;
      }
      entries.push(entry);
      lastTaken = item;
      used += size;
      if (entries.length === options.pageSize) {
        const last = i === page.items.length - 1;
        next = last && !page.lastKey ? null : positionOf(item, plan);
        break read;
      }
    }
    if (!page.lastKey) break;
    startKey = page.lastKey;
    if (scanned >= maxRead) {
      next = Object.fromEntries(Object.entries(page.lastKey).map(([name, value]) => [name, value.S ?? '']));
      break;
    }
  }
  return { entries, nextToken: next ? encodePageToken(query, next) : null, scanned, tookMs: Math.round((performance.now() - started) * 10) / 10 };
}
