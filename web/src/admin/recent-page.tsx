// Recent arrivals: the newest files of every endpoint first, from the catalog's `recent` index, with
// the same search and page sizes as an endpoint's browser.
import { useState } from 'preact/hooks';
import { ADMIN_FILES_DEFAULT_PAGE_SIZE } from '../../../contract/limits.js';
import { ErrorAlert } from '../shared/error-alert.js';
import { FilterBar } from './file-filters.js';
import { listingQuery, NO_FILTERS, type FileFilters } from './file-sort.js';
import { FileTable } from './file-table.js';
import { useFileListing } from './use-file-listing.js';

const NEWEST_FIRST = { key: 'time', order: 'desc' } as const;

export function RecentPage() {
  const [filters, setFilters] = useState<FileFilters>(NO_FILTERS);
  const [pageSize, setPageSize] = useState(ADMIN_FILES_DEFAULT_PAGE_SIZE);
  const listing = useFileListing(listingQuery({ scope: 'all', sort: NEWEST_FIRST, filters, pageSize }));
  const { files } = listing;
  return (
    <>
      <div class="section-head">
        <h1 tabIndex={-1}>Recent files</h1>
        <div class="actions">
          <button type="button" class="button-secondary" onClick={listing.reload} disabled={listing.busy}>
            Refresh
          </button>
        </div>
      </div>
      <p class="hint">Every endpoint's files, newest first.</p>
      <FilterBar filters={filters} pageSize={pageSize} onApply={setFilters} onPageSize={setPageSize} />
      <ErrorAlert message={listing.error} />
      {files === null && !listing.error && <p>Loading…</p>}
      {files && files.length === 0 && <p class="empty">No files.</p>}
      {files && files.length > 0 && <FileTable files={files} sort={NEWEST_FIRST} showEndpoint showFolder onDeleted={listing.forget} caption="Files of every endpoint, newest first" />}
      <div class="actions paging">
        {listing.nextToken && (
          <button type="button" class="button-secondary" disabled={listing.busy} onClick={listing.loadMore}>
            Load more files
          </button>
        )}
      </div>
    </>
  );
}
