// /admin/api/endpoints: create, list, show, change and delete upload endpoints. Each handler parses
// the request, runs one use case and answers its result.
import { json, readJsonBody } from '../shared/http.js';
import type { Router } from '../shared/router.js';
import { ADMIN_ROUTES } from '../../contract/api/admin.js';
import { ENDPOINTS_PAGE } from '../../contract/limits.js';
import type { RequestContext } from './auditor.js';
import { createEndpoint } from './create-endpoint.js';
import { deleteEndpoint } from './delete-endpoint.js';
import { parseCreateEndpoint, parseDeleteEndpoint, parseEndpointName, parsePatchEndpoint } from './endpoint-input.js';
import { describeEndpoint, listEndpoints } from './endpoint-queries.js';
import { parsePageSize } from './page-token.js';
import type { AdminServices } from './services.js';
import { updateEndpoint } from './update-endpoint.js';

export function addEndpointRoutes(router: Router<RequestContext>, services: AdminServices): void {
  router.add(ADMIN_ROUTES.listEndpoints.method, ADMIN_ROUTES.listEndpoints.path, async (request, _params, context) => {
    const query = {
      q: (request.query.q ?? '').slice(0, 200),
      pageSize: parsePageSize(request.query.pageSize, ENDPOINTS_PAGE.default, ENDPOINTS_PAGE.max),
      continuationToken: request.query.continuationToken || null,
    };
    return json(200, await listEndpoints(services, query, context.now));
  });

  router.add(ADMIN_ROUTES.createEndpoint.method, ADMIN_ROUTES.createEndpoint.path, async (request, _params, context) => {
    const input = parseCreateEndpoint(readJsonBody(request), context.now);
    return json(201, await createEndpoint(services, context, input));
  });

  router.add(ADMIN_ROUTES.getEndpoint.method, ADMIN_ROUTES.getEndpoint.path, async (_request, params, context) => {
    return json(200, await describeEndpoint(services, parseEndpointName(params.name), context.now));
  });

  router.add(ADMIN_ROUTES.patchEndpoint.method, ADMIN_ROUTES.patchEndpoint.path, async (request, params, context) => {
    const name = parseEndpointName(params.name);
    const input = parsePatchEndpoint(readJsonBody(request), context.now);
    return json(200, await updateEndpoint(services, context, name, input));
  });

  router.add(ADMIN_ROUTES.deleteEndpoint.method, ADMIN_ROUTES.deleteEndpoint.path, async (request, params, context) => {
    const name = parseEndpointName(params.name);
    const input = parseDeleteEndpoint(request.body.length ? readJsonBody(request) : undefined, name);
    return json(200, await deleteEndpoint(services, context, name, input));
  });
}
