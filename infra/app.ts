// Builds the CDK app the same way for `cdk synth` (bin/portal.ts) and for the infra tests, so the
// tests check exactly what is deployed, cdk-nag included.
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { PortalConfig } from './config.js';
import { PortalStack } from './portal-stack.js';

export interface PortalAppOptions {
  readonly config: PortalConfig;
  /** @default the repository root */
  readonly projectRoot?: string;
}

/** Adds the portal stack (named by config.stackName) and the cdk-nag AWS Solutions checks to `app`. */
export function addPortal(app: App, options: PortalAppOptions): PortalStack {
  const stack = new PortalStack(app, options.config.stackName, {
    config: options.config,
    ...(options.projectRoot ? { projectRoot: options.projectRoot } : {}),
  });
  // cdk-nag 3 is a policy-validation plugin: an unacknowledged finding fails synth (exit 1).
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
