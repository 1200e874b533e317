// The upload figures decide pass or fail from the measurements, and a missed target makes the run exit 1.
import { describe, expect, it } from 'vitest';
import type { BrowserUploadResult } from '../../../bench/browser-upload.js';
import { uploadRows, type UploadFigures } from '../../../bench/figures.js';
import { exitCodeFor } from '../../../bench/report.js';
import { MiB } from '../../../contract/limits.js';


function pageRun(apiRequests: number, peakBytes = 5 * MiB): BrowserUploadResult {
  return {
    ms: 8000,
    harnessMs: 8150,
    multipart: true,
    key: 'uploads/bench-upload/f.bin',
    apiRequests: Array.from({ length: apiRequests }, (_, i) => ({ atMs: i, method: 'POST', path: i === 0 ? '/api/s3/multipart' : '/api/s3/multipart/u1/complete' })),
    pageLoadApiRequests: [],
    s3Writes: 64,
    heap: { baselineBytes: 2 * MiB, peakBytes, samples: 40 },
    browserCpuSeconds: 6,
    hashingCpuSeconds: 2.6,
    hashHeadStartMs: 120,
  };
}

/** 1 GiB in 64 parts; lib-storage doing the same work takes 7 s a round, with the SDK's defaults 5.6 s, the page `pageMs[i]`. */
function figures(pageMs: number[], apiRequests = 3): UploadFigures {
  return {
    fileBytes: 1024 * MiB,
    partSize: 16 * MiB,
    parts: 64,
    concurrency: 6,
    browser: pageRun(apiRequests),
    browserMs: pageMs,
    browserHarnessMs: pageMs.map((ms) => ms + 150),
    browserCpuSeconds: pageMs.map(() => 6),
    hashingCpuSeconds: pageMs.map(() => 2.6),
    hashHeadStartMs: pageMs.map(() => 120),
    defaultModel: { ms: 12_000, browserCpuSeconds: 9 },
    sdkSameWorkMs: pageMs.map(() => 7000),
    sdkMs: pageMs.map(() => 5600),
    sdkCrc64Ms: 9000,
    rawBrowserMs: 7500,
    quarter: { fileBytes: 256 * MiB, partSize: 16 * MiB, browser: pageRun(apiRequests, 4 * MiB) },
  };
}

const row = (rows: ReturnType<typeof uploadRows>, start: string) => rows.find((r) => r.figure.startsWith(start))!;

describe('uploadRows', () => {
  it('passes throughput at a/b 0.875 against lib-storage doing the same integrity work and fails it at 0.7, from the median of the rounds', () => {
    const fast = row(uploadRows(figures([8000, 8000, 20_000, 8000, 8000])), 'upload throughput: page via gateway');
    expect(fast).toMatchObject({ ratio: 0.875, pass: true });
    const slow = row(uploadRows(figures([10_000, 10_000, 10_000, 5000, 10_000])), 'upload throughput: page via gateway');
    expect(slow).toMatchObject({ ratio: 0.7, pass: false });
    expect(slow.note).toContain("Playwright's click added 150 ms more");
    // Against lib-storage with the SDK's defaults (no CRC64NVME work): reported, never a failure.
    expect(row(uploadRows(figures([8000, 8000, 8000])), "upload throughput: page (a) vs lib-storage with the SDK's default checksums")).toMatchObject({ ratio: 0.7, target: 'report', pass: true });
  });

  it('passes the control plane at 6 requests per GiB (checksummed parts are signed in batches as they are hashed) and fails it at 7', () => {
    expect(row(uploadRows(figures([8000], 6)), 'control plane')).toMatchObject({ portal: 6, pass: true });
    expect(row(uploadRows(figures([8000], 7)), 'control plane')).toMatchObject({ portal: 7, pass: false });
  });

  it("reports lib-storage with CRC64NVME and the checksum worker's CPU per GiB next to Chromium's", () => {
    const rows = uploadRows(figures([8000, 8000, 8000]));
    expect(row(rows, "upload throughput: page (a) vs lib-storage with the SDK's JavaScript CRC64NVME (b')")).toMatchObject({ ratio: 1.125, target: 'report', pass: true });
    expect(row(rows, 'browser CPU: checksum worker per GiB')).toMatchObject({ portal: 2.6, reference: 6, ratio: 0.433, pass: true });
  });
});

describe('exitCodeFor', () => {
  const rows = (slowPage: boolean) => uploadRows(figures(slowPage ? [10_000] : [8000]));

  it('is 1 when a target is missed and 0 when all are met', () => {
    expect(exitCodeFor(rows(true), false)).toBe(1);
    expect(exitCodeFor(rows(false), false)).toBe(0);
  });

  it('is 0 for a smoke run, whatever the figures', () => {
    expect(exitCodeFor(rows(true), true)).toBe(0);
  });
});
