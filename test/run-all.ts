// `npm test`: the type check and lint first (either failing stops the run), then makes sure Chromium
// and the built pages exist, runs every vitest project once and ends with a plain "N passed, N failed, N skipped" line.
//
// On two cores the steps are paired so that neither core idles: the type check beside lint (each one
// thread), the unit and stack tests beside the integration tests (which run the local portal in one
// thread), then the browser tests alone (Chromium and the portal take both cores, and they time things).
// Arguments (`npm test -- <files>`) run one plain vitest over them instead.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { CHROMIUM_HOWTO, findChromium } from './support/chromium.js';

interface Finished {
  status: number;
  output: string;
}

/** Runs a command in the background; its output is kept, to be printed whole when it ends. */
function runQuietly(command: string, args: string[]): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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

// Guardrails first: a type error or a layering violation fails the run before any suite starts.
console.log('npm run typecheck and npm run lint, side by side...');
const guards = await Promise.all(
  (['typecheck', 'lint'] as const).map(async (script) => ({ script, ...(await runQuietly('npm', ['run', '--silent', script])) })),
);
for (const guard of guards) {
  if (guard.output.trim()) console.log(guard.output);
  if (guard.status !== 0) {
    console.error(`\n${guard.script} failed: fix it before the tests run (npm run ${guard.script}).`);
    process.exit(1);
  }
}

await ensureChromium();
if ((await runLive('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'])) !== 0) process.exit(1);

mkdirSync('test-results', { recursive: true });
const vitest = (report: string, args: string[]) => ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args];

let statuses: number[];
let reports: string[];
const passedArgs = process.argv.slice(2);
if (passedArgs.length) {
  reports = ['test-results/vitest.json'];
  statuses = [await runLive('npx', vitest(reports[0]!, passedArgs))];
} else {
  reports = ['test-results/vitest-unit-infra.json', 'test-results/vitest-integration.json', 'test-results/vitest-e2e.json'];
  const [unitAndInfra, integration] = await Promise.all([
    runQuietly('npx', vitest(reports[0]!, ['--project', 'unit', '--project', 'infra'])),
    runLive('npx', vitest(reports[1]!, ['--project', 'integration'])),
  ]);
  console.log(unitAndInfra.output);
  statuses = [unitAndInfra.status, integration, await runLive('npx', vitest(reports[2]!, ['--project', 'e2e']))];
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
