// The customer page and admin console are built during synthesis, inside the web Lambda's asset
// bundling, so `cdk synth` and `cdk deploy` work on a fresh clone with no separate page build.
//
// Why a bundling hook rather than a Vite build in bin/portal.ts before the stack is built:
// - CDK alone decides when an asset is bundled. Commands that bundle nothing (`cdk destroy`, `cdk ls`,
//   the tests' unbundled synths) skip the page build with no second copy of that decision.
// - Vite writes straight into the bundle (`--outDir <bundle>/web`): no dist/web that could be stale
//   or missing, no temp folder to clean up, and a synth never rewrites the dist/web `npm start` serves.
// - NodejsFunction hashes the bundle's output, so a changed page changes the web Lambda's code and
//   an unchanged one does not (the build's output is byte-for-byte reproducible).
// - Vite runs in its own process with NODE_ENV=production, whatever the synthesizing process has
//   (vitest sets NODE_ENV=test, with which Vite makes a larger, non-production build).
// - The build keeps its 1 MB check (web/build/alb-ready-output.ts, on the resolved output folder): a
//   file that would not fit in an ALB response makes Vite print which file and exit 1, which fails the
//   bundling and so the synth.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';

/** Where the web Lambda finds the built pages inside its bundle (the web handler's default WEB_ROOT). */
export const WEB_BUNDLE_DIR = 'web';

/** The Vite config of the pages, relative to the project root. */
export const WEB_VITE_CONFIG = path.join('web', 'vite.config.ts');

/** The project's own Vite command-line script (its package's `bin`), resolved from the project root. */
export function viteCli(projectRoot: string): string {
  const manifest = createRequire(path.join(projectRoot, 'package.json')).resolve('vite/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: { vite: string } };
  return path.join(path.dirname(manifest), bin.vite);
}

/**
 * The shell command that builds the pages into `<outputDir>/web`: the Node.js running this synth
 * starts the project's Vite directly (resolved up front; `npx vite` would add a second per synth).
 */
export function buildPagesCommand(vite: string, inputDir: string, outputDir: string): string {
  const args = [process.execPath, vite, 'build', '--config', path.join(inputDir, WEB_VITE_CONFIG), '--outDir', path.join(outputDir, WEB_BUNDLE_DIR), '--logLevel', 'warn'];
  // Double-quoted (JSON.stringify) for both bash and cmd, the two shells CDK runs hooks with.
  return args.map((arg) => JSON.stringify(arg)).join(' ');
}

/** Bundling options of the web Lambda that build the pages into its bundle. */
export function webPagesBundling(projectRoot: string): { environment: Record<string, string>; commandHooks: ICommandHooks } {
  // Resolved here, not in the hook: CDK also calls the hooks at construction, with its Docker
  // fallback's paths (/asset-input), to prepare a command it only runs when esbuild is missing.
  const vite = viteCli(projectRoot);
  return {
    // Read by Vite (production build), not by esbuild, whose defines are explicit.
    environment: { NODE_ENV: 'production' },
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) => [buildPagesCommand(vite, inputDir, outputDir)],
    },
  };
}
