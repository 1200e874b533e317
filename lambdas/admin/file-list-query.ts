// GET /admin/api/files: the query string as a catalog listing, checked. Pure, table-tested. Every
// refusal is a 400 from the error catalogue, before anything is read.
import { ADMIN_FILES_DEFAULT_PAGE_SIZE, ADMIN_FILES_PAGE_SIZES, MAX_FILE_SEARCH_CHARS } from '../../contract/limits.js';
import type { FileScope, FileSortKey, SortOrder } from '../../contract/api/admin.js';
import { SCAN_STATES, type ScanState } from '../../contract/malware-scan.js';
import { PortalError } from '../shared/errors.js';
import type { ListingQuery } from '../shared/catalog/listing-plan.js';
import { searchForm } from '../shared/catalog/sort-keys.js';
import { parseEndpointName } from './endpoint-input.js';
import { normalizeFolder } from './file-keys.js';
import { parseTime } from './query-time.js';

export interface FileListRequest {
  query: ListingQuery;
  pageSize: number;
  token: string | null;
}

const SORTS: readonly FileSortKey[] = ['name', 'time', 'size'];
const ORDERS: readonly SortOrder[] = ['asc', 'desc'];
const SCOPES: readonly FileScope[] = ['folder', 'endpoint', 'all'];

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function parsePageSize(raw: string | undefined): number {
  if (raw === undefined || raw === '') return ADMIN_FILES_DEFAULT_PAGE_SIZE;
  const value = Number(raw);
  if (!(ADMIN_FILES_PAGE_SIZES as readonly number[]).includes(value) || !/^\d+$/.test(raw)) {
    throw new PortalError('invalid_page_size', `pageSize must be one of ${ADMIN_FILES_PAGE_SIZES.join(', ')}`);
  }
  return value;
}

function parseChoice<T extends string>(raw: string | undefined, choices: readonly T[], field: string): T | null {
  if (raw === undefined || raw === '') return null;
  if (!(choices as readonly string[]).includes(raw)) throw new PortalError('invalid_sort', `${field} must be one of ${choices.join(', ')}`);
  return raw as T;
}

function parseSearch(raw: string | undefined, field: string): string | null {
  if (raw === undefined || raw === '') return null;
  if ([...raw].length > MAX_FILE_SEARCH_CHARS || CONTROL.test(raw)) {
    throw new PortalError('invalid_search', `${field} must be at most ${MAX_FILE_SEARCH_CHARS} characters, without control characters`);
  }
  return searchForm(raw);
}

/** `scan=clean,pending`: a set of scan states, or null for any. */
function parseScanStates(raw: string | undefined): ScanState[] | null {
  if (raw === undefined || raw === '') return null;
  const states = [...new Set(raw.split(','))];
  if (states.length > SCAN_STATES.length || !states.every((s) => (SCAN_STATES as readonly string[]).includes(s))) throw new PortalError('invalid_scan_state');
  return states as ScanState[];
}

/** ?endpoint=&prefix=&scope=&sort=&order=&name=&contains=&from=&to=&pageSize=&continuationToken= */
export function parseFileListQuery(raw: Record<string, string>): FileListRequest {
  const endpoint = raw.endpoint ? parseEndpointName(raw.endpoint) : null;
  const scope = parseChoice(raw.scope, SCOPES, 'scope') ?? (endpoint === null ? 'all' : 'folder');
  if ((scope === 'all') !== (endpoint === null)) {
    throw new PortalError('invalid_sort', endpoint === null ? 'scope folder and endpoint need an endpoint' : 'scope all lists every endpoint: leave out endpoint');
  }
  const folder = normalizeFolder(raw.prefix);
  if (folder !== '' && scope !== 'folder') throw new PortalError('invalid_prefix', 'prefix applies to a folder listing (scope=folder) only');
  const sort = parseChoice(raw.sort, SORTS, 'sort') ?? (scope === 'all' ? 'time' : 'name');
  if (scope === 'all' && sort !== 'time') throw new PortalError('invalid_sort', 'Across all endpoints the files are sorted by upload time only');
  const order = parseChoice(raw.order, ORDERS, 'order') ?? (sort === 'name' ? 'asc' : 'desc');
  const from = parseTime(raw.from, 'from');
  const to = parseTime(raw.to, 'to');
  if (from !== null && to !== null && from > to) throw new PortalError('invalid_time_range', '`from` is after `to`');
  const token = raw.continuationToken || null;
  return {
    query: { scope, endpoint, folder, sort, order, namePrefix: parseSearch(raw.name, 'name'), contains: parseSearch(raw.contains, 'contains'), from, to, scanStates: parseScanStates(raw.scan) },
    pageSize: parsePageSize(raw.pageSize),
    token,
  };
}
