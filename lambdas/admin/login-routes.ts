// /admin/api/endpoints/:name/logins: add a customer login, remove one, reset its password. Each
// handler parses the request, runs one use case and answers its result.
import { PortalError } from '../shared/errors.js';
import { json, readJsonBody, type HttpRequest } from '../shared/http.js';
import type { Router } from '../shared/router.js';
import { ADMIN_ROUTES } from '../../contract/api/admin.js';
import type { RequestContext } from './auditor.js';
import { asObject, parseAddLogin, parseEndpointName } from './endpoint-input.js';
import { addLogin, removeLogin, resetPassword, type LoginRef } from './login-use-cases.js';
import type { AdminServices } from './services.js';

/** reset-password takes no input: an empty body or `{}`. */
function assertNoInput(request: HttpRequest): void {
  if (request.body.length === 0) return;
  if (Object.keys(asObject(readJsonBody(request))).length > 0) throw new PortalError('unknown_field', 'This call takes no fields');
}

const loginRef = (params: Record<string, string>): LoginRef => ({ endpoint: parseEndpointName(params.name), username: params.username! });

export function addLoginRoutes(router: Router<RequestContext>, services: AdminServices): void {
  router.add(ADMIN_ROUTES.addLogin.method, ADMIN_ROUTES.addLogin.path, async (request, params, context) => {
    const name = parseEndpointName(params.name);
    const email = parseAddLogin(readJsonBody(request));
    return json(201, await addLogin(services, context, name, email));
  });

  router.add(ADMIN_ROUTES.removeLogin.method, ADMIN_ROUTES.removeLogin.path, async (_request, params, context) => {
    await removeLogin(services, context, loginRef(params));
    return { status: 204, headers: { 'cache-control': 'no-store' } };
  });

  router.add(ADMIN_ROUTES.resetPassword.method, ADMIN_ROUTES.resetPassword.path, async (request, params, context) => {
    assertNoInput(request);
    return json(200, await resetPassword(services, context, loginRef(params)));
  });
}
