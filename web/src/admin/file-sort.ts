// Sorting the file browser's rows: folders first, then files by the chosen column. Pure.
import type { FileEntry } from '../../../contract/api/admin.js';

export type SortKey = 'name' | 'size' | 'date';
export type SortDirection = 'asc' | 'desc';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function sortFiles(files: readonly FileEntry[], key: SortKey, direction: SortDirection): FileEntry[] {
  const sign = direction === 'asc' ? 1 : -1;
  const compare = (a: FileEntry, b: FileEntry): number => {
    if (key === 'size') return a.size - b.size;
    if (key === 'date') return Date.parse(a.lastModified) - Date.parse(b.lastModified);
    return collator.compare(a.name, b.name);
  };
  return [...files].sort((a, b) => sign * compare(a, b) || collator.compare(a.key, b.key));
}

export function sortFolders(folders: readonly string[], direction: SortDirection): string[] {
  const sign = direction === 'asc' ? 1 : -1;
  return [...folders].sort((a, b) => sign * collator.compare(a, b));
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
