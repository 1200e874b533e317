// `npm run bench`: the portal's figures side by side with their references, measured in the same
// run. Progress goes to stderr, the Markdown table to stdout, the JSON to
// bench/results/latest.json (BENCH_OUT). Exit 0 when every target is met, 1 when one is missed (never
// with BENCH_SMOKE=1), 2 when the harness itself failed. Sizes: BENCH_FILE_MB, BENCH_OBJECTS.
//
// Order: the figures that need a quiet process first (cold starts in fresh processes, signing in
// process), then the catalog listing (its own S3 server and dynalite), then the local portal: the
// catalog lag, then the uploads with one Chromium.
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { partCount, planPartSize } from '../contract/part-plan.js';
import { REPO_ROOT } from '../local/portal.js';
import { buildWeb, isWebBuilt } from '../local/web-build.js';
import { CHROMIUM_HOWTO, findChromium } from '../test/support/chromium.js';
import { measureColdStarts } from './cold/cold-start.js';
import { startLambdaFixture } from './cold/fixture.js';
import { measureConcurrentSigning } from './concurrent-signing.js';
import { catalogLagRow, catalogListingRows, coldRows, concurrentSigningRows, hashingRows, signingRows, uploadRows } from './figures.js';
import { hashWorkerPath } from './hashing.js';
import { measureCatalogLag } from './catalog-lag.js';
import { measureCatalogListing, PREFIX_RUNS } from './catalog-listing.js';
import { readParams, type BenchParams } from './params.js';
import { openBenchSession, startBenchPortal, UPLOAD_ENDPOINT } from './portal-session.js';
import { exitCodeFor, toMarkdown, writeJson, type BenchRow } from './report.js';
import { measureSigning } from './signing.js';
import { writeTestFile } from './test-file.js';
import { measureUploads, type UploadPlan } from './upload-figures.js';
import { MiB } from '../contract/limits.js';

