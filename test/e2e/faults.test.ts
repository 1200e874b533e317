// Faults in the middle of a large upload, in the browser, loopback only: the network cut for 30 s
// (Playwright's offline mode), the local S3 server stopped and started again, and part URLs that
// expire before their parts are sent (this file's portal signs them for 60 s, the shortest the
// uploads Lambda allows). Each time the upload completes without anyone touching the page, the stored
// bytes are the file's (SHA-256), and no part S3 had accepted is sent again. The page also shows,
// while the upload is unfinished, until when it could be resumed.
import { describe, expect, it } from 'vitest';
import { PartPutRecorder, type PartPut } from '../support/browser.js';
import { eventually, recordMultipartCalls, startUpload, startUploadHoldingParts, uploadsDone } from './page-steps.js';
import { E2eSuite } from './suite.js';

const PART_URL_SECONDS = 60;
const OFFLINE_MS = 30_000;
const S3_DOWN_MS = 5_000;

const suite = E2eSuite.forThisFile({ presignExpiresSeconds: PART_URL_SECONDS });

/** Part numbers sent again after S3 had accepted them (a 200 earlier in the order of sending). */
function resentAfterStored(puts: readonly PartPut[]): number[] {
  const stored = new Set<number>();
  const resent: number[] = [];
  for (const put of puts) {
    if (stored.has(put.partNumber)) resent.push(put.partNumber);
    if (put.status === 200) stored.add(put.partNumber);
  }
  return resent;
}

describe('faults in the middle of a 200 MiB upload', () => {
  it('survives a 30 s network cut: completes without user action, same bytes, no stored part sent twice, and shows the resume deadline', async () => {
    const { page, context, keyOf } = await suite.customerPageForTest();
    const file = await suite.alias('large', 'offline-200MiB.bin');
    const parts = new PartPutRecorder(page, suite.portal.s3Url);
    const { upload } = await startUpload(page, file.path);
    await eventually(() => parts.stored(upload.uploadId).length).toBeGreaterThan(0);

    await context.setOffline(true);
    const cutAt = parts.puts.length;
    // While the upload is unfinished the page says until when it can be resumed: its start plus 7 days.
    const deadline = page.getByTestId('resume-deadlines');
    await expect.poll(() => deadline.textContent()).toContain(`${file.name} can be resumed until`);
    expect(await deadline.textContent()).toMatch(/\(in 7 days\)/);
    await page.waitForTimeout(OFFLINE_MS);
    const storedWhileOffline = parts.stored(upload.uploadId);
    // The cut really cut: parts already on their way when it came may still finish (Chromium's offline
    // mode fails new requests only; here they did within 2 s), but no part sent after it has reached S3.
    const storedOfSentSinceCut = parts.puts.slice(cutAt).filter((p) => p.status === 200).map((p) => p.partNumber);
    await context.setOffline(false);

    await uploadsDone(page, '1 of 1 file', 240_000);
    expect(storedOfSentSinceCut).toEqual([]);
    expect(storedWhileOffline.length).toBeLessThan(13); // the cut really fell in the middle of the 13 parts
    expect(parts.puts.length).toBeGreaterThan(cutAt); // and parts went out after it
    expect(parts.stored(upload.uploadId)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(resentAfterStored(parts.puts)).toEqual([]);
    await suite.expectStored(file, keyOf(file.name));
    // Gone once the upload is complete.
    await expect.poll(() => deadline.count()).toBe(0);
  });

  it('survives the S3 server stopping and starting again: completes, same bytes, no stored part sent twice', async () => {
    const power = suite.portal.s3Power;
    if (!power) throw new Error('the e2e portal runs the local S3 server');
    const { page, keyOf } = await suite.customerPageForTest();
    const file = await suite.alias('large', 's3-restart-200MiB.bin');
    const parts = new PartPutRecorder(page, suite.portal.s3Url);
    const { upload } = await startUpload(page, file.path);
    await eventually(() => parts.stored(upload.uploadId).length).toBeGreaterThan(0);

    await power.stop();
    const storedBeforeStop = parts.stored(upload.uploadId);
    await page.waitForTimeout(S3_DOWN_MS);
    await power.start();

    await uploadsDone(page, '1 of 1 file', 240_000);
    expect(storedBeforeStop.length).toBeLessThan(13);
    expect(parts.stored(upload.uploadId)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    expect(resentAfterStored(parts.puts)).toEqual([]);
    await suite.expectStored(file, keyOf(file.name));
  });

  it('re-signs part URLs that expired before their parts went out, and completes', async () => {
    const { page, keyOf } = await suite.customerPageForTest();
    const file = await suite.alias('medium', 'expired-urls-120MiB.bin');
    const calls = recordMultipartCalls(page, suite.portal.url);
    const { parts, gate, upload } = await startUploadHoldingParts(page, suite.portal.s3Url, [4, 5, 6, 7, 8], file.path);
    await eventually(() => parts.stored(upload.uploadId)).toEqual([1, 2, 3]);
    await eventually(() => gate.heldCount).toBeGreaterThan(0);
    // Every URL the page holds is now older than its lifetime.
    await page.waitForTimeout((PART_URL_SECONDS + 5) * 1000);
    const signCallsBefore = calls.filter((c) => c === 'POST /api/s3/multipart/:id/batch').length;
    await gate.uninstall();

    await uploadsDone(page, '1 of 1 file', 240_000);
    // The held parts reached S3 with dead signatures (403), were signed again and stored.
    expect(parts.puts.filter((p) => p.status === 403).length).toBeGreaterThan(0);
    expect(calls.filter((c) => c === 'POST /api/s3/multipart/:id/batch').length).toBeGreaterThan(signCallsBefore);
    expect(parts.stored(upload.uploadId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(resentAfterStored(parts.puts)).toEqual([]);
    await suite.expectStored(file, keyOf(file.name));
  });
});
