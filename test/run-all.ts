// `npm test`: the type check (a type error stops the run before any suite starts), lint, the built
// pages and Chromium, every vitest project once, and a last plain "N passed, N failed, N skipped" line.
//
// On two cores the work runs as two chains, so that neither core idles while the other waits:
//   A: type check -> Chromium and the pages -> the integration tests (one thread: the local portal), live;
//   B: lint -> the unit and stack tests -> the browser fault tests (mostly waiting: a 30 s network cut,
//      part URLs left to expire), their output printed after the integration tests';
// then the other browser tests alone (Chromium and the portal take both cores, and they time things).
// A lint failure fails the run at the end, with every test result beside it.
// Arguments (`npm test -- <files>`) run the type check and lint, then one plain vitest over the files.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { CHROMIUM_HOWTO, findChromium } from './support/chromium.js';

interface Finished {
  status: number;
  output: string;
}

/**
 * The background commands still running. Each runs in its own process group (npx, vitest and its
 * workers), so that one exit of this script, whatever the cause, stops all of them.
 */
const background = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of background) {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(1));

/** Runs a command in the background; its output is kept, to be printed whole when it ends. */
function runQuietly(command: string, args: string[]): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    background.add(child);
    child.on('exit', () => background.delete(child));
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error) => resolve({ status: 1, output: error.message }));
    child.on('close', (code) => resolve({ status: code ?? 1, output: Buffer.concat(chunks).toString() }));
  });
}

function runLive(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function ensureChromium(): Promise<void> {
  if (findChromium()) return;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('Chromium is missing: installing Debian\'s chromium package...');
    if ((await runLive('apt-get', ['update', '-qq'])) === 0 && (await runLive('apt-get', ['install', '-y', '-qq', 'chromium'])) === 0 && findChromium()) return;
  }
  console.error(CHROMIUM_HOWTO);
  process.exit(1);
}

const vitest = (report: string, args: string[]) => ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args];
/** The browser tests that spend most of their time waiting, run in chain B. */
const WAITING_BROWSER_TESTS = 'test/e2e/faults.test.ts';

function fail(what: string, output: string): never {
  if (output.trim()) console.log(output);
  console.error(`\n${what} failed: fix it before the tests run (npm run ${what}).`);
  process.exit(1);
}

async function pagesAndChromium(): Promise<void> {
  await ensureChromium();
  if ((await runLive('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'])) !== 0) process.exit(1);
}

let statuses: number[];
let reports: string[];
const passedArgs = process.argv.slice(2);
// A report left by an earlier run must not be counted for a run that wrote none.
const freshReports = (paths: string[]) => {
  mkdirSync('test-results', { recursive: true });
  for (const path of paths) rmSync(path, { force: true });
  return paths;
};
if (passedArgs.length) {
  console.log('npm run typecheck and npm run lint, side by side...');
  const [typecheck, lint] = await Promise.all([runQuietly('npm', ['run', '--silent', 'typecheck']), runQuietly('npm', ['run', '--silent', 'lint'])]);
  if (typecheck.status !== 0) fail('typecheck', typecheck.output);
  if (lint.status !== 0) fail('lint', lint.output);
  await pagesAndChromium();
  reports = freshReports(['test-results/vitest.json']);
  statuses = [await runLive('npx', vitest(reports[0]!, passedArgs))];
} else {
  reports = freshReports(['test-results/vitest-unit-infra.json', 'test-results/vitest-integration.json', 'test-results/vitest-e2e-faults.json', 'test-results/vitest-e2e.json']);
  console.log('npm run typecheck, and beside it npm run lint, then the unit, stack and browser fault tests (printed after the integration tests)...');
  const lintStarted = runQuietly('npm', ['run', '--silent', 'lint']);
  const typecheck = await runQuietly('npm', ['run', '--silent', 'typecheck']);
  if (typecheck.status !== 0) fail('typecheck', typecheck.output);
  const ready = pagesAndChromium();
  const chainB = (async () => {
    const lint = await lintStarted;
    const unitAndInfra = await runQuietly('npx', vitest(reports[0]!, ['--project', 'unit', '--project', 'infra']));
    await ready;
    const faults = await runQuietly('npx', vitest(reports[2]!, ['--project', 'e2e', WAITING_BROWSER_TESTS]));
    return { lint, unitAndInfra, faults };
  })();
  await ready;
  const integration = await runLive('npx', vitest(reports[1]!, ['--project', 'integration']));
  const b = await chainB;
  console.log(b.unitAndInfra.output);
  console.log(b.faults.output);
  const others = await runLive('npx', vitest(reports[3]!, ['--project', 'e2e', '--exclude', WAITING_BROWSER_TESTS]));
  if (b.lint.output.trim()) console.log(b.lint.output);
  if (b.lint.status !== 0) console.error('\nlint failed (npm run lint): the run fails whatever the tests say.');
  statuses = [b.lint.status, b.unitAndInfra.status, integration, b.faults.status, others];
}

let passed = 0;
let failed = 0;
let skipped = 0;
let total = 0;
for (const report of reports) {
  if (!existsSync(report)) continue;
  const summary = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTotalTests: number };
  passed += summary.numPassedTests;
  failed += summary.numFailedTests;
  skipped += summary.numPendingTests;
  total += summary.numTotalTests;
}
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (total === 0 || reports.some((report) => !existsSync(report))) process.exit(1);
process.exit(statuses.find((status) => status !== 0) ?? 0);