const started = performance.now();
const log = (line: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}\n`);

/** The run's temp folder, removed on Ctrl-C too: in /dev/shm it holds gigabytes of RAM. */
let workDir: string | undefined;
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.on(signal, () => {
    if (workDir) rmSync(workDir, { recursive: true, force: true });
    process.exit(code);
  });
}

async function run(params: BenchParams): Promise<BenchRow[]> {
  if (!findChromium()) throw new Error(CHROMIUM_HOWTO);
  const webRoot = join(REPO_ROOT, 'dist', 'web');
  if (!isWebBuilt(webRoot)) {
    log('dist/web is missing: building the pages');
    await buildWeb(REPO_ROOT);
  }
  if (!existsSync(params.tmpBase)) throw new Error(`BENCH_TMPDIR ${params.tmpBase} does not exist`);
  const work = await mkdtemp(join(params.tmpBase, 'bench-'));
  workDir = work;
  try {
    log(`figures 3-4: bundles, ${params.coldRuns} cold starts each, ${params.signing.batches * params.signing.batchParts} signatures`);
    const fixture = await startLambdaFixture();
    let cold;
    let signing;
    const keyTransport = fixture.keyTransport;
    try {
      cold = await measureColdStarts(fixture, params.coldRuns, log);
      log(`cold starts (median ms): ${Object.entries(cold).map(([n, r]) => `${n} ${r.medianMs.toFixed(0)}`).join(', ')}`);
      signing = await measureSigning(fixture, params.signing);
      log(`signing: ${signing.batch.perUrlP50Ms.toFixed(3)} ms per URL (p50), getSignedUrl ${signing.reference.p50Ms.toFixed(3)} ms`);
    } finally {
      await fixture.close();
    }

    log(`figure 5: the admin listing over a catalog of ${params.objects} files`);
    const listing = await measureCatalogListing({ workDir: work, objects: params.objects, substringRuns: params.smoke ? 1 : 3, prefixRuns: params.smoke ? 1 : PREFIX_RUNS, log });
    log(`listing p95 (admin vs ListObjectsV2): by name ${listing.byName.admin.p95Ms.toFixed(0)} vs ${listing.byName.reference!.p95Ms.toFixed(0)} ms, by size ${listing.bySizeDesc.admin.p95Ms.toFixed(0)} vs ${listing.bySizeDesc.reference!.p95Ms.toFixed(0)} ms, name prefix ${listing.namePrefix.admin.p95Ms.toFixed(0)} vs ${listing.namePrefix.reference!.p95Ms.toFixed(0)} ms; substring ${listing.substring.admin.p95Ms.toFixed(0)} ms`);

    const dataDir = join(work, 'portal');
    const big: UploadPlan = { file: join(work, 'upload.bin'), bytes: 0, partSize: 0, parts: 0 };
    const quarterMiB = Math.max(1, Math.round(params.fileMiB / 4));
    const quarter: UploadPlan = { file: join(work, 'upload-quarter.bin'), bytes: 0, partSize: 0, parts: 0 };
    log(`writing the ${params.fileMiB} MiB and ${quarterMiB} MiB test files`);
    big.bytes = await writeTestFile(big.file, params.fileMiB);
    quarter.bytes = await writeTestFile(quarter.file, quarterMiB);

    log('starting the local portal');
    const portal = await startBenchPortal({ dataDir, partMiB: params.partMiB });
    const s3 = new S3Client({
      endpoint: portal.s3Url,
      forcePathStyle: true,
      region: portal.env.AWS_REGION,
      credentials: { accessKeyId: portal.env.AWS_ACCESS_KEY_ID!, secretAccessKey: portal.env.AWS_SECRET_ACCESS_KEY! },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    try {
      const session = await openBenchSession(portal);
      log(`portal ready at ${portal.url}; endpoint ${UPLOAD_ENDPOINT}, customer signed in`);
      const lag = await measureCatalogLag({ portalUrl: portal.url, admin: session.admin, s3, bucket: portal.bucket, samples: params.smoke ? 5 : 40 });
      log(`catalog lag: p50 ${lag.p50Ms.toFixed(0)} ms, p95 ${lag.p95Ms.toFixed(0)} ms over ${lag.samples} objects`);
      const burst = await measureConcurrentSigning(session, params.concurrentSigns);
      log(`sign burst: ${burst.count} at once, ${burst.errors} errors, p50 ${burst.concurrent.p50Ms.toFixed(0)} ms, p99 ${burst.concurrent.p99Ms.toFixed(0)} ms`);

      const settings = session.uploadSettings;
      for (const plan of [big, quarter]) {
        plan.partSize = planPartSize(plan.bytes, { minPartSize: settings.minPartSizeBytes, maxParts: settings.maxParts });
        plan.parts = partCount(plan.bytes, plan.partSize);
      }
      log(`figures 1, 2, 7, 8: uploads (${big.parts} parts of ${big.partSize / MiB} MiB, ${settings.concurrency} in parallel)`);
      const hashing = { workerPath: hashWorkerPath(webRoot), mib: quarterMiB, runs: params.smoke ? 1 : 3 };
      const uploads = await measureUploads(session, s3, { big, quarter, hashing }, settings.concurrency, params.smoke, log);
      const [throughput, sameAlgorithm, defaultModel, browserCeiling, controlPlane, hashingCpu, ...memory] = uploadRows(uploads);
      return [
        throughput!,
        sameAlgorithm!,
        defaultModel!,
        browserCeiling!,
        controlPlane!,
        hashingCpu!,
        ...hashingRows(uploads.hashing),
        ...coldRows(cold, params.coldRuns, keyTransport),
        ...signingRows(signing),
        ...catalogListingRows(listing),
        catalogLagRow(lag),
        ...concurrentSigningRows(burst),
        ...memory,
      ];
    } finally {
      s3.destroy();
      await portal.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const params = readParams();
  log(`parameters: ${params.fileMiB} MiB file, ${params.objects} objects, temp files in ${params.tmpBase}${params.smoke ? ', smoke run' : ''}${params.partMiB ? `, ${params.partMiB} MiB parts` : ''}`);
  const rows = await run(params);
  process.stdout.write(`${toMarkdown(rows)}\n`);
  writeJson(params.out, rows, {
    fileMiB: params.fileMiB,
    objects: params.objects,
    smoke: params.smoke,
    partMiB: params.partMiB ?? null,
    tmpBase: params.tmpBase,
    coldRuns: params.coldRuns,
    signing: params.signing,
    concurrentSigns: params.concurrentSigns,
    durationSeconds: Math.round((performance.now() - started) / 1000),
  });
  const missed = rows.filter((r) => !r.pass);
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s; ${missed.length} target(s) missed; JSON in ${params.out}`);
  return exitCodeFor(rows, params.smoke);
}

// Explicit exit: a keep-alive socket or a child's pipe must not keep a finished run alive.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench: harness error:', error);
    process.exit(2);
  },
);
