// Figures 1, 2, 7 and 8: the same file sent, in rounds, by lib-storage from Node doing the page's integrity
// work (CRC64NVME of every part with hash-wasm, the page's library; the reference), by lib-storage with
// the SDK's default checksums (CRC32 per part, natively), and by the customer page through the gateway;
// then once by lib-storage with the SDK's own JavaScript CRC64NVME, by raw XHR PUTs from the same browser (a
// diagnostic), and a quarter-size file by the page (for the memory figure); then the checksum
// throughput in the page's worker and in Node (hashing.ts). One Chromium with its network service
// in-process (bench-chromium.ts says why); then the page once more in a Chromium with the default
// process model, reported next to it.
// Every stored object is checked (whole size) and then deleted, so a 1 GiB run does not fill the disk.
import { DeleteObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Browser } from 'playwright-core';
import { launchBenchChromium, type ChromiumProcessModel } from './bench-chromium.js';
import { uploadRawInBrowser } from './browser-raw-upload.js';
import { uploadInBrowser, type BrowserUploadResult } from './browser-upload.js';
import type { UploadFigures } from './figures.js';
import { browserCookies, type BenchSession } from './portal-session.js';
import { measureHashing, type HashingResult } from './hashing.js';
import { descendantCpuSeconds, descendantThreadCpuSeconds } from './process-cpu.js';
import { uploadWithSdk } from './sdk-upload.js';
import type { SdkChecksums } from './reference/sdk-upload.js';
import { MiB } from '../contract/limits.js';


/** How the log names each lib-storage checksum setting. */
const SDK_CHECKSUMS_LABEL: Record<SdkChecksums, string> = {
  default: "the SDK's default checksums",
  CRC64NVME: "CRC64NVME, the SDK's JavaScript",
  'CRC64NVME-hash-wasm': 'CRC64NVME, hash-wasm',
};

/** Rounds of the two lib-storage runs then the page for the throughput ratios (smoke: 1). */
export const THROUGHPUT_ROUNDS = 5;

/** Generous upper bound for one upload, so a stuck upload fails the run instead of hanging it. */
const uploadTimeoutMs = (bytes: number) => Math.max(120_000, (bytes / (2 * 1e6)) * 1000);

export interface UploadPlan {
  file: string;
  bytes: number;
  partSize: number;
  parts: number;
}

export interface HashingPlan {
  /** The page's checksum worker as the page loads it (hashing.ts's hashWorkerPath). */
  workerPath: string;
  mib: number;
  runs: number;
}

