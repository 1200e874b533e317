// Use case: create an upload endpoint with its first customer login.
//
// Record first (If-None-Match decides who gets the name), then the login, then the record again
// with the login: a login never exists for an endpoint that another admin won. A failure undoes
// what the earlier steps made, so a retry starts from a free name.
import { PortalError } from '../shared/errors.js';
import type { EndpointRecord } from '../shared/endpoint-record.js';
import type { CreateEndpointResult } from '../../contract/api/admin.js';
import type { RequestContext } from './auditor.js';
import type { CreateEndpointInput } from './endpoint-input.js';
import { customerPortalUrl, toSummary } from './endpoint-view.js';
import type { AdminServices } from './services.js';
import { runSteps } from './step-runner.js';

export type CreateEndpointServices = Pick<AdminServices, 'store' | 'logins' | 'endpointFiles' | 'auditor' | 'settings' | 'logger'>;

export async function createEndpoint(services: CreateEndpointServices, context: RequestContext, input: CreateEndpointInput): Promise<CreateEndpointResult> {
  const { store, logins, auditor, settings } = services;
  await assertNameFree(services, input.name);
  const record = newRecord(input, context);

  return runSteps({ useCase: 'create endpoint', logger: services.logger }, async (step) => {
    const created = await step('create record', () => store.create(record), () => store.delete(record.name));
    const login = await step('create login', () => logins.create(input.customerEmail, input.name), (made) => logins.delete(made.username));
    const stored = await step('record login', () => store.replace({ ...record, logins: [login.username] }, created.etag));
    await step('audit creation', () =>
      auditor.afterChange(context, {
        action: 'endpoint.created',
        endpoint: input.name,
        target: input.name,
        details: { ...input.settings, customerEmail: input.customerEmail, login: login.username, invitationSent: settings.sendInvite },
      }),
    );
    return {
      endpoint: toSummary(stored, context.now, settings.portalUrl),
      login: { ...login, portalUrl: customerPortalUrl(settings.portalUrl), invitationSent: settings.sendInvite },
    };
  });
}

/** 409 before anything is written; `store.create` still decides a race between two admins. */
async function assertNameFree({ store, endpointFiles }: CreateEndpointServices, name: string): Promise<void> {
  if (await store.find(name)) throw new PortalError('endpoint_exists', `An endpoint named ${name} already exists`);
  // A deleted endpoint's kept files would otherwise be shown to the new customer of that name.
  if (await endpointFiles.hasFiles(name)) {
    throw new PortalError('name_has_files', `Files of an earlier endpoint named ${name} remain; purge them or pick another name`);
  }
}

function newRecord(input: CreateEndpointInput, context: RequestContext): EndpointRecord {
  const at = context.now.toISOString();
  return {
    name: input.name,
    customerEmail: input.customerEmail,
    ...input.settings,
    disabled: false,
    createdAt: at,
    createdBy: context.principal.email || context.principal.subject,
    updatedAt: at,
    logins: [],
  };
}
