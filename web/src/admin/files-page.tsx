// File browser of one endpoint, from the catalog: one folder (with its sub-folders) or all of them,
// sorted by name, upload time or size in either direction, searched by name (start or anywhere) and
// upload days, in pages of 50, 100 or 1,000; download, share, delete, and uploading into the endpoint
// with the customer page's widget (loaded on demand).
import { useState } from 'preact/hooks';
import { ADMIN_FILES_DEFAULT_PAGE_SIZE } from '../../../contract/limits.js';
import { formatBytes } from '../shared/format.js';
import { ErrorAlert } from '../shared/error-alert.js';
import { FilterBar } from './file-filters.js';
import { breadcrumbs, listingQuery, nextSort, NO_FILTERS, truncatedFoldersNote, type FileFilters, type SortState } from './file-sort.js';
import { FileTable } from './file-table.js';
import { Link } from './link.js';
import { hrefFor } from './router.js';
import { UploadIntoEndpoint } from './upload-into-endpoint.js';
import { useFileListing } from './use-file-listing.js';

export function FilesPage({ endpoint, prefix }: { endpoint: string; prefix: string }) {
  const [sort, setSort] = useState<SortState>({ key: 'name', order: 'asc' });
  const [filters, setFilters] = useState<FileFilters>(NO_FILTERS);
  const [pageSize, setPageSize] = useState(ADMIN_FILES_DEFAULT_PAGE_SIZE);
  const [allFolders, setAllFolders] = useState(false);
  const [showUpload, setShowUpload] = useState(false);
  const scope = allFolders ? 'endpoint' : 'folder';
  const listing = useFileListing(listingQuery({ endpoint, prefix, scope, sort, filters, pageSize }));
  const { files, folders, foldersTruncated, nextToken } = listing;
  const totalShown = files?.reduce((sum, f) => sum + f.size, 0) ?? 0;
  const searching = filters.search.trim() !== '' || filters.fromDay !== '' || filters.toDay !== '' || Boolean(filters.scan);

  return (
    <>
      <nav class="breadcrumb" aria-label="Folder path">
        <Link href={hrefFor({ name: 'endpoints' })}>Endpoints</Link> / <Link href={hrefFor({ name: 'endpoint', endpoint })}>{endpoint}</Link> /{' '}
        <Link href={hrefFor({ name: 'files', endpoint, prefix: '' })}>files</Link>
        {!allFolders &&
          breadcrumbs(prefix).map((step) => (
            <span key={step.prefix}>
              {' / '}
              <Link href={hrefFor({ name: 'files', endpoint, prefix: step.prefix })}>{step.label}</Link>
            </span>
          ))}
      </nav>
      <div class="section-head">
        <h1 tabIndex={-1}>
          Files of {endpoint}
          {allFolders ? ' (all folders)' : prefix ? `: ${prefix}` : ''}
        </h1>
        <div class="actions">
          <button type="button" class="button-secondary" onClick={listing.reload} disabled={listing.busy}>
            Refresh
          </button>
          <button type="button" class="button" aria-expanded={showUpload} onClick={() => setShowUpload((v) => !v)}>
            {showUpload ? 'Hide upload' : 'Upload files'}
          </button>
        </div>
      </div>
      {showUpload && <UploadIntoEndpoint endpoint={endpoint} onFileUploaded={listing.reload} />}
      <FilterBar filters={filters} pageSize={pageSize} onApply={setFilters} onPageSize={setPageSize} allFolders={{ value: allFolders, onChange: setAllFolders }} />
      <ErrorAlert message={listing.error} />
      {files === null && !listing.error && <p>Loading…</p>}
      {files && !allFolders && foldersTruncated && (
        <p class="hint" role="note">
          {truncatedFoldersNote(folders.length, filters.search.trim() !== '')}
        </p>
      )}
      {files && files.length === 0 && folders.length === 0 && <p class="empty">{searching ? 'No file matches.' : 'This folder is empty.'}</p>}
      {files && (files.length > 0 || folders.length > 0) && (
        <FileTable
          files={files}
          folders={folders}
          endpoint={endpoint}
          sort={sort}
          onSort={(key) => setSort((current) => nextSort(current, key))}
          showFolder={allFolders}
          onDeleted={listing.forget}
          caption="Folders and files; column headers sort"
        />
      )}
      <div class="actions paging">
        {files && (
          <span class="hint" role="status">
            {files.length.toLocaleString()} files ({formatBytes(totalShown)}){allFolders ? '' : ` and ${folders.length.toLocaleString()} folders`} shown
            {nextToken ? '; more available' : ''}.
            {filters.match === 'contains' && filters.search.trim() && ` Searched ${listing.scanned.toLocaleString()} names in ${Math.round(listing.tookMs).toLocaleString()} ms.`}
          </span>
        )}
        {nextToken && (
          <button type="button" class="button-secondary" disabled={listing.busy} onClick={listing.loadMore}>
            Load more files
          </button>
        )}
      </div>
      {files && files.length > 0 && <p class="hint">Dates are in your time zone ({Intl.DateTimeFormat().resolvedOptions().timeZone}); the date filter takes whole days in UTC.</p>}
    </>
  );
}
