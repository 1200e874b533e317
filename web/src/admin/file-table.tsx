// The files of a listing as a table whose column headers ask the catalog for another order; an
// endpoint's sub-folders first, then its files (with their folder when the listing spans folders,
// and their endpoint on the recent arrivals page).
import type { FileEntry } from '../../../contract/api/admin.js';
import { downloadHref } from './api.js';
import { FileRow } from './file-row.js';
import { folderLabel, type FileSortKey, type SortState } from './file-sort.js';
import { Link } from './link.js';
import { hrefFor } from './router.js';

export interface FileTableProps {
  files: FileEntry[];
  folders?: string[];
  /** The endpoint whose folders the folder rows open. */
  endpoint?: string;
  sort: SortState;
  /** Absent: the order is fixed (newest first). */
  onSort?: (key: FileSortKey) => void;
  showEndpoint?: boolean;
  showFolder?: boolean;
  onDeleted: (key: string) => void;
  caption: string;
}

export function FileTable({ files, folders = [], endpoint, sort, onSort, showEndpoint, showFolder, onDeleted, caption }: FileTableProps) {
  const ariaSort = (key: FileSortKey) => (sort.key === key ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none');
  const header = (key: FileSortKey, label: string, className?: string) => (
    <th scope="col" class={className} aria-sort={ariaSort(key)}>
      {onSort ? (
        <button type="button" class="sort" onClick={() => onSort(key)}>
          {label} {sort.key === key && <span aria-hidden="true">{sort.order === 'asc' ? '▲' : '▼'}</span>}
        </button>
      ) : (
        label
      )}
    </th>
  );
  return (
    <div class="card table-wrap">
      <table class="table files-table stack">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {header('name', 'Name')}
            {showEndpoint && <th scope="col">Endpoint</th>}
            {header('size', 'Size', 'num')}
            {header('time', 'Uploaded')}
            <th scope="col">Uploaded by</th>
            <th scope="col">Checksum</th>
            <th scope="col">Malware scan</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {endpoint &&
            folders.map((folder) => (
              <tr key={folder} class="folder-row">
                <td class="name">
                  <Link href={hrefFor({ name: 'files', endpoint, prefix: folder })}>{folderLabel(folder)}/</Link>
                </td>
                <td class="num kind">Folder</td>
                <td colSpan={5} />
              </tr>
            ))}
          {files.map((file) => (
            <FileRow key={file.key} file={file} downloadHref={downloadHref(file.key)} onDeleted={onDeleted} showEndpoint={showEndpoint} showFolder={showFolder} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
