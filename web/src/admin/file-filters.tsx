// The file browser's search and filters: name (start or anywhere), upload days, page size, and on an
// endpoint whether to show one folder or all of them. Applied on submit, so typing reads nothing.
import { useState } from 'preact/hooks';
import { ADMIN_FILES_PAGE_SIZES, MAX_FILE_SEARCH_CHARS } from '../../../contract/limits.js';
import type { FileFilters } from './file-sort.js';
import { SCAN_STATES } from '../../../contract/malware-scan.js';
import { SCAN_STATE_LABELS } from './scan-state.js';

export interface FilterBarProps {
  filters: FileFilters;
  pageSize: number;
  onApply: (filters: FileFilters) => void;
  onPageSize: (size: number) => void;
  /** The "all folders" switch of an endpoint's browser; absent on the recent arrivals page. */
  allFolders?: { value: boolean; onChange: (value: boolean) => void };
}

export function FilterBar({ filters, pageSize, onApply, onPageSize, allFolders }: FilterBarProps) {
  const [draft, setDraft] = useState<FileFilters>(filters);
  const set = (change: Partial<FileFilters>) => setDraft((current) => ({ ...current, ...change }));
  const submit = (event: Event) => {
    event.preventDefault();
    onApply(draft);
  };
  return (
    <form class="card filters" role="search" aria-label="Search files" onSubmit={submit}>
      <div class="field">
        <label for="file-search">Name</label>
        <input id="file-search" type="search" maxLength={MAX_FILE_SEARCH_CHARS} value={draft.search} onInput={(e) => set({ search: e.currentTarget.value })} />
      </div>
      <div class="field">
        <label for="file-match">Match</label>
        <select id="file-match" value={draft.match} onChange={(e) => set({ match: e.currentTarget.value === 'contains' ? 'contains' : 'prefix' })}>
          <option value="prefix">starts with</option>
          <option value="contains">contains</option>
        </select>
      </div>
      <div class="field">
        <label for="file-from">Uploaded from</label>
        <input id="file-from" type="date" value={draft.fromDay} onInput={(e) => set({ fromDay: e.currentTarget.value })} />
      </div>
      <div class="field">
        <label for="file-to">to</label>
        <input id="file-to" type="date" value={draft.toDay} onInput={(e) => set({ toDay: e.currentTarget.value })} />
      </div>
      <div class="field">
        <label for="file-scan">Malware scan</label>
        <select id="file-scan" value={draft.scan ?? ''} onChange={(e) => set({ scan: e.currentTarget.value })}>
          <option value="">any</option>
          {SCAN_STATES.map((state) => (
            <option key={state} value={state}>
              {SCAN_STATE_LABELS[state]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="button">
        Search
      </button>
      <button
        type="button"
        class="button-secondary"
        onClick={() => {
          setDraft({ search: '', match: 'prefix', fromDay: '', toDay: '', scan: '' });
          onApply({ search: '', match: 'prefix', fromDay: '', toDay: '', scan: '' });
        }}
      >
        Clear
      </button>
      {allFolders && (
        <label class="inline-label">
          <input type="checkbox" checked={allFolders.value} onChange={(e) => allFolders.onChange(e.currentTarget.checked)} /> All folders
        </label>
      )}
      <label class="inline-label">
        Page size{' '}
        <select value={pageSize} onChange={(e) => onPageSize(Number(e.currentTarget.value))}>
          {ADMIN_FILES_PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
