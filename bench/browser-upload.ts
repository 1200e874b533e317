// Figures 1, 2, 7 and 8 from the browser's side: the customer page in headless Chromium sends one file
// through the local gateway, as a customer would (file chosen in Uppy's Dashboard, Upload clicked).
// Measured: the time from the click to the portal's answer to the last control-plane call (complete,
// or the S3 PUT for a small file), every /api/* request the upload causes (until the page's list
// refresh after it), the page's JS heap every 200 ms (CDP Performance.getMetrics, JSHeapUsedSize), and
// the CPU of Chromium and of its checksum worker thread.
//
// The page hashes a file from the moment it is chosen, so the file is chosen only once the page has
// settled (heap baseline taken) and Upload is clicked right after: the hashing's head start is the
// harness's own latency between the two (reported), not seconds of an idle page.
//
// The time is read in the page, on the page's clock: from the click event on the Upload button to
// the end of that last response (Resource Timing). Timed from Node around Playwright's click, it
// would also hold Playwright's actionability checks and its protocol round trips, 50-250 ms of the
// harness on this machine, as lib-storage's time would hold its process start if it were timed from
// the spawn; both are left out, and the time seen from Node is returned next to it.
import type { Browser, CDPSession, Request, Response } from 'playwright-core';
import type { UploadSettings } from '../contract/api/uploads.js';

export interface ApiRequest {
  /** ms since the click. */
  atMs: number;
  method: string;
  /** Path without the query. */
  path: string;
}

export interface BrowserUploadResult {
  /** In the page: from the click event to the end of the last control-plane response. */
  ms: number;
  /** From Node: from just before Playwright's click to Playwright's report of that response. */
  harnessMs: number;
  multipart: boolean;
  /** The object's key, from the portal's answer. */
  key: string;
  /** /api/* requests from the click until the page is idle again after the upload (its list refresh included). */
  apiRequests: ApiRequest[];
  /** /api/* requests while the page loaded (/api/me, /api/files...). */
  pageLoadApiRequests: ApiRequest[];
  /** PUT/POST requests to S3 (parts, or the one form POST); more than the parts means retries. */
  s3Writes: number;
  heap: { baselineBytes: number; peakBytes: number; samples: number };
  /** CPU seconds the browser's processes used from the click to the answer (input.browserCpuSeconds), or null. */
  browserCpuSeconds: number | null;
  /** CPU seconds of the page's checksum worker from the file being chosen to the answer, or null. */
  hashingCpuSeconds: number | null;
  /** In the page: from the file being chosen (the input's change event) to the click on Upload. */
  hashHeadStartMs: number;
}

export interface BrowserUploadInput {
  browser: Browser;
  portalUrl: string;
  s3Url: string;
  cookies: { name: string; value: string; url: string }[];
  file: string;
  fileBytes: number;
  settings: UploadSettings;
  /** Whole upload, page load included. */
  timeoutMs: number;
  log: (line: string) => void;
  /** Reads the browser's CPU seconds so far (null when the platform cannot tell). */
  browserCpuSeconds?: () => number | null;
  /** Reads the CPU seconds of the page's checksum worker thread so far (null when the platform cannot tell). */
  hashingCpuSeconds?: () => number | null;
}

const FILE_INPUT = 'input.uppy-Dashboard-input[type=file][name="files[]"]:not([webkitdirectory])';
const UPLOAD_BUTTON = 'button.uppy-StatusBar-actionBtn--upload';
const HEAP_INTERVAL_MS = 200;
/** The page's list refresh comes 800 ms after a completed file. */
const POST_UPLOAD_WINDOW_MS = 3000;

/**
 * Records when the Upload button is clicked, as the page sees it (capture phase, before Uppy's own
 * handler), and when the file was chosen (the input's change event, when the page starts hashing it).
 */
const RECORD_UPLOAD_CLICK = `window.addEventListener('click', (event) => {
  if (window.__benchUploadClickAt === undefined && event.target instanceof Element && event.target.closest(${JSON.stringify(UPLOAD_BUTTON)})) {
    window.__benchUploadClickAt = event.timeStamp;
  }
}, true);
window.addEventListener('change', (event) => {
  if (window.__benchFileChosenAt === undefined && event.target instanceof Element && event.target.matches(${JSON.stringify(FILE_INPUT)})) {
    window.__benchFileChosenAt = event.timeStamp;
  }
}, true)`;

/** ms from the recorded click to the end of the response for `url`, once Resource Timing has it. */
const CLICK_TO_RESPONSE_END = (url: string) => `(() => {
  const clickAt = window.__benchUploadClickAt;
  const entry = performance.getEntriesByName(${JSON.stringify(url)}).findLast((e) => e.responseEnd > clickAt);
  return clickAt === undefined || entry === undefined ? null : entry.responseEnd - clickAt;
})()`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function heapUsed(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = metrics.find((m) => m.name === 'JSHeapUsedSize');
  if (!metric) throw new Error('CDP reports no JSHeapUsedSize');
  return metric.value;
}

