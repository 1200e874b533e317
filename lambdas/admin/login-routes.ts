// /admin/api/endpoints/:name/logins: add a customer login, remove one, reset its password.
import { PortalError } from '../shared/errors.js';
import { endpointState } from '../shared/endpoint-record.js';
import { json, readJsonBody, type HttpRequest } from '../shared/http.js';
import type { Router } from '../shared/router.js';
import { ADMIN_ROUTES, type LoginCredentials } from '../../contract/api/admin.js';
import type { RequestContext } from './auditor.js';
import { asObject, parseAddLogin, parseEndpointName } from './endpoint-input.js';
import { compensate } from './endpoint-routes.js';
import { customerPortalUrl } from './endpoint-view.js';
import type { AdminServices } from './services.js';

/** Keeps the record small and the detail view's Cognito calls bounded. */
export const MAX_LOGINS_PER_ENDPOINT = 50;

/** reset-password takes no input: an empty body or `{}`. */
function assertNoInput(request: HttpRequest): void {
  if (request.body.length === 0) return;
  if (Object.keys(asObject(readJsonBody(request))).length > 0) throw new PortalError('unknown_field', 'This call takes no fields');
}

export function addLoginRoutes(router: Router<RequestContext>, services: AdminServices): void {
  const { store, logins, auditor, settings } = services;

  /** The endpoint's record, and 404 unless `username` is one of its logins (no reaching other endpoints' users). */
  async function loginOf(name: string, username: string) {
    const stored = await store.get(parseEndpointName(name));
    if (!stored.record.logins.includes(username)) throw new PortalError('login_not_found', `${name} has no login ${username}`);
    return stored;
  }

  router.add(ADMIN_ROUTES.addLogin.method, ADMIN_ROUTES.addLogin.path, async (request, params, context) => {
    const name = parseEndpointName(params.name);
    const email = parseAddLogin(readJsonBody(request));
    const { record, etag } = await store.get(name);
    if (record.logins.length >= MAX_LOGINS_PER_ENDPOINT) throw new PortalError('too_many_logins', `An endpoint has at most ${MAX_LOGINS_PER_ENDPOINT} logins`);
    const login = await logins.create(email, name);
    try {
      // A login added to a disabled or expired endpoint starts disabled, like its siblings.
      if (endpointState(record, context.now) !== 'active') await logins.setEnabled(login.username, false);
      await store.replace({ ...record, logins: [...record.logins, login.username], updatedAt: context.now.toISOString() }, etag);
    } catch (error) {
      // Not listed in the record, the login could not be seen or removed from the console: undo it.
      await compensate(services, 'delete login', () => logins.delete(login.username));
      throw error;
    }
    await auditor.afterChange(context, { action: 'login.added', endpoint: name, target: login.username, details: { email } });
    const result: LoginCredentials = { ...login, portalUrl: customerPortalUrl(settings.portalUrl), invitationSent: settings.sendInvite };
    return json(201, result);
  });

  router.add(ADMIN_ROUTES.removeLogin.method, ADMIN_ROUTES.removeLogin.path, async (_request, params, context) => {
    const { record, etag } = await loginOf(params.name!, params.username!);
    // Cognito first: access ends even if the record update then loses a race (a retry finishes it).
    await logins.delete(params.username!);
    await store.replace({ ...record, logins: record.logins.filter((u) => u !== params.username), updatedAt: context.now.toISOString() }, etag);
    await auditor.afterChange(context, { action: 'login.removed', endpoint: record.name, target: params.username! });
    return { status: 204, headers: { 'cache-control': 'no-store' } };
  });

  router.add(ADMIN_ROUTES.resetPassword.method, ADMIN_ROUTES.resetPassword.path, async (request, params, context) => {
    assertNoInput(request);
    const { record } = await loginOf(params.name!, params.username!);
    const info = await logins.describe(params.username!);
    if (info.status === 'MISSING') throw new PortalError('login_not_found', 'The login no longer exists in the user directory');
    const temporaryPassword = await logins.resetPassword(info.username);
    // Then end the sessions opened with the old password (after, so none opened meanwhile survives).
    let sessionsEnded = false;
    let signOutError: unknown;
    try {
      sessionsEnded = await logins.signOutEverywhere(info.username);
    } catch (error) {
      signOutError = error;
    }
    // The password has changed either way: that is recorded before any failure is reported.
    await auditor.afterChange(context, { action: 'login.password_reset', endpoint: record.name, target: info.username, details: { sessionsEnded } });
    if (signOutError !== undefined) {
      throw new PortalError('sign_out_failed', "The password was reset, but the login's open sessions could not be ended; reset it again", { cause: signOutError });
    }
    const result: LoginCredentials = {
      username: info.username,
      email: info.email,
      temporaryPassword,
      portalUrl: customerPortalUrl(settings.portalUrl),
      invitationSent: false,
    };
    return json(200, result);
  });
}
