// The bench's parameters, from the environment. Sizes default to a 1 GiB file (64 parts of 16 MiB, so
// the parallel part transfer is what is timed, not the setup) and 100,000 objects in one endpoint (a
// hundred listing pages of 1,000, as a large customer's folder would have); BENCH_SMOKE=1 cuts
// repetitions and shrinks parts so a tiny file still goes multipart, and never fails on targets (the
// smoke test checks the harness, not the machine).
import { statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_BATCH_PARTS, MiB, S3_MAX_PART_BYTES, S3_MIN_PART_BYTES } from '../contract/limits.js';

export interface BenchParams {
  /** BENCH_FILE_MB: the upload figures' file, in MiB. @default 1024 */
  fileMiB: number;
  /** BENCH_OBJECTS: objects in the listed endpoint. @default 100000 */
  objects: number;
  /** BENCH_SMOKE=1 */
  smoke: boolean;
  /** BENCH_PART_MB: multipart threshold and smallest part, in MiB; unset = the portal's defaults (smoke: 5). */
  partMiB: number | undefined;
  /** Fresh processes per bundle for the cold-start median. @default 10 (smoke 3) */
  coldRuns: number;
  signing: { batches: number; batchParts: number; singles: number; warmup: number };
  /** BENCH_CONCURRENT_SIGNS: part-sign calls sent at once through the gateway. @default 1000 (smoke 50) */
  concurrentSigns: number;
  /** BENCH_OUT: where the JSON goes. @default bench/results/latest.json */
  out: string;
  /**
   * BENCH_TMPDIR: where the test files and the portal's data (S3 objects) go. @default /dev/shm when
   * it has room (RAM: no disk noise from other work on the machine, and seeding 100,000 objects is 3x
   * faster), else the OS temp folder.
   */
  tmpBase: string;
}

/** S3's smallest part, in the MiB the parameters are given in. */
const S3_MIN_PART_MIB = S3_MIN_PART_BYTES / MiB;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function readParams(env: NodeJS.ProcessEnv = process.env): BenchParams {
  const problems: string[] = [];
  const positive = (name: string, fallback: number | undefined, max: number): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < 1 || value > max) {
      problems.push(`${name} must be a whole number from 1 to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const smoke = env.BENCH_SMOKE === '1' || env.BENCH_SMOKE === 'true';
  const params: BenchParams = {
    fileMiB: positive('BENCH_FILE_MB', 1024, 1024 * 1024)!,
    objects: positive('BENCH_OBJECTS', 100_000, 10_000_000)!,
    smoke,
    // S3's part sizes: 5 MiB to 5 GiB.
    partMiB: positive('BENCH_PART_MB', smoke ? S3_MIN_PART_MIB : undefined, S3_MAX_PART_BYTES / MiB),
    coldRuns: smoke ? 3 : 10,
    signing: smoke ? { batches: 10, batchParts: MAX_BATCH_PARTS, singles: 100, warmup: 3 } : { batches: 100, batchParts: MAX_BATCH_PARTS, singles: 1000, warmup: 20 },
    concurrentSigns: positive('BENCH_CONCURRENT_SIGNS', smoke ? 50 : 1000, 10_000)!,
    out: resolve(env.BENCH_OUT || join(ROOT, 'bench', 'results', 'latest.json')),
    tmpBase: '',
  };
  params.tmpBase = resolve(env.BENCH_TMPDIR || defaultTmpBase(params.fileMiB));
  if (params.partMiB !== undefined && params.partMiB < S3_MIN_PART_MIB) problems.push(`BENCH_PART_MB must be at least ${S3_MIN_PART_MIB} (S3 minimum part size)`);
  if (problems.length) throw new Error(`Invalid bench parameters: ${problems.join('; ')}`);
  return params;
}

const SHM = '/dev/shm';

/** /dev/shm if it can hold both test files, one stored copy and one upload's parts, with 1 GiB to spare. */
function defaultTmpBase(fileMiB: number): string {
  const needed = (fileMiB * 1.25 + fileMiB * 2 + 1024) * MiB;
  try {
    const stats = statfsSync(SHM);
    if (stats.bavail * stats.bsize >= needed) return SHM;
  } catch {
    // no /dev/shm (macOS, some containers)
  }
  return tmpdir();
}
