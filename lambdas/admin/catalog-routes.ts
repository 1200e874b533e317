// /admin/api/catalog: the file catalog's maintenance (reconcile with the bucket).
import { ADMIN_ROUTES } from '../../contract/api/admin.js';
import { PortalError } from '../shared/errors.js';
import { json, readJsonBody } from '../shared/http.js';
import type { Router } from '../shared/router.js';
import type { RequestContext } from './auditor.js';
import { asObject, parseEndpointName } from './endpoint-input.js';
import { reconcileCatalog } from './reconcile-catalog.js';
import type { AdminServices } from './services.js';

/** `{ endpoint, continuationToken? }` */
function parseReconcileRequest(value: unknown): { endpoint: string; token: string | null } {
  const body = asObject(value);
  const unknown = Object.keys(body).filter((k) => k !== 'endpoint' && k !== 'continuationToken');
  if (unknown.length) throw new PortalError('unknown_field', `Unknown field(s): ${unknown.join(', ')}`);
  if (body.endpoint === undefined) throw new PortalError('endpoint_required', 'Name the endpoint to reconcile');
  const token = body.continuationToken ?? null;
  if (token !== null && (typeof token !== 'string' || token === '' || token.length > 4096)) throw new PortalError('invalid_token', 'continuationToken is not valid here');
  return { endpoint: parseEndpointName(body.endpoint), token };
}

export function addCatalogRoutes(router: Router<RequestContext>, services: AdminServices): void {
  router.add(ADMIN_ROUTES.reconcileCatalog.method, ADMIN_ROUTES.reconcileCatalog.path, async (request, _params, context) => {
    const { endpoint, token } = parseReconcileRequest(readJsonBody(request));
    return json(200, await reconcileCatalog(services, context, endpoint, token));
  });
}
