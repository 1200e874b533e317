// `npm test`: the type check and lint first (either failing stops the run), then makes sure Chromium
// and the built pages exist, runs every vitest project once and ends with a plain "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { CHROMIUM_HOWTO, findChromium } from './support/chromium.js';

function run(command: string, args: string[]): number {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  return result.status ?? 1;
}

function ensureChromium(): void {
  if (findChromium()) return;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('Chromium is missing: installing Debian\'s chromium package...');
    if (run('apt-get', ['update', '-qq']) === 0 && run('apt-get', ['install', '-y', '-qq', 'chromium']) === 0 && findChromium()) return;
  }
  console.error(CHROMIUM_HOWTO);
  process.exit(1);
}

// Guardrails first: a type error or a layering violation fails the run before any suite starts.
for (const [name, script] of [['type check', 'typecheck'], ['lint', 'lint']] as const) {
  console.log(`npm run ${script} (${name})...`);
  if (run('npm', ['run', '--silent', script]) !== 0) {
    console.error(`\n${name} failed: fix it before the tests run (npm run ${script}).`);
    process.exit(1);
  }
}

ensureChromium();
if (run('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn']) !== 0) process.exit(1);

mkdirSync('test-results', { recursive: true });
const report = 'test-results/vitest.json';
const status = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);
if (existsSync(report)) {
  const summary = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTotalTests: number };
  console.log(`\ntests: ${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${summary.numPendingTests} skipped`);
  if (summary.numTotalTests === 0) process.exit(1);
}
process.exit(status);
