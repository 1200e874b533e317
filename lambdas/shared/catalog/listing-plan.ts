// Which index answers a listing and how: pure, table-tested. The index is chosen by scope and sort
// order; a name prefix is a key condition on the name index when sorting by name, an upload-time range
// one on the time index when sorting by time, and either is a filter otherwise (reads more). A name
// substring and a set of scan states are always filters.
import { CATALOG_ATTRIBUTES as A, CATALOG_INDEXES, FEED_VALUE, type CatalogIndex } from '../../../contract/catalog-table.js';
import type { FileScope, FileSortKey, SortOrder } from '../../../contract/api/admin.js';
import type { ScanState } from '../../../contract/malware-scan.js';
import type { Item, QueryInput } from './catalog-db.js';
import { FILE_ATTRIBUTES } from './catalog-items.js';
import { folderDir } from './catalog-path.js';
import { NAME_SORT_BYTES, timeRangeBounds } from './sort-keys.js';

export interface ListingQuery {
  scope: FileScope;
  /** Required unless scope is 'all'. */
  endpoint: string | null;
  /** Folder relative to the endpoint, '' or ending in '/' (scope 'folder'). */
  folder: string;
  sort: FileSortKey;
  order: SortOrder;
  /** Lower-case NFC (searchForm), or null. */
  namePrefix: string | null;
  contains: string | null;
  /** ISO 8601 with milliseconds, inclusive. */
  from: string | null;
  to: string | null;
  /** Only files in one of these scan states; absent or null = any. */
  scanStates?: readonly ScanState[] | null;
}

export interface ListingPlan {
  index: CatalogIndex;
  /** The partition the query reads (checked against a page token's). */
  partition: string;
  input: QueryInput;
  /** Whether a filter may drop items (then DynamoDB's Limit counts items read, not answered). */
  filtered: boolean;
}

const INDEX: Record<FileScope, Record<FileSortKey, CatalogIndex>> = {
  folder: { name: CATALOG_INDEXES.folderByName, time: CATALOG_INDEXES.folderByTime, size: CATALOG_INDEXES.folderBySize },
  endpoint: { name: CATALOG_INDEXES.endpointByName, time: CATALOG_INDEXES.endpointByTime, size: CATALOG_INDEXES.endpointBySize },
  // Across endpoints only the newest arrivals (lambdas/admin/file-list-query.ts refuses other sorts).
  all: { name: CATALOG_INDEXES.recent, time: CATALOG_INDEXES.recent, size: CATALOG_INDEXES.recent },
};

export function partitionOf(query: ListingQuery): string {
  if (query.scope === 'all') return FEED_VALUE;
  if (query.endpoint === null) throw new Error('a folder or endpoint listing needs its endpoint');
  return query.scope === 'folder' ? folderDir(query.endpoint, query.folder) : query.endpoint;
}

export function planListing(query: ListingQuery): ListingPlan {
  const index = INDEX[query.scope][query.sort];
  const partition = partitionOf(query);
  const names: Record<string, string> = { '#p': index.partitionKey };
  const values: Item = { ':p': { S: partition } };
  let keyCondition = '#p = :p';
  const filters: string[] = [];

  const prefixAsKey = query.namePrefix !== null && index.sortKey === A.byName && Buffer.byteLength(query.namePrefix, 'utf8') <= NAME_SORT_BYTES;
  if (query.namePrefix !== null) {
    values[':prefix'] = { S: query.namePrefix };
    if (prefixAsKey) {
      names['#s'] = index.sortKey;
      keyCondition += ' AND begins_with(#s, :prefix)';
    } else {
      names['#search'] = A.search;
      filters.push('begins_with(#search, :prefix)');
    }
  }
  if (query.contains !== null) {
    names['#search'] = A.search;
    values[':contains'] = { S: query.contains };
    filters.push('contains(#search, :contains)');
  }
  if (query.from !== null || query.to !== null) {
    if (index.sortKey === A.byTime) {
      const { low, high } = timeRangeBounds(query.from, query.to);
      names['#s'] = index.sortKey;
      if (low !== null) values[':low'] = { S: low };
      if (high !== null) values[':high'] = { S: high };
      keyCondition += low !== null && high !== null ? ' AND #s BETWEEN :low AND :high' : low !== null ? ' AND #s >= :low' : ' AND #s <= :high';
    } else {
      names['#at'] = A.uploadedAt;
      if (query.from !== null) {
        values[':from'] = { S: query.from };
        filters.push('#at >= :from');
      }
      if (query.to !== null) {
        values[':to'] = { S: query.to };
        filters.push('#at <= :to');
      }
    }
  }
  if (query.scanStates) {
    names['#scan'] = A.scanState;
    const slots = query.scanStates.map((state, i) => {
      values[`:scan${i}`] = { S: state };
      return `:scan${i}`;
    });
    // Files recorded before scanning existed carry no state: they count as not scanned.
    const legacy = query.scanStates.includes('not_scanned') ? ' OR attribute_not_exists(#scan)' : '';
    filters.push(`(#scan IN (${slots.join(', ')})${legacy})`);
  }
  // What a page reads of each item: the file's attributes and the keys a page token holds. Every name
  // goes through a placeholder (key, name, size and path are DynamoDB reserved words).
  const projection = [...new Set([A.pk, A.sk, index.partitionKey, index.sortKey, ...FILE_ATTRIBUTES])].map((name, i) => {
    names[`#a${i}`] = name;
    return `#a${i}`;
  });
  return {
    index,
    partition,
    filtered: filters.length > 0,
    input: {
      IndexName: index.name,
      KeyConditionExpression: keyCondition,
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ProjectionExpression: projection.join(', '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: query.order === 'asc',
    },
  };
}
