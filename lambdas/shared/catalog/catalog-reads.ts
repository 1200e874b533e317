// Small reads of the catalog: a folder's sub-folders, an endpoint's usage.
import { ADMIN_FILES_MAX_FOLDERS } from '../../../contract/api/admin.js';
import { CATALOG_ATTRIBUTES as A } from '../../../contract/catalog-table.js';
import type { CatalogDb } from './catalog-db.js';
import { FOLDER_SK_PREFIX, readFolder, readUsage, usageKey, type Usage } from './catalog-items.js';
import { folderDir } from './catalog-path.js';

export interface Subfolders {
  /** Relative to the endpoint, each ending in '/', in key order. */
  folders: string[];
  /** Whether the folder has more sub-folders than were read. */
  truncated: boolean;
}

/**
 * The first `max` sub-folders of `folder` ('' = the endpoint's root). One item more is read, so that
 * `truncated` says whether more exist (DynamoDB hands out a LastEvaluatedKey whenever Limit is
 * reached, even when nothing follows).
 */
export async function listSubfolders(db: CatalogDb, endpoint: string, folder: string, max = ADMIN_FILES_MAX_FOLDERS): Promise<Subfolders> {
  const folders: string[] = [];
  let startKey;
  do {
    const page = await db.query({
      KeyConditionExpression: '#pk = :dir AND begins_with(#sk, :folder)',
      ExpressionAttributeNames: { '#pk': A.pk, '#sk': A.sk },
      ExpressionAttributeValues: { ':dir': { S: folderDir(endpoint, folder) }, ':folder': { S: FOLDER_SK_PREFIX } },
      Limit: max + 1 - folders.length,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    });
    for (const item of page.items) {
      const path = readFolder(item);
      if (path) folders.push(path);
    }
    startKey = page.lastKey;
  } while (startKey && folders.length <= max);
  return { folders: folders.slice(0, max), truncated: folders.length > max };
}

export async function readEndpointUsage(db: CatalogDb, endpoint: string): Promise<Usage | null> {
  return readUsage(await db.get(usageKey(endpoint), false));
}
