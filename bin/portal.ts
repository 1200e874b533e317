// CDK app entry (cdk.json: `npx tsx bin/portal.ts`). Reads the deployment config from cdk.json context
// `portal` and PORTAL_* environment variables; a bad config stops here with every problem listed.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { addPortal } from '../infra/app.js';
import { ConfigError, loadConfig } from '../infra/config.js';
import { PROJECT_ROOT } from '../infra/functions.js';

const app = new App();

let config;
try {
  config = loadConfig(app.node.tryGetContext('portal'), process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

// The web Lambda ships the built pages. Commands that bundle nothing (cdk destroy, cdk ls) pass an
// empty bundling-stacks list and do not need them.
const webPagesDir = path.join(PROJECT_ROOT, 'dist', 'web');
const bundlingStacks = (app.node.tryGetContext('aws:cdk:bundling-stacks') as string[] | undefined) ?? ['**'];
if (bundlingStacks.length > 0 && !existsSync(webPagesDir)) {
  console.error(`The built pages are missing (${path.relative(process.cwd(), webPagesDir) || webPagesDir}): run \`npm run build:web\` first (\`npm run synth\` and \`npm run deploy\` do).`);
  process.exit(1);
}

addPortal(app, { config, webPagesDir });
app.synth();
