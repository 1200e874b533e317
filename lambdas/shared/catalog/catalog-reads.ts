// Small reads of the catalog: a folder's sub-folders, an endpoint's usage.
import { CATALOG_ATTRIBUTES as A } from '../../../contract/catalog-table.js';
import type { CatalogDb } from './catalog-db.js';
import { FOLDER_SK_PREFIX, readFolder, readUsage, usageKey, type Usage } from './catalog-items.js';
import { folderDir } from './catalog-path.js';

/** A folder listing shows at most this many sub-folders (one query page of folder items). */
export const MAX_LISTED_FOLDERS = 1000;

/** The sub-folders of `folder` ('' = the endpoint's root), relative to the endpoint, in key order. */
export async function listSubfolders(db: CatalogDb, endpoint: string, folder: string): Promise<string[]> {
  const folders: string[] = [];
  let startKey;
  do {
    const page = await db.query({
      KeyConditionExpression: '#pk = :dir AND begins_with(#sk, :folder)',
      ExpressionAttributeNames: { '#pk': A.pk, '#sk': A.sk },
      ExpressionAttributeValues: { ':dir': { S: folderDir(endpoint, folder) }, ':folder': { S: FOLDER_SK_PREFIX } },
      Limit: MAX_LISTED_FOLDERS - folders.length,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    });
    for (const item of page.items) {
      const path = readFolder(item);
      if (path) folders.push(path);
    }
    startKey = page.lastKey;
  } while (startKey && folders.length < MAX_LISTED_FOLDERS);
  return folders;
}

export async function readEndpointUsage(db: CatalogDb, endpoint: string): Promise<Usage | null> {
  return readUsage(await db.get(usageKey(endpoint), false));
}
