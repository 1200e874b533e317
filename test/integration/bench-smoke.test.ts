// The benchmark harness on tiny sizes, so `npm test` notices when it rots: `npm run bench` runs in a
// child process (its own local portal, Chromium and bundles), and its JSON must hold every figure of
// the benchmark with numbers. Smoke mode never fails on targets, so a slow or busy machine cannot fail this.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Row {
  figure: string;
  portal: unknown;
  reference: unknown;
  ratio: unknown;
  unit: unknown;
  target: unknown;
  pass: unknown;
}

interface Results {
  machine: { cpus: unknown; memoryBytes: unknown };
  parameters: Record<string, unknown>;
  rows: Row[];
}

/** One pattern per figure row the full bench reports. */
const FIGURES: RegExp[] = [
  /^upload throughput: page via gateway \(a\) vs lib-storage doing the same integrity work \(b\)/,
  /^upload throughput: page \(a\) vs lib-storage with the SDK's default checksums \(b0\)/,
  /^upload throughput: page \(a\) vs lib-storage with the SDK's JavaScript CRC64NVME \(b'\)/,
  /^upload throughput: page in Chromium's default process model/,
  /^upload throughput: page \(a\) vs raw XHR PUTs/,
  /^control plane: API requests per GiB/,
  /^browser CPU: checksum worker per GiB/,
  /^hashing: CRC64NVME in the page's worker \(a\) vs hash-wasm in Node \(b\), 8 MiB/,
  /^hashing: CRC64NVME in the page's worker \(a\) vs @aws-sdk\/crc64-nvme in Node \(b\), 8 MiB/,
  /^hashing: CRC64NVME in the page's worker \(a\) vs the AWS CRT's native CRC64NVME in Node \(b\), 8 MiB/,
  /^cold start: presign-only reference/,
  /^cold start: uploads/,
  /^cold start: admin/,
  /^cold start: web/,
  /^bundle: uploads/,
  /^bundle: admin/,
  /^bundle: web/,
  /^signing: per URL.*p50$/,
  /^signing: per URL.*p99$/,
  /^signing: single-part sign call, p50$/,
  /^signing: single-part sign call, p99$/,
  /^admin listing \(catalog\): by name, page of 1000, 2000 files in one endpoint, p95$/,
  /^admin listing \(catalog\): by size, largest first, page of 1000, 2000 files in one endpoint, p95$/,
  /^admin listing \(catalog\): name prefix "statement-", page of 1000, 2000 files in one endpoint, p95$/,
  /^admin listing \(catalog\): name substring "4242", page of 1000, 2000 files in one endpoint, p95$/,
  /^catalog lag: object created to listed by the admin API \(5 objects\), p95$/,
  /^gateway: 50 concurrent part-sign calls, p50$/,
  /^gateway: 50 concurrent part-sign calls, p99$/,
  /^browser memory: peak JS heap, 32 MiB/,
  /^browser memory: peak JS heap, 8 MiB/,
  /^browser memory: peak heap, 32 vs 8 MiB/,
];

/** Figures with an absolute target or none: nothing of S3's to compare with (a substring search, the catalog's lag). */
const WITHOUT_REFERENCE = new Set([/^admin listing \(catalog\): name substring/.source, /^catalog lag:/.source]);
const withoutReference = (figure: string) => [...WITHOUT_REFERENCE].some((source) => new RegExp(source).test(figure));

const RUN_TIMEOUT_MS = 150_000;
let dir: string;
let run: { code: number | null; stdout: string; stderr: string };
let results: Results;

