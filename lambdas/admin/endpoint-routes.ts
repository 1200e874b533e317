// /admin/api/endpoints: create, list, show, change and delete upload endpoints.
import { PortalError } from '../shared/errors.js';
import { endpointState, type EndpointRecord } from '../shared/endpoint-record.js';
import { json, readJsonBody, type HttpRequest } from '../shared/http.js';
import type { Router } from '../shared/router.js';
import { ADMIN_ROUTES, type CreateEndpointResult, type DeleteEndpointResult, type EndpointDetail } from '../../contract/api/admin.js';
import type { RequestContext } from './auditor.js';
import { mapLimit } from './concurrency.js';
import type { PurgeResult } from './endpoint-files.js';
import { parseCreateEndpoint, parseDeleteEndpoint, parseEndpointName, parsePatchEndpoint } from './endpoint-input.js';
import { CONFLICT_MESSAGE } from './endpoint-store.js';
import { customerPortalUrl, pageEndpoints, toSummary } from './endpoint-view.js';
import { parsePageSize } from './page-token.js';
import type { AdminServices } from './services.js';

/** Runs a compensating step; its own failure is logged, never allowed to hide the original error. */
export async function compensate(services: AdminServices, what: string, step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch (error) {
    services.logger.error('compensation failed', { what, error: error as Error });
  }
}

/** Enables or disables every login of an endpoint to match its state (active = enabled). */
export async function syncLoginsEnabled(services: AdminServices, record: EndpointRecord, now: Date): Promise<void> {
  const enabled = endpointState(record, now) === 'active';
  await mapLimit(record.logins, 4, (username) => services.logins.setEnabled(username, enabled));
}

/**
 * The version the admin saw: someone else's change since then (a new login, a new expiry) is a 409,
 * neither merged silently by a PATCH nor deleted unseen.
 */
function assertVersionSeen(seen: string | null, current: string): void {
  if (seen !== null && seen !== current) throw new PortalError('conflict', CONFLICT_MESSAGE);
}

