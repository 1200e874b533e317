// Turns measurements into report rows: each figure next to its reference, the ratio and the target.
// Bundle size and cold start are relative to a reference handler measured in the same run, since
// absolute times on a shared machine drift.
import { MiB, SUBSTRING_SEARCH_MAX_READ, GiB } from '../contract/limits.js';
import type { AlbFunctionName, ColdName, ColdResult, ColdRun } from './cold/cold-start.js';
import type { BrowserUploadResult } from './browser-upload.js';
import type { ConcurrentSigningResult } from './concurrent-signing.js';
import type { HashingResult } from './hashing.js';
import type { LagResult } from './catalog-lag.js';
import type { CatalogListingResult, ListingRun } from './catalog-listing.js';
import type { BenchRow } from './report.js';
import type { SigningResult } from './signing.js';
import { median, medianOfRatios } from './stats.js';

const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const ratio = (a: number, b: number) => (b === 0 ? null : round(a / b, 3));

/**
 * uploads <= 1.1x and <= 700 KB, admin <= 1.3x and <= 800 KB, web <= 0.5x (no SDK), relative to a
 * reference handler (an S3Client + getSignedUrl handler is about 580 KB minified and answers its first
 * request about 145 ms after its process starts on this kind of machine). The cold-start reference answers the uploads Lambda's first request the
 * plainest way (reference/first-request-handler.ts); the sizes stay next to the presign-only S3Client +
 * getSignedUrl handler (reference/presign-handler.ts), whose cold start is reported beside them.
 */
export const COLD_TARGETS: Record<AlbFunctionName, { maxRatio: number; maxKB: number; sizeSource: string }> = {
  uploads: { maxRatio: 1.1, maxKB: 700, sizeSource: 'portal target' },
  admin: { maxRatio: 1.3, maxKB: 800, sizeSource: 'portal target' },
  // A bundle without the SDK: 300 KB is generous for a static-file server.
  web: { maxRatio: 0.5, maxKB: 300, sizeSource: 'portal target' },
};
export const THROUGHPUT_MIN_RATIO = 0.85;
/** Create, the signing batches, complete and the list refresh: every part is checksummed, 1 GiB included. */
export const MAX_REQUESTS_PER_GIB = 6;
/** "Well under 2 ms" per warm sign call: signing must never be what limits a fast link. */
export const SIGN_MAX_MS = 2;
/** Heap may hold the parts in flight plus this much for the page itself. */
export const HEAP_SLACK_BYTES = 64 * MiB;
/** A larger file may raise the peak by at most this factor or this many bytes (GC timing noise). */
export const HEAP_GROWTH_MAX = { factor: 1.5, bytes: 16 * MiB };

const coldMs = (run: ColdRun) => run.importMs + run.firstAnswerMs;

/** A handler's cold runs against the reference's, round by round (see medianOfRatios). */
export function pairedRatio(runs: readonly ColdRun[], referenceRuns: readonly ColdRun[]): number | null {
  const ratio = medianOfRatios(runs.map(coldMs), referenceRuns.map(coldMs));
  return ratio === null ? null : round(ratio, 3);
}