function runBench(out: string): Promise<typeof run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/main.ts'], {
      env: { ...process.env, BENCH_FILE_MB: '32', BENCH_OBJECTS: '2000', BENCH_SMOKE: '1', BENCH_OUT: out },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
  const out = join(dir, 'results.json');
  run = await runBench(out);
  if (run.code === 0) results = JSON.parse(await readFile(out, 'utf8')) as Results;
}, RUN_TIMEOUT_MS + 10_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run bench (smoke sizes)', () => {
  it('runs to the end without a harness error', () => {
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
  });

  it('prints the Markdown table', () => {
    expect(run.stdout).toMatch(/^\| figure \| this portal \| reference \| ratio \| target \| result \|$/m);
  });

  it('writes the machine and the parameters', () => {
    expect(results.machine.cpus).toBeGreaterThan(0);
    expect(results.machine.memoryBytes).toBeGreaterThan(0);
    expect(results.parameters).toMatchObject({ fileMiB: 32, objects: 2000, smoke: true, concurrentSigns: 50 });
  });

  it('answers every one of a burst of part-sign calls through the gateway', () => {
    const row = results.rows.find((r) => r.figure.startsWith('gateway: 50 concurrent part-sign calls, p50'));
    expect(row).toMatchObject({ pass: true, details: { count: 50, errors: 0 } });
  });

  it.each(FIGURES.map((pattern) => [pattern.source, pattern] as const))('reports %s with numbers', (_name, pattern) => {
    const matching = results.rows.filter((row) => pattern.test(row.figure));
    expect(matching, results.rows.map((r) => r.figure).join('\n')).toHaveLength(1);
    const row = matching[0]!;
    expect(Number.isFinite(row.portal), row.figure).toBe(true);
    if (withoutReference(row.figure)) {
      expect(row.reference, row.figure).toBeNull();
      expect(row.ratio, row.figure).toBeNull();
    } else {
      expect(Number.isFinite(row.reference), row.figure).toBe(true);
      expect(Number.isFinite(row.ratio), row.figure).toBe(true);
    }
    expect(typeof row.target).toBe('string');
    expect(typeof row.pass).toBe('boolean');
  });

  /** The throughput row and the per-round figures it keeps in `details`. */
  const throughputRow = () => {
    const row = results.rows.find((r) => r.figure.startsWith('upload throughput: page via gateway'));
    const details = (row as { details?: { browserCpuSeconds?: unknown; browserMs?: number[]; browserHarnessMs?: number[] } } | undefined)?.details;
    return { row, details };
  };

  it("measures Chromium's CPU during each page upload (Linux /proc)", () => {
    const { details } = throughputRow();
    expect(details?.browserCpuSeconds).toEqual([expect.any(Number)]);
    expect((details!.browserCpuSeconds as number[])[0]).toBeGreaterThan(0);
  });

  it("measures the checksum worker's CPU during each page upload, and how long it hashed before the click", () => {
    const { details } = throughputRow();
    const hashing = details as { hashingCpuSeconds?: number[]; hashHeadStartMs?: number[] } | undefined;
    expect(hashing?.hashingCpuSeconds).toEqual([expect.any(Number)]);
    expect(hashing!.hashingCpuSeconds![0]).toBeGreaterThan(0);
    expect(hashing?.hashHeadStartMs).toEqual([expect.any(Number)]);
    expect(hashing!.hashHeadStartMs![0]).toBeGreaterThanOrEqual(0);
  });

  it("times the page in the page, inside the time Node sees around Playwright's click", () => {
    const { row: throughput, details } = throughputRow();
    expect(details?.browserMs).toEqual([expect.any(Number)]);
    expect(details?.browserHarnessMs).toEqual([expect.any(Number)]);
    expect(details!.browserMs![0]).toBeGreaterThan(0);
    expect(details!.browserMs![0]).toBeLessThan(details!.browserHarnessMs![0]!);
    expect(throughput!.portal).toBeCloseTo(32 * 1024 * 1024 / 1e6 / (details!.browserMs![0]! / 1000), 0);
  });

  it('pages through every seeded file of the catalog, in each listing, and finds what the searches should', () => {
    const details = (pattern: RegExp) => (results.rows.find((r) => pattern.test(r.figure)) as { details?: { files?: number; pages?: number; reference?: { pageMs?: number[] } | null } } | undefined)?.details;
    const byName = details(/^admin listing \(catalog\): by name/);
    const bySize = details(/^admin listing \(catalog\): by size/);
    expect(byName).toMatchObject({ files: 2000, pages: expect.any(Number) });
    expect(bySize).toMatchObject({ files: 2000 });
    // One reference page after each admin page.
    expect(byName!.reference!.pageMs).toHaveLength(byName!.pages!);
    // A tenth of the seeded names start with the stem; 4242 appears in none of 0000000-0001999.
    expect(details(/name prefix/)).toMatchObject({ files: 200 });
    expect(details(/name substring/)).toMatchObject({ files: 0, scanned: 2000 });
  });

  it('measures the catalog lag of every sample object', () => {
    const lag = (results.rows.find((r) => r.figure.startsWith('catalog lag:')) as { details?: { lagMs?: number[] } } | undefined)?.details;
    expect(lag?.lagMs).toHaveLength(5);
    for (const ms of lag!.lagMs!) expect(ms).toBeGreaterThan(0);
  });

  it('reports no other figures', () => {
    expect(results.rows).toHaveLength(FIGURES.length);
  });
});
