// Bundles a Lambda entry the way the stack's NodejsFunction does (infra/functions.ts: esbuild, ESM,
// minified, AWS SDK bundled, linked source map without sources), so sizes and cold starts measured
// here are those of the deployed code. The options come from infra/lambda-bundling.ts, the module
// the stack reads them from; `esbuildOptions` is exported so a test can compare it with the stack's.
import { build, type BuildOptions } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LAMBDA_ESBUILD_BANNER, LAMBDA_ESBUILD_TARGET, LAMBDA_MAIN_FIELDS } from '../infra/lambda-bundling.js';

export interface BundleInfo {
  name: string;
  /** The bundle (`index.mjs`, as NodejsFunction names ESM output). */
  file: string;
  bytes: number;
  gzipBytes: number;
  /** The linked `.map` file shipped next to it (not counted in `bytes`). */
  mapBytes: number;
}

/**
 * NodejsFunction's esbuild arguments for our bundling props: `--bundle --target=<target>
 * --platform=node --format=esm --minify --sourcemap --sources-content=false --banner:js=...
 * --main-fields=module,main`, and no `--external` because `externalModules: []`.
 */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: LAMBDA_ESBUILD_TARGET,
    format: 'esm',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: LAMBDA_MAIN_FIELDS,
    banner: { js: LAMBDA_ESBUILD_BANNER },
    logLevel: 'error',
  };
}

export async function bundleLambda(name: string, entry: string, outDir: string): Promise<BundleInfo> {
  const dir = join(outDir, name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.mjs');
  await build(esbuildOptions(entry, file));
  const code = readFileSync(file);
  return { name, file, bytes: code.length, gzipBytes: gzipSync(code).length, mapBytes: statSync(`${file}.map`).size };
}