export async function uploadInBrowser(input: BrowserUploadInput): Promise<BrowserUploadResult> {
  const deadline = Date.now() + input.timeoutMs;
  const remaining = () => Math.max(1, deadline - Date.now());
  const portalOrigin = new URL(input.portalUrl).origin;
  const s3Origin = new URL(input.s3Url).origin;
  const multipart = input.fileBytes >= input.settings.multipartThresholdBytes;
  const context = await input.browser.newContext();
  const problems: string[] = [];
  try {
    await context.addCookies(input.cookies);
    const page = await context.newPage();
    let clickedAt: number | null = null;
    const pageLoadApiRequests: ApiRequest[] = [];
    const apiRequests: ApiRequest[] = [];
    let s3Writes = 0;
    page.on('request', (request: Request) => {
      const url = new URL(request.url());
      if (url.origin === s3Origin && (request.method() === 'PUT' || request.method() === 'POST')) s3Writes++;
      if (url.origin !== portalOrigin || !url.pathname.startsWith('/api/')) return;
      const entry = { atMs: clickedAt === null ? 0 : performance.now() - clickedAt, method: request.method(), path: url.pathname };
      (clickedAt === null ? pageLoadApiRequests : apiRequests).push(entry);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // A small file's key comes with its presigned PUT from /api/s3/params.
    let smallFileKey: Promise<string | undefined> = Promise.resolve(undefined);
    page.on('response', (response: Response) => {
      if (new URL(response.url()).pathname === '/api/s3/params' && response.ok()) {
        smallFileKey = response.json().then((b: { key?: string }) => b.key, () => undefined);
      }
      if (response.status() >= 400) problems.push(`${response.status()} ${response.request().method()} ${response.url().split('?')[0]}`);
    });

    await page.goto(`${input.portalUrl}/`, { timeout: remaining() });
    const fileInput = page.locator(FILE_INPUT);
    await fileInput.waitFor({ state: 'attached', timeout: remaining() });
    // Let the page settle (Golden Retriever, the list of received files) so the baseline is the idle page.
    await page.waitForLoadState('networkidle', { timeout: remaining() });

    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const baselineBytes = await heapUsed(cdp);

    const finished = page.waitForResponse(
      (response) => {
        const url = new URL(response.url());
        const method = response.request().method();
        return multipart
          ? url.origin === portalOrigin && method === 'POST' && /^\/api\/s3\/multipart\/[^/]+\/complete$/.test(url.pathname)
          : url.origin === s3Origin && method === 'PUT' && !url.searchParams.has('partNumber');
      },
      { timeout: remaining() },
    );
    let sampling = true;
    let peakBytes = baselineBytes;
    let samples = 0;
    // Bounded by the deadline as well as by the upload's end.
    const sampler = (async () => {
      while (sampling && Date.now() < deadline) {
        peakBytes = Math.max(peakBytes, await heapUsed(cdp));
        samples++;
        await sleep(HEAP_INTERVAL_MS);
      }
    })();

    await page.evaluate(RECORD_UPLOAD_CLICK);
    const hashingAtChoice = input.hashingCpuSeconds?.() ?? null;
    await fileInput.setInputFiles(input.file, { timeout: remaining() });
    const button = page.locator(UPLOAD_BUTTON);
    const cpuAtClick = input.browserCpuSeconds?.() ?? null;
    clickedAt = performance.now();
    await button.click({ timeout: remaining() });
    let response: Response;
    try {
      response = await finished;
    } finally {
      sampling = false;
      await sampler.catch(() => {});
    }
    const harnessMs = performance.now() - clickedAt;
    const ms = (await (await page.waitForFunction(CLICK_TO_RESPONSE_END(response.url()), undefined, { timeout: remaining() })).jsonValue()) as number;
    const cpuAtAnswer = input.browserCpuSeconds?.() ?? null;
    const browserCpuSeconds = cpuAtClick === null || cpuAtAnswer === null ? null : cpuAtAnswer - cpuAtClick;
    const hashingAtAnswer = input.hashingCpuSeconds?.() ?? null;
    const hashingCpuSeconds = hashingAtChoice === null || hashingAtAnswer === null ? null : hashingAtAnswer - hashingAtChoice;
    const hashHeadStartMs = await page.evaluate<number>('window.__benchUploadClickAt - window.__benchFileChosenAt');
    // The page refreshes its list of received files shortly after each completed file: a request the
    // upload causes, so it is counted too (waiting at most POST_UPLOAD_WINDOW_MS for it).
    await page.waitForRequest((r) => new URL(r.url()).pathname === '/api/files', { timeout: POST_UPLOAD_WINDOW_MS }).catch(() => {});
    await page.waitForLoadState('networkidle', { timeout: POST_UPLOAD_WINDOW_MS }).catch(() => {});
    const body = await response.text();
    if (response.status() >= 300) throw new Error(`the upload's last call answered ${response.status()}: ${body.slice(0, 500)}`);
    const key = multipart ? (JSON.parse(body) as { key?: string }).key : await smallFileKey;
    if (!key) throw new Error('could not tell which key the upload was stored under');
    if (problems.length) input.log(`browser upload: ${problems.length} failed request(s) or page error(s), retried by the page: ${problems.slice(0, 5).join('; ')}`);
    return { ms, harnessMs, multipart, key, apiRequests, pageLoadApiRequests, s3Writes, heap: { baselineBytes, peakBytes, samples }, browserCpuSeconds, hashingCpuSeconds, hashHeadStartMs };
  } catch (error) {
    if (problems.length) (error as Error).message += `\n(page problems: ${problems.slice(0, 10).join('; ')})`;
    throw error;
  } finally {
    await context.close();
  }
}