export async function measureUploads(
  session: BenchSession,
  s3: S3Client,
  plans: { big: UploadPlan; quarter: UploadPlan; hashing: HashingPlan },
  concurrency: number,
  smoke: boolean,
  log: (line: string) => void,
): Promise<UploadFigures & { hashing: HashingResult }> {
  const { big, quarter } = plans;
  const { portal } = session;
  const isChromium = (command: string) => /chrom/i.test(command);
  const browserCpuSeconds = () => descendantCpuSeconds(isChromium);
  // Chromium names a Web Worker's thread "DedicatedWorker"; the page runs one, the checksum worker.
  const hashingCpuSeconds = () => descendantThreadCpuSeconds(isChromium, 'DedicatedWorker');
  const page = async (browser: Browser, plan: UploadPlan, what = 'page upload'): Promise<BrowserUploadResult> => {
    const result = await uploadInBrowser({
      browser,
      portalUrl: portal.url,
      s3Url: portal.s3Url,
      cookies: browserCookies(session),
      file: plan.file,
      fileBytes: plan.bytes,
      settings: session.uploadSettings,
      timeoutMs: uploadTimeoutMs(plan.bytes),
      log,
      browserCpuSeconds,
      hashingCpuSeconds,
    });
    await verifyAndDelete(s3, portal.bucket, result.key, plan.bytes);
    const cpu =
      (result.browserCpuSeconds === null ? '' : `, Chromium CPU ${result.browserCpuSeconds.toFixed(1)} s`) +
      (result.hashingCpuSeconds === null ? '' : ` (checksum worker ${result.hashingCpuSeconds.toFixed(1)} s, from the file chosen ${result.hashHeadStartMs.toFixed(0)} ms before the click)`);
    log(`${what}: ${(plan.bytes / MiB).toFixed(0)} MiB in ${(result.ms / 1000).toFixed(2)} s (${(result.harnessMs / 1000).toFixed(2)} s around Playwright's click), ${result.apiRequests.length} API requests, peak heap ${(result.heap.peakBytes / MiB).toFixed(1)} MiB${cpu}`);
    return result;
  };
  const figures = await withBrowser('network-in-process', async (browser) => {
    const sdk = async (run: number | string, plan: UploadPlan, checksums: SdkChecksums = 'default') => {
      const key = `bench-reference/run-${run}.bin`;
      const result = await uploadWithSdk(
        {
          endpoint: portal.s3Url,
          region: portal.env.AWS_REGION!,
          credentials: { accessKeyId: portal.env.AWS_ACCESS_KEY_ID!, secretAccessKey: portal.env.AWS_SECRET_ACCESS_KEY! },
          bucket: portal.bucket,
          key,
          file: plan.file,
          partSize: plan.partSize,
          queueSize: concurrency,
          checksums,
        },
        uploadTimeoutMs(plan.bytes),
      );
      await verifyAndDelete(s3, portal.bucket, key, plan.bytes);
      log(`lib-storage upload ${run} (${SDK_CHECKSUMS_LABEL[checksums]}): ${(plan.bytes / MiB).toFixed(0)} MiB in ${(result.ms / 1000).toFixed(1)} s`);
      return result.ms;
    };
    const raw = async (plan: UploadPlan) => {
      const result = await uploadRawInBrowser({
        browser,
        portalUrl: portal.url,
        cookies: browserCookies(session),
        s3,
        bucket: portal.bucket,
        file: plan.file,
        fileBytes: plan.bytes,
        partSize: plan.partSize,
        concurrency,
        timeoutMs: uploadTimeoutMs(plan.bytes),
      });
      await verifyAndDelete(s3, portal.bucket, result.key, plan.bytes);
      log(`raw browser upload: ${(plan.bytes / MiB).toFixed(0)} MiB in ${(result.ms / 1000).toFixed(1)} s`);
      return result.ms;
    };
    // Rounds of (reference, page): each ratio compares two runs a few seconds apart, so a load change
    // on a shared machine hits both; the figure is the median of the rounds' ratios.
    // Each round: lib-storage doing the page's integrity work with the page's library (the target's
    // reference), lib-storage with the SDK's defaults (no such work; reported), then the page.
    const sdkSameWorkMs: number[] = [];
    const sdkMs: number[] = [];
    const browserRuns: BrowserUploadResult[] = [];
    for (let round = 1; round <= (smoke ? 1 : THROUGHPUT_ROUNDS); round++) {
      sdkSameWorkMs.push(await sdk(round, big, 'CRC64NVME-hash-wasm'));
      sdkMs.push(await sdk(round, big));
      browserRuns.push(await page(browser, big));
    }
    const sdkCrc64Ms = await sdk('crc64nvme', big, 'CRC64NVME');
    const rawBrowserMs = await raw(big);
    const quarterResult = await page(browser, quarter);
    const hashing = await measureHashing({ browser, portalUrl: portal.url, cookies: browserCookies(session), ...plans.hashing });
    log(`checksums (MiB/s of file, parts and whole): page's worker ${hashing.browserWorker.toFixed(0)}, hash-wasm in Node ${hashing.nodeHashWasm.toFixed(0)}, @aws-sdk/crc64-nvme in Node ${hashing.nodeSdk.toFixed(0)}, the CRT in Node ${hashing.nodeCrt.toFixed(0)}`);
    if (!hashing.agreed) throw new Error("the page's checksum worker and Node disagree on the same bytes");
    return { browserRuns, sdkMs, sdkSameWorkMs, sdkCrc64Ms, rawBrowserMs, quarterResult, hashing };
  });
  const defaultModel = await withBrowser('default', (browser) => page(browser, big, "page upload, Chromium's default process model"));
  return {
    fileBytes: big.bytes,
    partSize: big.partSize,
    parts: big.parts,
    concurrency,
    browser: figures.browserRuns[0]!,
    browserMs: figures.browserRuns.map((r) => r.ms),
    browserHarnessMs: figures.browserRuns.map((r) => r.harnessMs),
    browserCpuSeconds: cpuSeconds(figures.browserRuns),
    hashingCpuSeconds: hashingSeconds(figures.browserRuns),
    hashHeadStartMs: figures.browserRuns.map((r) => r.hashHeadStartMs),
    sdkMs: figures.sdkMs,
    sdkSameWorkMs: figures.sdkSameWorkMs,
    sdkCrc64Ms: figures.sdkCrc64Ms,
    rawBrowserMs: figures.rawBrowserMs,
    defaultModel: { ms: defaultModel.ms, browserCpuSeconds: defaultModel.browserCpuSeconds },
    quarter: { fileBytes: quarter.bytes, partSize: quarter.partSize, browser: figures.quarterResult },
    hashing: figures.hashing,
  };
}

async function withBrowser<T>(model: ChromiumProcessModel, use: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchBenchChromium(model);
  try {
    return await use(browser);
  } finally {
    await browser.close();
  }
}

/** Every run's figure, or null when one of them has none. */
function cpuSeconds(runs: readonly BrowserUploadResult[]): number[] | null {
  const seconds = runs.map((r) => r.browserCpuSeconds);
  return seconds.every((s): s is number => s !== null) ? seconds : null;
}

/** The checksum worker's CPU in every run, or null when one of them has none. */
function hashingSeconds(runs: readonly BrowserUploadResult[]): number[] | null {
  const seconds = runs.map((r) => r.hashingCpuSeconds);
  return seconds.every((s): s is number => s !== null) ? seconds : null;
}

/** The object must be there, whole; then it goes, so a 1 GiB run does not fill the temp folder. */
async function verifyAndDelete(s3: S3Client, bucket: string, key: string, bytes: number): Promise<void> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  if (head.ContentLength !== bytes) throw new Error(`${key} holds ${head.ContentLength} bytes, expected ${bytes}`);
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}
