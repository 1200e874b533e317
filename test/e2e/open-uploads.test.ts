// More files than a login may have open uploads: this file's portal allows 2 open multipart uploads
// per login and cuts files in S3's smallest parts. Four multipart files dropped at once all arrive
// without anyone touching the page: the creates beyond the cap are refused (429
// too_many_open_uploads), those files say they wait for another upload to finish, and start by
// themselves when one does. An upload the page lost track of (its saved state wiped, as signing out
// does) is listed with a Cancel button, which frees its place.
import { join } from 'node:path';
import type { Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PartGate, writeTestFile } from '../support/browser.js';
import { SMALL_PARTS } from '../support/local-portal.js';
import { incompleteUploads, MiB } from '../support/portal-api.js';
import { addFiles, eventually, openCustomerPage, startUploadHoldingParts, uploadsDone } from './page-steps.js';
import { E2eSuite } from './suite.js';

const MAX_OPEN_UPLOADS = 2;

const suite = E2eSuite.forThisFile({ ...SMALL_PARTS, maxOpenUploadsPerLogin: MAX_OPEN_UPLOADS });

/** A multipart test file of three parts (5 + 5 + 2 MiB and a few bytes). */
async function testFile(name: string, extra = 0) {
  const path = join(suite.workDir, name);
  const size = 12 * MiB + extra;
  return { name, path, size, sha256: await writeTestFile(path, size) };
}

describe('more files than the login may have open uploads', () => {
  it('sends 4 multipart files under a cap of 2: the last two wait, say so, and start by themselves', async () => {
    const { page, keyOf } = await suite.customerPageForTest();
    const files = await Promise.all(Array.from({ length: 4 }, (_, i) => testFile(`waiting-${i + 1}.bin`, 100 * i)));
    const creates: number[] = [];
    page.on('response', (r: Response) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/s3/multipart') creates.push(r.status());
    });
    // The first uploads stay open until their last parts are let go.
    const gate = await new PartGate(page, suite.portal.s3Url, [3]).install();
    await addFiles(page, files.map((f) => f.path));
    await page.getByRole('button', { name: 'Upload 4 files' }).click();

    const waiting = page.getByTestId('waiting-uploads');
    await eventually(() => waiting.locator('li').count()).toBe(2);
    expect(await waiting.textContent()).toContain('waiting for another upload to finish');
    expect(creates.filter((status) => status === 200)).toHaveLength(MAX_OPEN_UPLOADS);
    expect(creates.filter((status) => status === 429).length).toBeGreaterThanOrEqual(2);
    await eventually(() => gate.heldCount).toBe(MAX_OPEN_UPLOADS);

    await gate.uninstall();
    await uploadsDone(page, '4 of 4 files', 120_000);
    expect(await page.getByTestId('total-progress').textContent()).not.toMatch(/failed|waiting/);
    await eventually(() => waiting.count()).toBe(0);
    expect(creates.filter((status) => status === 200)).toHaveLength(4);
    for (const file of files) await suite.expectStored(file, keyOf(file.name));
  });

  it('lists an upload the page lost track of (its saved state wiped, as signing out does), and cancelling it aborts it on S3', async () => {
    const { page, prefix } = await suite.customerPageForTest();
    const file = await testFile('forgotten.bin', 7);
    const { gate, upload } = await startUploadHoldingParts(page, suite.portal.s3Url, [3], file.path);
    await eventually(() => gate.heldCount).toBe(1);
    // The page forgets it: its storage wiped and the page opened again.
    await openCustomerPage(page, suite.portal.url);
    await gate.uninstall();
    const unfinished = page.getByTestId('unfinished-uploads');
    await eventually(() => unfinished.textContent()).toContain('forgotten.bin, started');
    expect((await incompleteUploads(suite.s3, suite.portal.bucket, prefix)).map((u) => u.uploadId)).toEqual([upload.uploadId]);

    await unfinished.getByRole('button', { name: 'Cancel forgotten.bin' }).click();
    await eventually(() => unfinished.count()).toBe(0);
    expect(await incompleteUploads(suite.s3, suite.portal.bucket, prefix)).toEqual([]);
  });
});
