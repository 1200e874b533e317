// End-to-end integrity in the browser: every part and every file the page sends carries a CRC64NVME
// computed from the file on disk, which the local S3 server checks as S3 does. A part altered on the
// way is refused (BadDigest) and sent again from the file; a resume after a reload refuses a different
// file with the same name and size, and continues with the right one; the receipt's checksum is the
// file's and the one S3 keeps; a small file goes up as a presigned PUT bound to its checksum; and in
// Chromium an upload resumes after a reload from the file's kept handle, without choosing it again,
// while a file chosen with "browse folders" has no handle and is chosen again.
// The checksums the tests compare with are the AWS SDK's (@aws-sdk/crc64-nvme), computed in Node.
import { link, mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { FileReceipt } from '../../contract/checksums.js';
import { fileCrc64Nvme, PartPutRecorder, readFileRange, recordSmallFilePuts } from '../support/browser.js';
import { incompleteUploads, MiB, storedChecksum, storedParts } from '../support/portal-api.js';
import { addFiles, apiResponse, card, chooseAgainAndResume, eventually, sendFiles, startUploadToReload, uploadsDone } from './page-steps.js';
import { E2eSuite } from './suite.js';

const suite = E2eSuite.forThisFile();

/** The portal's part size for these files (16 MiB: the API's minimum part size). */
const PART_SIZE = 16 * MiB;

/** Downloads a file's receipt from a section of the page (Receipts, Received files), in JSON or CSV, and returns its text. */
async function downloadReceipt(page: Page, section: Locator, name: string, format: 'JSON' | 'CSV'): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: `Download receipt for ${name} (${format})` }).click()]);
  const saved = join(suite.workDir, `receipt-${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(saved);
  return readFile(saved, 'utf8');
}

describe('end-to-end integrity in the browser', () => {
  it('refuses a part altered on the way (BadDigest), sends it again from the file, and stores exactly the file', async () => {
    const { page, keyOf } = await suite.customerPageForTest();
    const file = await suite.alias('medium', 'altered-on-the-way.bin');
    const parts = new PartPutRecorder(page, suite.portal.s3Url);
    // Part 3 as a flaky proxy would pass it on: the right length, one byte flipped.
    const altered = await readFileRange(file.path, 2 * PART_SIZE, PART_SIZE);
    altered[12_345]! ^= 0xff;
    const s3Answers: { status: number; body: string }[] = [];
    const isPart3 = (url: URL) => url.origin === new URL(suite.portal.s3Url).origin && url.searchParams.get('partNumber') === '3';
    await page.route(isPart3, async (route) => {
      if (route.request().method() !== 'PUT' || s3Answers.length > 0) return route.continue();
      const response = await route.fetch({ postData: altered });
      s3Answers.push({ status: response.status(), body: await response.text() });
      await route.fulfill({ response });
    });
    await sendFiles(page, [file.path]);
    await page.unroute(isPart3);

    expect(s3Answers).toEqual([{ status: 400, body: expect.stringContaining('<Code>BadDigest</Code>') }]);
    // Sent again from the file, and accepted; every other part once.
    expect(parts.puts.filter((p) => p.partNumber === 3).map((p) => p.status)).toEqual([400, 200]);
    expect(parts.stored()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await suite.expectStored(file, keyOf(file.name));
    expect(await storedChecksum(suite.s3, suite.portal.bucket, keyOf(file.name))).toEqual({ crc64nvme: await fileCrc64Nvme(file.path), type: 'FULL_OBJECT' });
  });

  it('refuses a different file with the same name and size on resume after a reload, then resumes with the right one', async () => {
    const { page } = await suite.customerPageForTest();
    const file = await suite.alias('medium', 'the-right-one.bin');
    const lookalike = await suite.lookalike(file);
    expect(lookalike.sha256).not.toBe(file.sha256);
    const { parts, gate, upload } = await startUploadToReload(page, suite.portal.s3Url, file.path);
    const before = await storedParts(suite.s3, suite.portal.bucket, upload);
    expect(before.map((p) => p.PartNumber)).toEqual([1, 2, 3]);

    await page.reload();
    await gate.uninstall(); // the held requests died with the old document
    await page.getByText('We could not fully recover 1 file').waitFor();
    const sentBeforeReload = parts.puts.length;
    // The wrong file: same name, size and date, other bytes. Refused before a byte of it is sent.
    await chooseAgainAndResume(page, lookalike.path);
    const refusal = page.getByTestId('different-file');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(`"${file.name}" is not the file this upload began with: part 1 already sent differs`);
    expect(parts.puts.length).toBe(sentBeforeReload);
    expect(await storedParts(suite.s3, suite.portal.bucket, upload)).toEqual(before); // untouched
    expect(await incompleteUploads(suite.s3, suite.portal.bucket, upload.key)).toEqual([upload]);

    // The right one: the upload continues by itself, with the parts S3 did not hold.
    await addFiles(page, [file.path]);
    await uploadsDone(page, '1 of 1 file');
    await refusal.waitFor({ state: 'detached' });
    const afterReload = parts.puts.slice(sentBeforeReload);
    expect(afterReload.every((p) => p.uploadId === upload.uploadId)).toBe(true);
    expect([...new Set(afterReload.map((p) => p.partNumber))].sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8]);
    await suite.expectStored(file, upload.key);
  });

  it("gives a receipt whose checksum is the file's, computed independently, and the one S3 keeps; after a reload, Received files shows it and gives the same receipt", async () => {
    const { page, keyOf, endpoint } = await suite.customerPageForTest();
    const file = await suite.alias('medium', 'with-receipt.bin');
    const completed = apiResponse(page, 'POST', /^\/api\/s3\/multipart\/[^/]+\/complete$/);
    await sendFiles(page, [file.path]);
    const expected = await fileCrc64Nvme(file.path);
    const hex = Buffer.from(expected, 'base64').toString('hex');
    // The completion sent the page's checksum of the whole file, and S3 verified and kept it.
    expect(((await completed).request().postDataJSON() as { checksum: string }).checksum).toBe(expected);
    expect(await storedChecksum(suite.s3, suite.portal.bucket, keyOf(file.name))).toEqual({ crc64nvme: expected, type: 'FULL_OBJECT' });

    const receipts = card(page, 'Receipts');
    const row = receipts.getByRole('row', { name: new RegExp(file.name) });
    expect(await row.getByTestId('receipt-checksum').textContent()).toBe(expected);
    const receipt = JSON.parse(await downloadReceipt(page, receipts, file.name, 'JSON')) as FileReceipt;
    expect(receipt).toEqual({
      displayName: file.name,
      key: keyOf(file.name),
      endpoint,
      size: file.size,
      algorithm: 'CRC64NVME',
      checksumBase64: expected,
      checksumHex: hex,
      completedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const csv = (await downloadReceipt(page, receipts, file.name, 'CSV')).trim().split('\r\n');
    expect(csv[0]).toBe('displayName,key,endpoint,size,algorithm,checksumBase64,checksumHex,completedAt');
    expect(csv[1]).toBe([file.name, keyOf(file.name), endpoint, file.size, 'CRC64NVME', expected, hex, receipt.completedAt].join(','));

    // After a reload the list of received files, read from the catalog, shows the checksum S3 keeps and
    // gives the same receipt, stamped with the time the file arrived (not kept in this browser): the S3
    // event's, to the second; S3's LastModified of a multipart object is when its upload began.
    await page.reload();
    const received = card(page, 'Received files');
    const listed = received.getByRole('row').filter({ has: page.getByRole('cell', { name: file.name, exact: true }) });
    // The catalog lists a file a moment after S3 stored it: until then, Refresh.
    await eventually(async () => (await listed.count()) || (await received.getByRole('button', { name: 'Refresh' }).click(), 0)).toBe(1);
    expect(await listed.getByTestId('received-checksum').textContent()).toBe(expected);
    const fromList = JSON.parse(await downloadReceipt(page, received, file.name, 'JSON')) as FileReceipt;
    expect(fromList).toEqual({ ...receipt, completedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) });
    const stored = await suite.s3.send(new HeadObjectCommand({ Bucket: suite.portal.bucket, Key: keyOf(file.name) }));
    expect(Date.parse(fromList.completedAt)).toBeGreaterThanOrEqual(stored.LastModified!.getTime());
    expect(Math.abs(Date.parse(fromList.completedAt) - Date.parse(receipt.completedAt))).toBeLessThan(2_000);
  });

  it('sends a small file as a presigned PUT bound to its checksum, which stores it once and never again', async () => {
    const { page, keyOf } = await suite.customerPageForTest();
    const file = await suite.alias('small', 'small-put.pdf');
    const expected = await fileCrc64Nvme(file.path);
    const puts = recordSmallFilePuts(page, suite.portal.s3Url);
    const s3Posts: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().startsWith(suite.portal.s3Url) && s3Posts.push(r.url()));
    const params = apiResponse(page, 'GET', /^\/api\/s3\/params$/);
    await sendFiles(page, [file.path]);

    expect(new URL((await params).url()).searchParams.get('checksum')).toBe(expected);
    expect(s3Posts).toEqual([]);
    expect(puts).toHaveLength(1);
    const put = puts[0]!;
    await expect.poll(() => put.status).toBeDefined(); // the outcome is read after the page saw it
    expect(put).toMatchObject({ status: 200, headers: { 'x-amz-checksum-crc64nvme': expected, 'if-none-match': '*' } });
    const signed = new URL(put.url).searchParams.get('X-Amz-SignedHeaders')!.split(';');
    expect(signed).toEqual(expect.arrayContaining(['content-length', 'if-none-match', 'x-amz-checksum-crc64nvme']));
    expect(new URL(put.url).searchParams.has('x-amz-checksum-crc64nvme')).toBe(false); // a header, not hoisted into the query
    await suite.expectStored(file, keyOf(file.name));
    expect((await storedChecksum(suite.s3, suite.portal.bucket, keyOf(file.name))).crc64nvme).toBe(expected);
    const row = card(page, 'Receipts').getByRole('row', { name: new RegExp(file.name) });
    expect(await row.getByTestId('receipt-checksum').textContent()).toBe(expected);

    // The same URL again, as a replay would send it: refused, the stored file unchanged.
    const sent = Object.fromEntries(Object.entries(put.headers).filter(([name]) => name.startsWith('x-amz-') || name === 'content-type' || name === 'if-none-match'));
    const replay = await fetch(put.url, { method: 'PUT', headers: sent, body: await readFile(file.path) });
    await replay.arrayBuffer();
    expect(replay.status).toBe(412);
    await suite.expectStored(file, keyOf(file.name));
  });

  it('resumes after a reload from the file handle the picker gave, with one click and without choosing the file again (Chromium)', async () => {
    const { page, keyOf } = await suite.customerPageForTest();
    const file = await suite.alias('medium', 'from-a-handle.bin');
    // The file system's picker, stood in for by the origin-private file system: a real
    // FileSystemFileHandle (which IndexedDB can keep), without a native dialog headless Chromium cannot show.
    const chooser = await page.evaluateHandle(() => Object.assign(document.createElement('input'), { type: 'file' }));
    await chooser.asElement().setInputFiles(file.path);
    await page.evaluate(async (input) => {
      const picked = (input).files![0]!;
      const handle = await (await navigator.storage.getDirectory()).getFileHandle(picked.name, { create: true });
      const writable = await handle.createWritable();
      await writable.write(picked);
      await writable.close();
      Object.assign(window, { showOpenFilePicker: async () => [handle] });
    }, chooser);

    const { parts, gate, upload } = await startUploadToReload(page, suite.portal.s3Url, () => page.getByRole('button', { name: 'browse files' }).click());

    await page.reload();
    await gate.uninstall();
    const sentBeforeReload = parts.puts.length;
    await page.getByRole('button', { name: 'Resume 1 upload' }).click();
    await uploadsDone(page, '1 of 1 file');
    expect([...new Set(parts.puts.slice(sentBeforeReload).map((p) => p.partNumber))].sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8]);
    expect(upload.key).toBe(keyOf(basename(file.path)));
    await suite.expectStored(file, upload.key);
    await page.evaluate(async (name) => (await navigator.storage.getDirectory()).removeEntry(name), file.name);
  });

  it('asks after a reload for a file chosen with "browse folders" to be chosen again (no handle), then continues its upload', async () => {
    const { page, prefix } = await suite.customerPageForTest();
    const folder = join(suite.workDir, 'browsed-folder');
    await mkdir(folder, { recursive: true });
    const name = 'in-a-browsed-folder.bin';
    const medium = await suite.testFile('medium');
    await link(medium.path, join(folder, name));
    const file = { ...medium, path: join(folder, name), name };
    const folderInput = page.locator('input.uppy-Dashboard-input[type="file"][webkitdirectory]').first();
    const browseFolder = async () => {
      if ((await folderInput.count()) === 0) await page.getByRole('button', { name: 'Add more files' }).click();
      await folderInput.setInputFiles(folder);
    };

    const { parts, gate, upload } = await startUploadToReload(page, suite.portal.s3Url, browseFolder);
    expect(upload.key).toBe(`${prefix}browsed-folder/${name}`);

    await page.reload();
    await gate.uninstall();
    await page.getByText('We could not fully recover 1 file').waitFor();
    // The page offers no one-click resume for it (the handle test above shows that button within the
    // same time): the file must be chosen again.
    await page.waitForTimeout(2_000);
    expect(await page.getByRole('button', { name: /^Resume \d+ uploads?$/ }).count()).toBe(0);
    const sentBeforeReload = parts.puts.length;

    await browseFolder();
    await page.getByText('We restored all files').waitFor();
    await page.getByRole('button', { name: 'Upload 1 file' }).click();
    await uploadsDone(page, '1 of 1 file');
    const afterReload = parts.puts.slice(sentBeforeReload);
    expect(afterReload.every((p) => p.uploadId === upload.uploadId)).toBe(true);
    expect([...new Set(afterReload.map((p) => p.partNumber))].sort((a, b) => a - b)).toEqual([4, 5, 6, 7, 8]);
    await suite.expectStored(file, upload.key);
  });
});
