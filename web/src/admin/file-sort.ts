// The file browser's sort and filter state as the catalog's query (GET /admin/api/files), and folder
// labels and breadcrumbs. Sorting, searching and paging happen in the catalog; the page only asks. Pure.
import { folderInEndpoint } from '../../../contract/bucket-layout.js';
import { ADMIN_FILES_MAX_FOLDERS, type FileScope, type FileSortKey, type SortOrder } from '../../../contract/api/admin.js';

export type { FileSortKey, SortOrder };

export interface SortState {
  key: FileSortKey;
  order: SortOrder;
}

/** A column header click: the same column flips its order; another starts in its natural one (name A-Z, newest or largest first). */
export function nextSort(current: SortState, key: FileSortKey): SortState {
  if (current.key === key) return { key, order: current.order === 'asc' ? 'desc' : 'asc' };
  return { key, order: key === 'name' ? 'asc' : 'desc' };
}

export interface FileFilters {
  /** Typed text; empty = no search. */
  search: string;
  /** Match the start of names (served by the index) or anywhere in them (reads more). */
  match: 'prefix' | 'contains';
  /** Days as the date inputs give them (`2026-11-25`), both inclusive; '' = open. */
  fromDay: string;
  toDay: string;
  /** One scan state to show (ScanState), or '' / absent for any. */
  scan?: string;
}

export const NO_FILTERS: FileFilters = { search: '', match: 'prefix', fromDay: '', toDay: '' };

/** The query parameters for one listing (without the page token). */
export function listingQuery(input: { endpoint?: string; prefix?: string; scope: FileScope; sort: SortState; filters: FileFilters; pageSize: number }): Record<string, string> {
  const query: Record<string, string> = { scope: input.scope, sort: input.sort.key, order: input.sort.order, pageSize: String(input.pageSize) };
  if (input.endpoint) query.endpoint = input.endpoint;
  if (input.scope === 'folder' && input.prefix) query.prefix = input.prefix;
  const search = input.filters.search.trim();
  if (search) query[input.filters.match === 'prefix' ? 'name' : 'contains'] = search;
  // A day is its whole day in UTC, as the API reads bare dates.
  if (input.filters.fromDay) query.from = `${input.filters.fromDay}T00:00:00.000Z`;
  if (input.filters.toDay) query.to = `${input.filters.toDay}T23:59:59.999Z`;
  if (input.filters.scan) query.scan = input.filters.scan;
  return query;
}

/** The last segment of a folder prefix: "acme/2026/reports/" -> "reports". */
export function folderLabel(prefix: string): string {
  const parts = prefix.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? prefix;
}

/** Breadcrumb steps of a prefix: "a/b/" -> [{label:'a', prefix:'a/'}, {label:'b', prefix:'a/b/'}]. */
export function breadcrumbs(prefix: string): { label: string; prefix: string }[] {
  const parts = prefix.split('/').filter(Boolean);
  return parts.map((label, i) => ({ label, prefix: `${parts.slice(0, i + 1).join('/')}/` }));
}

/** The folder part of a file key below its endpoint (`uploads/acme/q3/a.pdf` -> `q3/`), '' at the root. */
export const folderOfKey = (key: string): string => folderInEndpoint(key);

/**
 * What the page says when the listing's sub-folders were cut (`foldersTruncated`): the catalog reads
 * the first ADMIN_FILES_MAX_FOLDERS by name, and long names may end the list sooner. The files of the
 * others are still one switch away ("All folders" lists the whole endpoint).
 */
export function truncatedFoldersNote(shown: number, searching: boolean): string {
  const first = ADMIN_FILES_MAX_FOLDERS.toLocaleString('en-US');
  if (searching) return `Only the first ${first} folders were searched by name. Switch on "All folders" to search the files of every folder.`;
  const which = shown >= ADMIN_FILES_MAX_FOLDERS ? `the first ${first} folders` : `the first ${shown.toLocaleString('en-US')} folders (their names are long)`;
  return `Showing ${which}; this folder has more. Switch on "All folders" to list the files of every folder.`;
}
