// Folder items: one per folder that holds files, in its parent's partition, so a folder listing shows
// its sub-folders without reading their files. A new file makes sure its folders are there; a deleted
// file removes folders it left empty. The removal runs "delete, then look again": a folder item is
// deleted only after its folder was seen empty, and put back if a file arrived meanwhile. Since a new
// file writes its folder items only after itself, and every look is a consistent read of the base
// table, a folder holding a file always ends up with its item, whatever the interleaving.
import { CATALOG_ATTRIBUTES as A } from '../../../contract/catalog-table.js';
import type { CatalogDb } from './catalog-db.js';
import { folderItem, folderKey } from './catalog-items.js';
import { dirFolder, parentOf, type CatalogPath } from './catalog-path.js';

/** Puts the folder items of a file's folders, innermost first (idempotent). */
export async function ensureFolders(db: CatalogDb, path: Pick<CatalogPath, 'endpoint' | 'folders'>, now: Date): Promise<void> {
  for (const folder of [...path.folders].reverse()) await db.put(folderItem(path.endpoint, folder, now));
}

/** True when the folder holds no file and no sub-folder (tombstones do not count). */
export async function isFolderEmpty(db: CatalogDb, dir: string): Promise<boolean> {
  let startKey;
  do {
    const page = await db.query({
      KeyConditionExpression: '#pk = :dir',
      FilterExpression: '#kind <> :deleted',
      ExpressionAttributeNames: { '#pk': A.pk, '#kind': A.kind },
      ExpressionAttributeValues: { ':dir': { S: dir }, ':deleted': { S: 'deleted' } },
      ConsistentRead: true,
      Limit: 100,
      ...(startKey ? { ExclusiveStartKey: startKey } : {}),
    });
    if (page.items.length > 0) return false;
    startKey = page.lastKey;
  } while (startKey);
  return true;
}

/** After a file left `dir`: removes the folder items of the folders it left empty, innermost first. */
export async function removeEmptyFolders(db: CatalogDb, endpoint: string, dir: string, now: Date): Promise<void> {
  let current = dir;
  for (let place = parentOf(current); place; place = parentOf(current)) {
    if (!(await isFolderEmpty(db, current))) return;
    await db.delete(folderKey(place.parentDir, place.segment));
    if (!(await isFolderEmpty(db, current))) {
      await db.put(folderItem(endpoint, dirFolder(current), now));
      return;
    }
    current = place.parentDir;
  }
}
