// How every Lambda is bundled, shared by the stack (NodejsFunction) and the benchmark, so the
// benchmark measures what is deployed.

/** ESM bundles need a real `require` for the few CommonJS paths inside the AWS SDK ("Dynamic require of node:https"). */
export const LAMBDA_ESBUILD_BANNER = "import { createRequire as __portalCreateRequire } from 'module'; const require = __portalCreateRequire(import.meta.url);";

/** esbuild target matching the Lambda runtime (Runtime.NODEJS_24_X in infra/functions.ts). */
export const LAMBDA_ESBUILD_TARGET = 'node24';

/** Prefer packages' ESM builds, which tree-shake better than their CommonJS ones. */
export const LAMBDA_MAIN_FIELDS = ['module', 'main'];