export function coldRows(results: Record<ColdName, ColdResult>, runs: number, keyTransport: 'https' | 'http'): BenchRow[] {
  const ref = results.reference;
  const presign = results.presign;
  const rows: BenchRow[] = [
    {
      figure: `cold start: presign-only reference, no network call (median of ${runs})`,
      portal: round(presign.medianMs, 1),
      reference: round(ref.medianMs, 1),
      unit: 'ms',
      ratio: pairedRatio(presign.runs, ref.runs),
      target: 'report',
      pass: true,
      note: "the presign-only reference (S3Client + getSignedUrl) next to the first-request reference: what the token key fetch and the first S3 call cost",
      details: { runs: presign.runs },
    },
  ];
  for (const name of ['uploads', 'admin', 'web'] as const) {
    const r = results[name];
    const target = COLD_TARGETS[name];
    const coldRatio = pairedRatio(r.runs, ref.runs);
    rows.push({
      figure: `cold start: ${name} (import + first answer, median of ${runs})`,
      portal: round(r.medianMs, 1),
      reference: round(ref.medianMs, 1),
      unit: 'ms',
      ratio: coldRatio,
      target: `≤ ${target.maxRatio}x reference`,
      pass: coldRatio !== null && coldRatio <= target.maxRatio,
      note: `${pairedRatio(r.runs, presign.runs)?.toFixed(2)}x the presign-only reference; from process start ${r.medianSinceProcessStartMs.toFixed(0)} vs ${ref.medianSinceProcessStartMs.toFixed(0)} ms${keyTransport === 'http' ? '; ALB key over http (no openssl)' : ''}`,
      details: { keyTransport, runs: r.runs, referenceRuns: ref.runs, medianWallMs: r.medianWallMs, referenceMedianWallMs: ref.medianWallMs },
    });
    const kb = r.bundle.bytes / 1024;
    rows.push({
      figure: `bundle: ${name} (minified)`,
      portal: round(kb, 1),
      reference: round(presign.bundle.bytes / 1024, 1),
      unit: 'KB',
      ratio: ratio(r.bundle.bytes, presign.bundle.bytes),
      target: `≤ ${target.maxKB} KB`,
      pass: kb <= target.maxKB,
      note: `gzipped ${(r.bundle.gzipBytes / 1024).toFixed(0)} vs ${(presign.bundle.gzipBytes / 1024).toFixed(0)} KB; reference = presign-only handler`,
      details: { bytes: r.bundle.bytes, gzipBytes: r.bundle.gzipBytes, mapBytes: r.bundle.mapBytes, referenceBytes: presign.bundle.bytes, referenceGzipBytes: presign.bundle.gzipBytes },
    });
  }
  return rows;
}

export function signingRows(s: SigningResult): BenchRow[] {
  const row = (figure: string, portal: number, reference: number, target: string, pass: boolean, note?: string): BenchRow => ({
    figure,
    portal: round(portal, 4),
    reference: round(reference, 4),
    unit: 'ms',
    ratio: ratio(portal, reference),
    target,
    pass,
    ...(note ? { note } : {}),
  });
  const batch = `per URL, ${s.urls} URLs in batches of ${s.batchParts}`;
  return [
    { ...row(`signing: ${batch}, p50`, s.batch.perUrlP50Ms, s.reference.p50Ms, `< ${SIGN_MAX_MS} ms`, s.batch.perUrlP50Ms < SIGN_MAX_MS, `batch call p50 ${s.batch.callP50Ms.toFixed(1)} ms; reference = getSignedUrl`), details: { ...s } },
    row(`signing: ${batch}, p99`, s.batch.perUrlP99Ms, s.reference.p99Ms, `< ${SIGN_MAX_MS} ms`, s.batch.perUrlP99Ms < SIGN_MAX_MS, `batch call p99 ${s.batch.callP99Ms.toFixed(1)} ms`),
    row('signing: single-part sign call, p50', s.single.p50Ms, s.reference.p50Ms, `< ${SIGN_MAX_MS} ms`, s.single.p50Ms < SIGN_MAX_MS),
    row('signing: single-part sign call, p99', s.single.p99Ms, s.reference.p99Ms, 'report', true),
  ];
}

/** A burst of part-sign calls through the gateway: every call must succeed; p50 and p99 are reported. */
export function concurrentSigningRows(c: ConcurrentSigningResult): BenchRow[] {
  const row = (p: 'p50' | 'p99'): BenchRow => {
    const portal = p === 'p50' ? c.concurrent.p50Ms : c.concurrent.p99Ms;
    const reference = p === 'p50' ? c.sequential.p50Ms : c.sequential.p99Ms;
    return {
      figure: `gateway: ${c.count} concurrent part-sign calls, ${p}`,
      portal: round(portal, 1),
      reference: round(reference, 1),
      unit: 'ms',
      ratio: ratio(portal, reference),
      target: 'no errors',
      pass: c.errors === 0,
      ...(p === 'p50' ? { note: `${c.errors} errors; all ${c.count} answered in ${c.concurrent.wallMs.toFixed(0)} ms; reference = the same calls one at a time`, details: { ...c } } : {}),
    };
  };
  return [row('p50'), row('p99')];
}

/** The catalog's pages of 1,000: p95 at most this many times a raw ListObjectsV2 page's p95, measured alongside. */
export const LISTING_MAX_RATIO = 2;
/** From an object's creation to its row in the admin listing. */
export const CATALOG_LAG_MAX_MS = 1000;

