// What a resume tells the person when the parts already sent cannot be checked against the file: the
// wording must match what removing the file does (multipart-keeper.ts keeps such an upload).
import { describe, expect, it } from 'vitest';
import type { HashedParts } from '../../../web/src/shared/part-url-batcher.js';
import { assertSameFile } from '../../../web/src/shared/stored-part-check.js';

const parts: HashedParts = {
  totalParts: 2,
  hashedThrough: 2,
  hashed: (n) => ({ partNumber: n, size: 10, checksum: 'AAAAAAAAAAA=' }),
  part: async (n) => ({ partNumber: n, size: 10, checksum: 'AAAAAAAAAAA=' }),
  whenHashedThrough: async () => undefined,
};

describe('a resume whose stored parts carry no checksum', () => {
  it('says nothing already sent is deleted and that removing and adding the file sends it anew, not that removing it is harmless to redo', async () => {
    const refusal = assertSameFile('report.pdf', [{ PartNumber: 1, Size: 10, ETag: '"e1"' }], parts);
    await expect(refusal).rejects.toMatchObject({ name: 'DifferentFileError', partNumber: 1 });
    const message = await refusal.catch((error: Error) => error.message);
    expect(message).toMatch(/Nothing already sent is deleted/);
    expect(message).toMatch(/unfinished uploads/);
    expect(message).not.toMatch(/Remove the file and send it again\.$/);
  });
});
