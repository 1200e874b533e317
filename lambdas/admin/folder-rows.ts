// The sub-folders on the first page of a folder listing (admin file browser): the first
// ADMIN_FILES_MAX_FOLDERS by name from the catalog, those whose name matches the listing's search,
// and no more than FOLDERS_BUDGET_BYTES of them, so that the page's files keep the other half of the
// ALB's 1 MB response. Whatever is left out is said (`foldersTruncated`), never dropped silently.
import type { CatalogDb } from '../shared/catalog/catalog-db.js';
import { listSubfolders } from '../shared/catalog/catalog-reads.js';
import type { ListingQuery } from '../shared/catalog/listing-plan.js';
import { searchForm } from '../shared/catalog/sort-keys.js';
import { MAX_JSON_RESPONSE_BYTES, takeWithinBudget } from '../shared/response-budget.js';

/** The part of a listing's response its sub-folders may take (1,000 folder names of 500 bytes fit). */
export const FOLDERS_BUDGET_BYTES = Math.floor(MAX_JSON_RESPONSE_BYTES / 2);

export interface FolderRows {
  folders: string[];
  foldersTruncated: boolean;
}

/** What every page but a folder listing's first answers. */
export const NO_FOLDERS: FolderRows = { folders: [], foldersTruncated: false };

/** The folder's sub-folders for the listing `query` (scope folder), within `budget` bytes of the answer. */
export async function listFolderRows(db: CatalogDb, query: ListingQuery, budget = FOLDERS_BUDGET_BYTES): Promise<FolderRows> {
  if (query.endpoint === null) throw new Error('a folder listing needs its endpoint');
  const { folders, truncated } = await listSubfolders(db, query.endpoint, query.folder);
  const matches = (folder: string) => {
    const name = searchForm(folder.slice(0, -1).split('/').pop()!);
    return (query.namePrefix === null || name.startsWith(query.namePrefix)) && (query.contains === null || name.includes(query.contains));
  };
  const shown = takeWithinBudget(folders.filter(matches), budget);
  return { folders: shown.taken, foldersTruncated: truncated || shown.cut };
}
