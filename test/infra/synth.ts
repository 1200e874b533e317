// Synthesizes the portal app for the infra tests exactly as bin/portal.ts builds it (addPortal, cdk.json
// context and feature flags, cdk-nag plugin), once per test file. Writes the cloud assembly to a temp
// folder, never to the repository.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, type PolicyViolation, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addPortal } from '../../infra/app.js';
import { type PortalConfig, type PortalConfigInput, loadConfig } from '../../infra/config.js';
import type { PortalStack } from '../../infra/portal-stack.js';
import { readCdkJson } from './cdk-json.js';

/** The example config from cdk.json with `overrides` applied (a key set to undefined is removed). */
export function exampleConfig(overrides: Partial<Record<keyof PortalConfigInput, unknown>> = {}): PortalConfig {
  const merged: Record<string, unknown> = { ...readCdkJson().context.portal, ...overrides };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return loadConfig(merged, {});
}

export interface Synth {
  app: App;
  stack: PortalStack;
  template: Template;
  /** cdk-nag AwsSolutions findings that are not acknowledged (errors and warnings). */
  nagViolations: PolicyViolation[];
  /** The cloud assembly folder (asset folders included when bundling). */
  outdir: string;
  config: PortalConfig;
  /** Removes the cloud assembly folder; call in afterAll. */
  dispose(): void;
}

export interface SynthOptions {
  config?: PortalConfig;
  /**
   * Run esbuild for the three Lambdas and Vite for the pages (the slow part); off = CDK's bundling
   * skip, as `cdk destroy` does.
   */
  bundle?: boolean;
  /** The checkout to bundle from. @default the repository root */
  projectRoot?: string;
}

export function synthPortal(options: SynthOptions = {}): Synth {
  const config = options.config ?? exampleConfig();
  const outdir = mkdtempSync(path.join(tmpdir(), 'portal-infra-cdk-'));
  const app = new App({
    outdir,
    context: { ...readCdkJson().context, ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}) },
    // CloudFormation schema validation adds ~10 s per synth; `npm run synth` keeps it on.
    builtinCloudFormationValidation: false,
  });
  const dispose = (): void => rmSync(outdir, { recursive: true, force: true });
  try {
    const stack = addPortal(app, { config, ...(options.projectRoot ? { projectRoot: options.projectRoot } : {}) });
    // Checked directly too, so a finding shows up as a readable list rather than a failed synth.
    const nagViolations = new AwsSolutionsChecks().validateScope(app).violations;
    // Synthesizes the app (running the cdk-nag plugin as `cdk synth` does).
    const template = Template.fromStack(stack);
    return { app, stack, template, nagViolations, outdir, config, dispose };
  } catch (error) {
    // A failed synth (a failed bundling, say) leaves no cloud assembly behind either.
    dispose();
    throw error;
  }
}

export type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown }>;

/** The template's resources of one type, by logical id. */
export const resourcesOfType = (synth: Pick<Synth, 'template'>, type: string): Resources =>
  synth.template.findResources(type) as Resources;

/** The logical id CloudFormation uses for a construct's default resource. */
export const logicalIdOf = (stack: Stack, construct: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(construct.node.defaultChild as Parameters<Stack['getLogicalId']>[0]);