export function catalogListingRows(l: CatalogListingResult): BenchRow[] {
  const of = `page of ${l.pageSize}, ${l.objects} files in one endpoint`;
  const compared = (figure: string, run: ListingRun, note: string, details?: Record<string, unknown>): BenchRow => {
    const reference = run.reference!;
    const listingRatio = ratio(run.admin.p95Ms, reference.p95Ms);
    return {
      figure: `${figure}, p95`,
      portal: round(run.admin.p95Ms, 1),
      reference: round(reference.p95Ms, 1),
      unit: 'ms',
      ratio: listingRatio,
      target: `≤ ${LISTING_MAX_RATIO}x reference`,
      pass: listingRatio !== null && listingRatio <= LISTING_MAX_RATIO,
      note: `${run.files} files in ${run.pages} pages; p50 ${run.admin.p50Ms.toFixed(1)} vs ${reference.p50Ms.toFixed(1)} ms; ${note}`,
      details: { ...run, ...details },
    };
  };
  return [
    compared(`admin listing (catalog): by name, ${of}`, l.byName, "the console's default order; admin Lambda's app in process on dynalite; reference = raw ListObjectsV2 pages of the endpoint's folder from the local S3 server holding the same files, page by page after each admin page", {
      seedSeconds: l.seedSeconds,
    }),
    compared(`admin listing (catalog): by size, largest first, ${of}`, l.bySizeDesc, 'reference = the same raw ListObjectsV2 pages (S3 cannot sort)'),
    compared(`admin listing (catalog): name prefix "${l.namePrefix.prefix}", ${of}`, l.namePrefix, `${l.namePrefix.runs} runs, percentiles over their ${l.namePrefix.runs * l.namePrefix.pages} pages; reference = ListObjectsV2 of the same key prefix (${l.namePrefix.files} keys)`),
    {
      figure: `admin listing (catalog): name substring "${l.substring.contains}", ${of}, p95`,
      portal: round(l.substring.admin.p95Ms, 1),
      reference: null,
      unit: 'ms',
      ratio: null,
      // S3 has no substring search to compare with.
      target: 'report',
      pass: true,
      note: `${l.substring.files} files found reading ${l.substring.scanned} items in ${l.substring.pages} calls (at most ${SUBSTRING_SEARCH_MAX_READ} read per call), ${l.substring.runs} run(s); p50 ${l.substring.admin.p50Ms.toFixed(1)} ms`,
      details: { ...l.substring },
    },
  ];
}

export function catalogLagRow(lag: LagResult): BenchRow {
  return {
    figure: `catalog lag: object created to listed by the admin API (${lag.samples} objects), p95`,
    portal: round(lag.p95Ms, 1),
    reference: null,
    unit: 'ms',
    ratio: null,
    target: `< ${CATALOG_LAG_MAX_MS} ms`,
    pass: lag.p95Ms < CATALOG_LAG_MAX_MS,
    note: `local portal as npm start runs it (S3 event -> in-process EventBridge stand-in -> events handler -> dynalite), listing polled through the gateway every ${lag.pollMs} ms; p50 ${lag.p50Ms.toFixed(0)} ms, max ${lag.maxMs.toFixed(0)} ms; a first object as warm-up, not counted: ${lag.firstMs} ms`,
    details: { ...lag },
  };
}

export interface UploadFigures {
  fileBytes: number;
  partSize: number;
  parts: number;
  concurrency: number;
  /** The page's first run of the big file (API requests, heap). */
  browser: BrowserUploadResult;
  /** The page's runs of the big file (ms, in the page: click event to the answer), one per round, in Chromium with its network service in-process. */
  browserMs: number[];
  /** The same runs timed from Node around Playwright's click (ms): what the harness adds. */
  browserHarnessMs: number[];
  /** Chromium's CPU seconds during each of those runs; null where /proc is missing. */
  browserCpuSeconds: number[] | null;
  /** The checksum worker's CPU seconds in each of those runs (from the file chosen to the answer); null where /proc is missing. */
  hashingCpuSeconds: number[] | null;
  /** ms the page hashed before the click in each run (the harness's latency between choosing and clicking). */
  hashHeadStartMs: number[];
  /** One page run of the big file in Chromium's default process model. */
  defaultModel: { ms: number; browserCpuSeconds: number | null };
  /** lib-storage runs with the SDK's default checksums (ms), one per round, each shortly before the page's run of that round. */
  sdkMs: number[];
  /** lib-storage runs doing the page's integrity work (CRC64NVME per part with hash-wasm), one per round: the target's reference (ms). */
  sdkSameWorkMs: number[];
  /** One lib-storage run with CRC64NVME computed by the SDK's own JavaScript (ms). */
  sdkCrc64Ms: number;
  /** The diagnostic raw-XHR run from the same page (ms). */
  rawBrowserMs: number;
  quarter: { fileBytes: number; partSize: number; browser: BrowserUploadResult };
}