export function addEndpointRoutes(router: Router<RequestContext>, services: AdminServices): void {
  const { store, logins, endpointFiles, auditor, settings } = services;

  router.add(ADMIN_ROUTES.listEndpoints.method, ADMIN_ROUTES.listEndpoints.path, async (request, _params, context) => {
    const all = await store.list();
    return json(
      200,
      pageEndpoints(all, {
        q: (request.query.q ?? '').slice(0, 200),
        pageSize: parsePageSize(request.query.pageSize, 50, 200),
        continuationToken: request.query.continuationToken || null,
        now: context.now,
        portalUrl: settings.portalUrl,
      }),
    );
  });

  router.add(ADMIN_ROUTES.createEndpoint.method, ADMIN_ROUTES.createEndpoint.path, async (request, _params, context) => {
    const input = parseCreateEndpoint(readJsonBody(request), context.now);
    if (await store.find(input.name)) throw new PortalError('endpoint_exists', `An endpoint named ${input.name} already exists`);
    // A deleted endpoint's kept files would otherwise be shown to the new customer of that name.
    if (await endpointFiles.hasFiles(input.name)) {
      throw new PortalError('name_has_files', `Files of an earlier endpoint named ${input.name} remain; purge them or pick another name`);
    }
    const at = context.now.toISOString();
    const record: EndpointRecord = {
      name: input.name,
      customerEmail: input.customerEmail,
      ...input.settings,
      disabled: false,
      createdAt: at,
      createdBy: context.principal.email || context.principal.subject,
      updatedAt: at,
      logins: [],
    };
    // Record first (If-None-Match decides who gets the name), then the login, then the record again
    // with the login: a login never exists for an endpoint that another admin won.
    const created = await store.create(record);
    let login;
    try {
      login = await logins.create(input.customerEmail, input.name);
    } catch (error) {
      await compensate(services, 'delete endpoint record', () => store.delete(input.name));
      throw error;
    }
    let stored;
    try {
      stored = await store.replace({ ...record, logins: [login.username] }, created.etag);
    } catch (error) {
      await compensate(services, 'delete login', () => logins.delete(login.username));
      await compensate(services, 'delete endpoint record', () => store.delete(input.name));
      throw error;
    }
    await auditor.afterChange(context, {
      action: 'endpoint.created',
      endpoint: input.name,
      target: input.name,
      details: { ...input.settings, customerEmail: input.customerEmail, login: login.username, invitationSent: settings.sendInvite },
    });
    const result: CreateEndpointResult = {
      endpoint: toSummary(stored, context.now, settings.portalUrl),
      login: { ...login, portalUrl: customerPortalUrl(settings.portalUrl), invitationSent: settings.sendInvite },
    };
    return json(201, result);
  });

  router.add(ADMIN_ROUTES.getEndpoint.method, ADMIN_ROUTES.getEndpoint.path, async (_request, params, context) => {
    const stored = await store.get(parseEndpointName(params.name));
    const [loginInfo, usage] = await Promise.all([
      mapLimit(stored.record.logins, 8, (username) => logins.describe(username)),
      endpointFiles.usage(stored.record.name),
    ]);
    const detail: EndpointDetail = {
      ...toSummary(stored, context.now, settings.portalUrl),
      logins: loginInfo,
      fileCount: usage.fileCount,
      totalBytes: usage.totalBytes,
      usageComplete: usage.complete,
    };
    return json(200, detail);
  });

  router.add(ADMIN_ROUTES.patchEndpoint.method, ADMIN_ROUTES.patchEndpoint.path, async (request, params, context) => {
    const name = parseEndpointName(params.name);
    const input = parsePatchEndpoint(readJsonBody(request), context.now);
    const current = await store.get(name);
    assertVersionSeen(input.version, current.etag);
    const before = current.record;
    const after: EndpointRecord = { ...before, ...input.changes, updatedAt: context.now.toISOString() };
    const saved = await store.replace(after, current.etag);
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of Object.keys(input.changes) as (keyof typeof input.changes)[]) {
      if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) changes[field] = { from: before[field], to: after[field] };
    }
    // Audited as soon as the record has changed, so a Cognito failure below cannot leave it unrecorded.
    await auditor.afterChange(context, {
      action: 'endpoint.updated',
      endpoint: name,
      target: name,
      details: { changes, state: endpointState(after, context.now) },
    });
    // Always, not only when `disabled` changed: it also catches up with an expiry that has passed.
    // A failure here is answered as an error; repeating the PATCH finishes the job.
    await syncLoginsEnabled(services, after, context.now);
    return json(200, toSummary(saved, context.now, settings.portalUrl));
  });

  router.add(ADMIN_ROUTES.deleteEndpoint.method, ADMIN_ROUTES.deleteEndpoint.path, async (request: HttpRequest, params, context) => {
    const name = parseEndpointName(params.name);
    const input = parseDeleteEndpoint(request.body.length ? readJsonBody(request) : undefined, name);
    const { record, etag } = await store.get(name);
    assertVersionSeen(input.version, etag);
    // Access ends first, so it ends even if a later step fails; every step can simply be retried.
    // The record is disabled before anything else: a customer whose ALB session outlives the deleted
    // login would otherwise still pass the record check and could complete an upload into the folder
    // while its files are purged (the uploads Lambda sees the change within its 30 s record cache).
    // A failure part-way is still audited (`incomplete`), as something may already be gone.
    let purged: PurgeResult | null = null;
    let step = 'disable endpoint';
    try {
      if (!record.disabled) await store.replace({ ...record, disabled: true, updatedAt: context.now.toISOString() }, etag);
      step = 'remove logins';
      await mapLimit(record.logins, 4, (username) => logins.delete(username));
      step = 'purge files';
      if (input.purgeFiles) purged = await endpointFiles.purge(name);
      step = 'delete record';
      await store.delete(name);
    } catch (error) {
      await auditor.afterChange(context, {
        action: 'endpoint.deleted',
        endpoint: name,
        target: name,
        details: { incomplete: true, failedStep: step, purgeFiles: input.purgeFiles },
      });
      throw error;
    }
    await auditor.afterChange(context, {
      action: 'endpoint.deleted',
      endpoint: name,
      target: name,
      details: { loginsRemoved: record.logins, purgeFiles: input.purgeFiles, filesPurged: purged?.files ?? null, uploadsAborted: purged?.uploadsAborted ?? null },
    });
    const result: DeleteEndpointResult = { name, loginsRemoved: record.logins, filesPurged: purged?.files ?? null, uploadsAborted: purged?.uploadsAborted ?? null };
    return json(200, result);
  });
}
