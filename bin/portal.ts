// CDK app entry (cdk.json: `npx tsx bin/portal.ts`). Reads the deployment config from cdk.json context
// `portal` and PORTAL_* environment variables; a bad config stops here with every problem listed.
// Nothing needs building first: the web Lambda's bundling builds the pages (infra/web-pages.ts).
import { App } from 'aws-cdk-lib';
import { addPortal } from '../infra/app.js';
import { ConfigError, loadConfig } from '../infra/config.js';

const app = new App();

let config;
try {
  config = loadConfig(app.node.tryGetContext('portal'), process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

addPortal(app, { config });
app.synth();
