// The whole stack from cdk.json's example config (external OIDC admins, certificate ARN), synthesized
// once with real bundling from a copy of the checkout as a fresh clone has it (no dist/: the synth
// builds the pages itself); the checks live in test/infra/stack/, one module per construct.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alarmChecks } from './stack/alarms.checks.js';
import { environmentOf, functionChecks, bundleChecks } from './stack/functions.checks.js';
import { customerPoolChecks, oidcAdminChecks } from './stack/identity.checks.js';
import { certificateArnChecks, listenerRuleChecks, loadBalancerChecks } from './stack/load-balancer.checks.js';
import { wafChecks } from './stack/waf.checks.js';
import { malwareScanChecks } from './stack/malware-scan.checks.js';
import { catalogChecks } from './stack/catalog.checks.js';
import { nagChecks } from './stack/nag.checks.js';
import { notificationChecks, senderChecks } from './stack/notifications.checks.js';
import { permissionChecks } from './stack/permissions.checks.js';
import { storageChecks } from './stack/storage.checks.js';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { type FreshCheckout, freshCheckout } from './fresh-checkout.js';
import { type Synth, synthPortal } from './synth.js';

let checkout: FreshCheckout | undefined;
let synth: Synth | undefined;
const get = (): Synth => {
  if (!synth) throw new Error('synth failed in beforeAll');
  return synth;
};

beforeAll(() => {
  checkout = freshCheckout();
  synth = synthPortal({ bundle: true, projectRoot: checkout.dir });
});
afterAll(() => {
  synth?.dispose();
  checkout?.dispose();
});

describe('portal stack (example config)', () => {
  storageChecks(get);
  catalogChecks(get);
  customerPoolChecks(get);
  oidcAdminChecks(get);
  loadBalancerChecks(get);
  certificateArnChecks(get);
  listenerRuleChecks(get);
  functionChecks(get);
  bundleChecks(get);
  permissionChecks(get);
  nagChecks(get);
  wafChecks(get);
  notificationChecks(get);
  senderChecks(get);
  alarmChecks(get, null);

  it('names no SES identity in a warning when the config has a sender', () => {
    const warnings = get().app.synth().getStackArtifact(get().stack.artifactId).messages.filter((m) => JSON.stringify(m.entry.data).includes('notificationSender'));
    expect(warnings).toEqual([]);
  });
  malwareScanChecks(get, 'block');

  it('outputs the portal URL, bucket name, user pool id and ALB DNS name', () => {
    const outputs = get().template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.PortalUrl!.Value).toBe(`https://${get().config.domainName}`);
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['PortalUrl', 'BucketName', 'UserPoolId', 'AlbDnsName', 'AdminCallbackUrl', 'CatalogTableName', 'EventsDeadLetterQueueUrl', 'WebhookDeadLetterQueueUrl']));
    expect(outputs.AdminCallbackUrl!.Value).toBe(`https://${get().config.domainName}/oauth2/idpresponse`);
  });

  it('synthesizes from a fresh clone: no page build before the synth, none written into the checkout', () => {
    const dir = checkout!.dir;
    expect(existsSync(path.join(dir, 'web', 'vite.config.ts'))).toBe(true);
    expect(existsSync(path.join(dir, 'lambdas', 'web', 'handler.ts'))).toBe(true);
    // Vite builds into the web Lambda's bundle (checked by the bundle checks), never into dist/web.
    expect(existsSync(path.join(dir, 'dist'))).toBe(false);
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
