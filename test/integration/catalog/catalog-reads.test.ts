// A folder's sub-folders read from dynalite, which pages like DynamoDB: a LastEvaluatedKey whenever
// Limit is reached, even when nothing follows. `truncated` must still say only whether more exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderItem } from '../../../lambdas/shared/catalog/catalog-items.js';
import { listSubfolders } from '../../../lambdas/shared/catalog/catalog-reads.js';
import { startCatalogWorld, type CatalogWorld } from './fixture.js';

let w: CatalogWorld;
beforeAll(async () => {
  w = await startCatalogWorld();
});
afterAll(async () => w?.close());

const withFolders = async (endpoint: string, count: number) => {
  const folders = Array.from({ length: count }, (_, i) => `f${i}/`);
  await w.db.batchPut(folders.map((folder) => folderItem(endpoint, folder, new Date())));
  return folders;
};

describe('listSubfolders', () => {
  it.each([
    [2, { folders: ['f0/', 'f1/'], truncated: false }],
    [3, { folders: ['f0/', 'f1/', 'f2/'], truncated: false }],
    [4, { folders: ['f0/', 'f1/', 'f2/'], truncated: true }],
    [9, { folders: ['f0/', 'f1/', 'f2/'], truncated: true }],
  ])('with a maximum of 3 and %i sub-folders answers %j', async (count, expected) => {
    await withFolders(`reads-${count}`, count);
    expect(await listSubfolders(w.db, `reads-${count}`, '', 3)).toEqual(expected);
  });

  it('reads the first 1,000 by default and says there are more', async () => {
    const folders = await withFolders('reads-many', 1001);
    const { folders: listed, truncated } = await listSubfolders(w.db, 'reads-many', '');
    expect(truncated).toBe(true);
    expect(listed).toEqual([...folders].sort().slice(0, 1000));
  });
});