const mbPerSecond = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);
const mib = (bytes: number) => round(bytes / MiB, 1);

function requestBreakdown(result: BrowserUploadResult): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const r of result.apiRequests) {
    const kind = /\/batch$/.test(r.path)
      ? 'batch'
      : /\/complete$/.test(r.path)
        ? 'complete'
        : r.method === 'POST' && r.path === '/api/s3/multipart'
          ? 'create'
          : /^\/api\/s3\/multipart\/[^/]+\/\d+$/.test(r.path)
            ? 'sign'
            : `${r.method} ${r.path.replace(/\/api\/s3\/multipart\/[^/]+/, '/api/s3/multipart/:id')}`;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return kinds;
}

export function uploadRows(u: UploadFigures): BenchRow[] {
  const a = mbPerSecond(u.fileBytes, median(u.browserMs));
  const b = mbPerSecond(u.fileBytes, median(u.sdkSameWorkMs));
  const bDefault = mbPerSecond(u.fileBytes, median(u.sdkMs));
  const c = mbPerSecond(u.fileBytes, u.rawBrowserMs);
  const bCrc64 = mbPerSecond(u.fileBytes, u.sdkCrc64Ms);
  const d = mbPerSecond(u.fileBytes, u.defaultModel.ms);
  // Speeds a/b of one round = times b/a; the median over rounds, as for cold starts.
  const pairedSpeeds = medianOfRatios(u.sdkSameWorkMs, u.browserMs);
  const throughputRatio = pairedSpeeds === null ? null : round(pairedSpeeds, 3);
  const pairedDefault = medianOfRatios(u.sdkMs, u.browserMs);
  const gib = u.fileBytes / GiB;
  const perGiB = u.browser.apiRequests.length / gib;
  const onePerPart = (u.parts + 2) / gib;
  const heapBound = u.concurrency * u.partSize + HEAP_SLACK_BYTES;
  const quarterBound = u.concurrency * u.quarter.partSize + HEAP_SLACK_BYTES;
  const big = u.browser.heap.peakBytes;
  const small = u.quarter.browser.heap.peakBytes;
  const shape = `${mib(u.fileBytes)} MiB, ${u.parts} parts of ${mib(u.partSize)} MiB, ${u.concurrency} in parallel`;
  const inProcessCpu = u.browserCpuSeconds === null ? null : median(u.browserCpuSeconds) / gib;
  const defaultCpu = u.defaultModel.browserCpuSeconds === null ? null : u.defaultModel.browserCpuSeconds / gib;
  const harnessAdds = median(u.browserHarnessMs.map((ms, i) => ms - u.browserMs[i]!));
  const cpuNote = (seconds: number | null) => (seconds === null ? '' : `; Chromium used ${seconds.toFixed(1)} s of CPU per GiB`);
  const hashingCpu = u.hashingCpuSeconds === null ? null : median(u.hashingCpuSeconds) / gib;
  return [
    {
      figure: `upload throughput: page via gateway (a) vs lib-storage doing the same integrity work (b), ${mib(u.fileBytes)} MiB`,
      portal: round(a, 1),
      reference: round(b, 1),
      unit: 'MB/s',
      ratio: throughputRatio,
      target: `a/b ≥ ${THROUGHPUT_MIN_RATIO}`,
      pass: throughputRatio !== null && throughputRatio >= THROUGHPUT_MIN_RATIO,
      note: `${shape}; the page checksums every part with CRC64NVME (hash-wasm, in a worker) and sends the file's FULL_OBJECT checksum; lib-storage sends every part with its CRC64NVME computed by the same library (plugged into the SDK where the CRT goes), the upload created with CRC64NVME so S3 derives the same full-object checksum; medians of ${u.sdkSameWorkMs.length} rounds (lib-storage, then page), ratio = median of the rounds' ratios; page timed in the page from the click event (Playwright's click added ${harnessAdds.toFixed(0)} ms more; the page hashed from the file being chosen, ${median(u.hashHeadStartMs).toFixed(0)} ms before the click); Chromium's network service in-process${cpuNote(inProcessCpu)}`,
      details: {
        browserMs: u.browserMs,
        browserHarnessMs: u.browserHarnessMs,
        sdkSameWorkMs: u.sdkSameWorkMs,
        browserCpuSeconds: u.browserCpuSeconds,
        hashingCpuSeconds: u.hashingCpuSeconds,
        hashHeadStartMs: u.hashHeadStartMs,
        s3Writes: u.browser.s3Writes,
        multipart: u.browser.multipart,
      },
    },
    {
      figure: `upload throughput: page (a) vs lib-storage with the SDK's default checksums (b0), ${mib(u.fileBytes)} MiB`,
      portal: round(a, 1),
      reference: round(bDefault, 1),
      unit: 'MB/s',
      ratio: pairedDefault === null ? null : round(pairedDefault, 3),
      // The round-1 reference: CRC32 per part computed natively, no full-object checksum. On two shared
      // cores the page's extra integrity work (hashing, the S3 server verifying CRC64NVME) shows here.
      target: 'report',
      pass: true,
      note: `the same rounds; lib-storage left to the SDK's defaults (CRC32 per part, zlib's native CRC; S3 checks CRC32): no CRC64NVME work on either side of it; b/b0 = ${(b / bDefault).toFixed(2)}`,
      details: { sdkMs: u.sdkMs },
    },
    {
      figure: `upload throughput: page (a) vs lib-storage with the SDK's JavaScript CRC64NVME (b'), ${mib(u.fileBytes)} MiB`,
      portal: round(a, 1),
      reference: round(bCrc64, 1),
      unit: 'MB/s',
      ratio: ratio(a, bCrc64),
      // What the same work costs a Node client without the CRT or a faster CRC64NVME than the SDK's own.
      target: 'report',
      pass: true,
      note: `one lib-storage run with ChecksumAlgorithm CRC64NVME and the SDK's own CRC64NVME, against the page's median; b'/b = ${(bCrc64 / b).toFixed(2)}`,
      details: { sdkCrc64Ms: u.sdkCrc64Ms },
    },
    {
      figure: `upload throughput: page in Chromium's default process model (a') vs lib-storage (b), ${mib(u.fileBytes)} MiB`,
      portal: round(d, 1),
      reference: round(b, 1),
      unit: 'MB/s',
      ratio: ratio(d, b),
      // The same page; the browser's bytes cross one more process boundary (bench-chromium.ts).
      target: 'report',
      pass: true,
      note: `one run, against the median of lib-storage doing the same integrity work${cpuNote(defaultCpu)}`,
      details: { ms: u.defaultModel.ms, browserCpuSeconds: u.defaultModel.browserCpuSeconds },
    },
    {
      figure: `upload throughput: page (a) vs raw XHR PUTs from the same browser (c), ${mib(u.fileBytes)} MiB`,
      portal: round(a, 1),
      reference: round(c, 1),
      unit: 'MB/s',
      ratio: ratio(a, c),
      // A diagnostic: splits a/b into the page's own overhead (a/c) and the browser's (c/b).
      target: 'report',
      pass: true,
      note: `c/b = ${(c / b).toFixed(2)}: this browser's ceiling next to lib-storage`,
    },
    {
      figure: 'control plane: API requests per GiB uploaded',
      portal: round(perGiB, 2),
      reference: round(onePerPart, 2),
      unit: 'req/GiB',
      ratio: ratio(perGiB, onePerPart),
      target: `≤ ${MAX_REQUESTS_PER_GIB} per GiB`,
      pass: perGiB <= MAX_REQUESTS_PER_GIB,
      note: `${u.browser.apiRequests.length} requests for ${shape} (${Object.entries(requestBreakdown(u.browser)).map(([k, v]) => `${k} ${v}`).join(', ')}); page load adds ${u.browser.pageLoadApiRequests.length}; reference = one per part + create + complete`,
      details: { apiRequests: u.browser.apiRequests, pageLoadApiRequests: u.browser.pageLoadApiRequests },
    },
    {
      figure: 'browser CPU: checksum worker per GiB uploaded',
      portal: hashingCpu === null ? 0 : round(hashingCpu, 2),
      reference: inProcessCpu === null ? null : round(inProcessCpu, 2),
      unit: 's/GiB',
      ratio: hashingCpu === null || inProcessCpu === null ? null : ratio(hashingCpu, inProcessCpu),
      target: 'report',
      pass: true,
      note:
        hashingCpu === null
          ? 'no /proc: not measured'
          : "the worker thread's CPU (reading the file and hashing each part once; the whole file's checksum combined from the parts'), median of the rounds; reference = all of Chromium's CPU per GiB",
      details: { hashingCpuSeconds: u.hashingCpuSeconds },
    },
    {
      figure: `browser memory: peak JS heap, ${mib(u.fileBytes)} MiB file`,
      portal: mib(big),
      reference: mib(heapBound),
      unit: 'MiB',
      ratio: ratio(big, heapBound),
      target: '≤ parallel parts × part size + 64 MiB',
      pass: big <= heapBound,
      note: `baseline ${mib(u.browser.heap.baselineBytes)} MiB, ${u.browser.heap.samples} samples; the page's heap (the checksum worker reads the file outside it, at most two 16 MiB slices at a time)`,
      details: { ...u.browser.heap },
    },
    {
      figure: `browser memory: peak JS heap, ${mib(u.quarter.fileBytes)} MiB file`,
      portal: mib(small),
      reference: mib(quarterBound),
      unit: 'MiB',
      ratio: ratio(small, quarterBound),
      target: '≤ parallel parts × part size + 64 MiB',
      pass: small <= quarterBound,
      note: `baseline ${mib(u.quarter.browser.heap.baselineBytes)} MiB, ${u.quarter.browser.heap.samples} samples`,
      details: { ...u.quarter.browser.heap, ms: u.quarter.browser.ms },
    },
    {
      figure: `browser memory: peak heap, ${mib(u.fileBytes)} vs ${mib(u.quarter.fileBytes)} MiB file`,
      portal: mib(big),
      reference: mib(small),
      unit: 'MiB',
      ratio: ratio(big, small),
      target: `≤ ${HEAP_GROWTH_MAX.factor}x or +${HEAP_GROWTH_MAX.bytes / MiB} MiB`,
      pass: big <= small * HEAP_GROWTH_MAX.factor || big - small <= HEAP_GROWTH_MAX.bytes,
    },
  ];
}

