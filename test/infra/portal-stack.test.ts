// The whole stack from cdk.json's example config (external OIDC admins, certificate ARN), synthesized
// once with real bundling; the checks live in test/infra/stack/, one module per construct.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentOf, functionChecks, bundleChecks } from './stack/functions.checks.js';
import { customerPoolChecks, oidcAdminChecks } from './stack/identity.checks.js';
import { certificateArnChecks, listenerRuleChecks, loadBalancerChecks } from './stack/load-balancer.checks.js';
import { nagChecks } from './stack/nag.checks.js';
import { permissionChecks } from './stack/permissions.checks.js';
import { storageChecks } from './stack/storage.checks.js';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { type Synth, synthPortal, webPagesDir } from './synth.js';

let synth: Synth | undefined;
const get = (): Synth => {
  if (!synth) throw new Error('synth failed in beforeAll');
  return synth;
};

beforeAll(() => {
  synth = synthPortal({ bundle: true });
});
afterAll(() => synth?.dispose());

describe('portal stack (example config)', () => {
  storageChecks(get);
  customerPoolChecks(get);
  oidcAdminChecks(get);
  loadBalancerChecks(get);
  certificateArnChecks(get);
  listenerRuleChecks(get);
  functionChecks(get);
  bundleChecks(get);
  permissionChecks(get);
  nagChecks(get);

  it('outputs the portal URL, bucket name, user pool id and ALB DNS name', () => {
    const outputs = get().template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.PortalUrl!.Value).toBe(`https://${get().config.domainName}`);
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['PortalUrl', 'BucketName', 'UserPoolId', 'AlbDnsName', 'AdminCallbackUrl']));
    expect(outputs.AdminCallbackUrl!.Value).toBe(`https://${get().config.domainName}/oauth2/idpresponse`);
  });

  it('bundles a placeholder page when the web build has not run (infra tests alone)', () => {
    const pages = webPagesDir(path.join(get().outdir, 'no-such-build'));
    expect(pages.temporary).toBe(true);
    expect(existsSync(path.join(pages.dir, 'index.html'))).toBe(true);
    rmSync(pages.dir, { recursive: true, force: true });
  });

  it('restricts admins to cdk.json\'s adminAllowList on the uploads and admin Lambdas', () => {
    expect(get().config.adminAllowList).toEqual(['@example.com']);
    for (const name of ['uploads', 'admin'] as const) expect(environmentOf(get(), name).ADMIN_ALLOWED_EMAILS).toBe('@example.com');
  });

  it('deploys to the configured account and region', () => {
    expect(get().stack.account).toBe(get().config.account);
    expect(get().stack.region).toBe(get().config.region);
    expect(get().stack.stackName).toBe(get().config.stackName);
  });
});
