// Figure 3: bundle size and cold-start proxy. Each Lambda and the two reference handlers are bundled
// as the stack bundles them, then each is imported and asked one realistic first request in a fresh
// `node` process, `runs` times. Runs are interleaved in rounds (reference, presign, web, uploads,
// admin, reference, ...) so that load changes on a shared machine hit every bundle alike; the figures
// are medians, and ratios are medians of the per-round ratios (see figures.ts).
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionName } from '../../infra/function-environment.js';
import { bundleLambda, type BundleInfo } from '../bundle.js';
import { median } from '../stats.js';
import type { LambdaFixture } from './fixture.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const DRIVER = join(HERE, 'driver.mjs');
/** One cold run must not hang the bench (a handler waiting on a socket forever, say). */
const RUN_TIMEOUT_MS = 30_000;

/**
 * `reference`: the uploads Lambda's first request answered the plainest way (same libraries, same
 * network calls), which the targets are relative to. `presign`: the presign-only S3Client + getSignedUrl
 * handler, which makes no network call; reported beside it.
 */
/** The ALB targets (the events Lambda answers no request). */
export type AlbFunctionName = Exclude<FunctionName, 'events' | 'notify'>;
export type ColdName = AlbFunctionName | 'reference' | 'presign';
export const COLD_NAMES: readonly ColdName[] = ['reference', 'presign', 'web', 'uploads', 'admin'];

const REFERENCE_ENTRIES: Record<'reference' | 'presign', string> = {
  reference: join(ROOT, 'bench', 'reference', 'first-request-handler.ts'),
  presign: join(ROOT, 'bench', 'reference', 'presign-handler.ts'),
};
const entryOf = (name: ColdName): string => (name === 'reference' || name === 'presign' ? REFERENCE_ENTRIES[name] : join(ROOT, 'lambdas', name, 'handler.ts'));

export interface ColdRun {
  importMs: number;
  firstAnswerMs: number;
  sinceProcessStartMs: number;
  /** Parent's view: spawn until the result line arrived. */
  wallMs: number;
  status: number | null;
}

export interface ColdResult {
  bundle: BundleInfo;
  /** In round order: `runs[i]` of every bundle ran in the same round. */
  runs: ColdRun[];
  /** Median of import + first answer. */
  medianMs: number;
  medianSinceProcessStartMs: number;
  medianWallMs: number;
}

function runOnce(bundleFile: string, eventFile: string, env: Record<string, string>): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // A clean environment: only what the Lambda gets (plus PATH for nothing in particular).
    const child = spawn(process.execPath, [DRIVER, bundleFile, eventFile], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let wallMs: number | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (wallMs === undefined && out.includes('BENCH_RESULT ') && out.slice(out.indexOf('BENCH_RESULT ')).includes('\n')) wallMs = performance.now() - started;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code !== 0 || !line) {
        reject(new Error(`cold run of ${bundleFile} failed (exit ${code}):\n${err.slice(-2000)}\n${out.slice(-2000)}`));
        return;
      }
      const parsed = JSON.parse(line.slice('BENCH_RESULT '.length)) as Omit<ColdRun, 'wallMs'>;
      resolve({ ...parsed, wallMs: wallMs ?? performance.now() - started });
    });
  });
}

export async function measureColdStarts(fixture: LambdaFixture, runs: number, log: (line: string) => void): Promise<Record<ColdName, ColdResult>> {
  const work = await mkdtemp(join(tmpdir(), 'bench-cold-'));
  try {
    const bundles = {} as Record<ColdName, BundleInfo>;
    const eventFiles = {} as Record<ColdName, string>;
    for (const name of COLD_NAMES) {
      bundles[name] = await bundleLambda(name, entryOf(name), join(work, 'bundles'));
      // As the stack's afterBundling hook does: the built pages go beside the web bundle (its default WEB_ROOT).
      if (name === 'web') await cp(join(ROOT, 'dist', 'web'), join(dirname(bundles[name].file), 'web'), { recursive: true });
      log(`bundled ${name}: ${(bundles[name].bytes / 1024).toFixed(0)} KB (${(bundles[name].gzipBytes / 1024).toFixed(0)} KB gzipped)`);
    }
    const samples = Object.fromEntries(COLD_NAMES.map((n) => [n, [] as ColdRun[]])) as Record<ColdName, ColdRun[]>;
    for (let round = 0; round < runs; round++) {
      for (const name of COLD_NAMES) {
        // Fresh event (and token) per run, written before the clock starts.
        eventFiles[name] = join(work, `${name}-event.json`);
        await writeFile(eventFiles[name], JSON.stringify(fixture.firstEvent(name)));
        const run = await runOnce(bundles[name].file, eventFiles[name], fixture.env(name));
        if (run.status !== 200) throw new Error(`cold run of ${name} answered ${run.status}, expected 200`);
        samples[name].push(run);
      }
    }
    return Object.fromEntries(
      COLD_NAMES.map((name) => {
        const list = samples[name];
        return [
          name,
          {
            bundle: bundles[name],
            runs: list,
            medianMs: median(list.map((r) => r.importMs + r.firstAnswerMs)),
            medianSinceProcessStartMs: median(list.map((r) => r.sinceProcessStartMs)),
            medianWallMs: median(list.map((r) => r.wallMs)),
          },
        ];
      }),
    ) as Record<ColdName, ColdResult>;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
