// infra/web-pages.ts: the page build the web Lambda's bundling runs; and, on tiny fixture sites, the 1 MB
// check that build keeps wherever it writes (web/build/alb-ready-output.ts). No page build here:
// the bundled stack test builds the real pages, once.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_BASE64_RAW_BYTES } from '../../contract/response-limit.js';
import { WEB_BUNDLE_DIR, WEB_VITE_CONFIG, buildPagesCommand, viteCli, webPagesBundling } from '../../infra/web-pages.js';
import { albReadyOutput } from '../../web/build/alb-ready-output.js';
import { REPO_ROOT } from './cdk-json.js';

const temp: string[] = [];
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

/** A one-page site; `staticFiles` are copied as-is into the output (Vite's publicDir). */
function fixtureSite(staticFiles: Record<string, Buffer | string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'portal-pages-fixture-'));
  temp.push(root);
  writeFileSync(path.join(root, 'index.html'), `<!doctype html><title>fixture</title><p>${'fixture '.repeat(100)}</p>\n`);
  mkdirSync(path.join(root, 'static'));
  for (const [name, body] of Object.entries(staticFiles)) writeFileSync(path.join(root, 'static', name), body);
  return root;
}

/** Builds a fixture site the way the synth builds the pages: into a folder outside the site (the bundle). */
const buildFixture = (root: string, outDir: string) =>
  build({ root, configFile: false, logLevel: 'silent', publicDir: 'static', build: { outDir, emptyOutDir: true }, plugins: [albReadyOutput()] });

describe('the pages build the web bundling runs', () => {
  it('runs the project\'s own Vite with web/vite.config.ts, writing into the bundle\'s web/ folder', () => {
    const vite = viteCli(REPO_ROOT);
    expect(vite).toMatch(/[\\/]vite[\\/]bin[\\/]vite\.js$/);
    expect(existsSync(vite)).toBe(true);
    const command = buildPagesCommand(vite, '/project', '/bundle/out');
    const args = [process.execPath, vite, 'build', '--config', path.join('/project', WEB_VITE_CONFIG), '--outDir', path.join('/bundle/out', WEB_BUNDLE_DIR), '--logLevel', 'warn'];
    expect(command).toBe(args.map((arg) => JSON.stringify(arg)).join(' '));
  });

  it('runs after esbuild, in the web bundling, as a production build whatever NODE_ENV the synth has', () => {
    const { environment, commandHooks } = webPagesBundling(REPO_ROOT);
    expect(environment).toEqual({ NODE_ENV: 'production' });
    expect(commandHooks.beforeBundling('/project', '/bundle/out')).toEqual([]);
    expect(commandHooks.afterBundling('/project', '/bundle/out')).toEqual([buildPagesCommand(viteCli(REPO_ROOT), '/project', '/bundle/out')]);
  });

  it('precompresses the folder it was pointed at (not dist/web)', async () => {
    const root = fixtureSite({ 'app.css': `.a{color:red}${' '.repeat(4000)}` });
    const out = `${root}-out`;
    temp.push(out);
    await buildFixture(root, out);
    expect(existsSync(path.join(out, 'index.html'))).toBe(true);
    expect(existsSync(path.join(out, 'app.css.br'))).toBe(true);
  });

  it('fails, naming the file, when a file would not fit in the ALB\'s 1 MB response', async () => {
    const root = fixtureSite({ 'too-big.bin': Buffer.alloc(MAX_BASE64_RAW_BYTES + 3, 1) });
    const out = `${root}-out`;
    temp.push(out);
    await expect(buildFixture(root, out)).rejects.toThrow(/exceed the ALB's 1 MB Lambda response limit once encoded: too-big\.bin \(\d+ bytes\)/);
  });
});
