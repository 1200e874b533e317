// File browser of one endpoint: folders and files, sorting, paging, download, share, delete,
// and uploading into the endpoint with the customer page's widget (loaded on demand).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FileEntry, FileListing } from '../../../contract/api/admin.js';
import { isApiError } from '../shared/api-client.js';
import { formatBytes } from '../shared/format.js';
import { adminApi, downloadHref } from './api.js';
import { FileRow } from './file-row.js';
import { breadcrumbs, folderLabel, sortFiles, sortFolders, type SortDirection, type SortKey } from './file-sort.js';
import { Link } from './link.js';
import { hrefFor } from './router.js';
import { UploadIntoEndpoint } from './upload-into-endpoint.js';
import { ErrorAlert } from '../shared/error-alert.js';

const PAGE_SIZES = [100, 500, 1000];

export function FilesPage({ endpoint, prefix }: { endpoint: string; prefix: string }) {
  const [folders, setFolders] = useState<string[]>([]);
  const [files, setFiles] = useState<FileEntry[] | null>(null);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [pageSize, setPageSize] = useState(100);
  const [sort, setSort] = useState<{ key: SortKey; direction: SortDirection }>({ key: 'name', direction: 'asc' });
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [showUpload, setShowUpload] = useState(false);
  const request = useRef(0);

  const load = async (token: string | null) => {
    const id = ++request.current;
    setBusy(true);
    try {
      const page: FileListing = await adminApi.listFiles({ endpoint, prefix: prefix || undefined, continuationToken: token, pageSize });
      if (id !== request.current) return;
      setFolders((current) => (token ? [...current, ...page.folders] : page.folders));
      setFiles((current) => (token && current ? [...current, ...page.files] : page.files));
      setNextToken(page.nextToken);
      setError('');
    } catch (e) {
      if (id === request.current) setError(isApiError(e) ? e.message : 'The files could not be listed.');
    } finally {
      if (id === request.current) setBusy(false);
    }
  };

  useEffect(() => {
    setFiles(null);
    setFolders([]);
    void load(null);
  }, [endpoint, prefix, pageSize]);

  const sortBy = (key: SortKey) => setSort((s) => ({ key, direction: s.key === key && s.direction === 'asc' ? 'desc' : 'asc' }));
  const ariaSort = (key: SortKey) => (sort.key === key ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none');
  const sortedFiles = files ? sortFiles(files, sort.key, sort.direction) : [];
  const sortedFolders = sortFolders(folders, sort.key === 'name' ? sort.direction : 'asc');
  const removeFile = (key: string) => setFiles((current) => current?.filter((f) => f.key !== key) ?? null);
  const totalShown = (files?.reduce((sum, f) => sum + f.size, 0) ?? 0);

  return (
    <>
      <nav class="breadcrumb" aria-label="Folder path">
        <Link href={hrefFor({ name: 'endpoints' })}>Endpoints</Link> / <Link href={hrefFor({ name: 'endpoint', endpoint })}>{endpoint}</Link> /{' '}
        <Link href={hrefFor({ name: 'files', endpoint, prefix: '' })}>files</Link>
        {breadcrumbs(prefix).map((step) => (
          <span key={step.prefix}>
            {' / '}
            <Link href={hrefFor({ name: 'files', endpoint, prefix: step.prefix })}>{step.label}</Link>
          </span>
        ))}
      </nav>
      <div class="section-head">
        <h1 tabIndex={-1}>Files of {endpoint}{prefix ? `: ${prefix}` : ''}</h1>
        <div class="actions">
          <button type="button" class="button-secondary" onClick={() => load(null)} disabled={busy}>
            Refresh
          </button>
          <button type="button" class="button" aria-expanded={showUpload} onClick={() => setShowUpload((v) => !v)}>
            {showUpload ? 'Hide upload' : 'Upload files'}
          </button>
        </div>
      </div>
      {showUpload && <UploadIntoEndpoint endpoint={endpoint} onFileUploaded={() => load(null)} />}
      <ErrorAlert message={error} />
      {files === null && !error && <p>Loading…</p>}
      {files && files.length === 0 && folders.length === 0 && <p class="empty">This folder is empty.</p>}
      {files && (files.length > 0 || folders.length > 0) && (
        <div class="card table-wrap">
          <table class="table files-table stack">
            <caption class="visually-hidden">Folders and files; column headers sort</caption>
            <thead>
              <tr>
                <th scope="col" aria-sort={ariaSort('name')}>
                  <button type="button" class="sort" onClick={() => sortBy('name')}>
                    Name {sortMark(sort, 'name')}
                  </button>
                </th>
                <th scope="col" class="num" aria-sort={ariaSort('size')}>
                  <button type="button" class="sort" onClick={() => sortBy('size')}>
                    Size {sortMark(sort, 'size')}
                  </button>
                </th>
                <th scope="col" aria-sort={ariaSort('date')}>
                  <button type="button" class="sort" onClick={() => sortBy('date')}>
                    Uploaded {sortMark(sort, 'date')}
                  </button>
                </th>
                <th scope="col">Uploaded by</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {sortedFolders.map((folder) => (
                <tr key={folder} class="folder-row">
                  <td class="name">
                    <Link href={hrefFor({ name: 'files', endpoint, prefix: folder })}>{folderLabel(folder)}/</Link>
                  </td>
                  <td class="num kind">Folder</td>
                  <td colSpan={3} />
                </tr>
              ))}
              {sortedFiles.map((file) => (
                <FileRow key={file.key} file={file} downloadHref={downloadHref(file.key)} onDeleted={removeFile} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="actions paging">
        {files && (
          <span class="hint">
            {files.length.toLocaleString()} files ({formatBytes(totalShown)}) and {folders.length.toLocaleString()} folders loaded{nextToken ? '; more available' : ''}. Sorting applies to the loaded
            rows.
          </span>
        )}
        {nextToken && (
          <button type="button" class="button-secondary" disabled={busy} onClick={() => load(nextToken)}>
            Load more files
          </button>
        )}
        <label class="inline-label">
          Page size{' '}
          <select value={pageSize} onChange={(e) => setPageSize(Number(e.currentTarget.value))}>
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
        </label>
      </div>
      {files && files.length > 0 && <p class="hint">Dates are in your time zone ({Intl.DateTimeFormat().resolvedOptions().timeZone}).</p>}
    </>
  );
}

function sortMark(sort: { key: SortKey; direction: SortDirection }, key: SortKey) {
  if (sort.key !== key) return null;
  return <span aria-hidden="true">{sort.direction === 'asc' ? '▲' : '▼'}</span>;
}