/** Checksum throughput: the page's worker next to Node with the same library, and with the SDK's CRC64NVME. */
export function hashingRows(h: HashingResult): BenchRow[] {
  const what = `${h.mib} MiB in 16 MiB parts, each part hashed once and the whole file's checksum combined from the parts', median of ${h.runs}`;
  return [
    {
      figure: `hashing: CRC64NVME in the page's worker (a) vs hash-wasm in Node (b), ${h.mib} MiB`,
      portal: round(h.browserWorker, 0),
      reference: round(h.nodeHashWasm, 0),
      unit: 'MiB/s',
      ratio: ratio(h.browserWorker, h.nodeHashWasm),
      target: 'report',
      pass: true,
      note: `${what}; MiB of file per second; same code (hash-job.ts) and library on both sides`,
      details: { ...h },
    },
    {
      figure: `hashing: CRC64NVME in the page's worker (a) vs @aws-sdk/crc64-nvme in Node (b), ${h.mib} MiB`,
      portal: round(h.browserWorker, 0),
      reference: round(h.nodeSdk, 0),
      unit: 'MiB/s',
      ratio: ratio(h.browserWorker, h.nodeSdk),
      target: 'report',
      pass: true,
      note: `${what}; the SDK's own CRC64NVME (JavaScript; the CRT is not loaded)`,
    },
    {
      figure: `hashing: CRC64NVME in the page's worker (a) vs the AWS CRT's native CRC64NVME in Node (b), ${h.mib} MiB`,
      portal: round(h.browserWorker, 0),
      reference: round(h.nodeCrt, 0),
      unit: 'MiB/s',
      ratio: ratio(h.browserWorker, h.nodeCrt),
      target: 'report',
      pass: true,
      note: `${what}; @aws-sdk/crc64-nvme-crt (aws-crt's C library, what the SDK uses in Node when that package is loaded)`,
    },
  ];
}
