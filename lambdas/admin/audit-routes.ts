// GET /admin/api/audit: the audit trail, newest first, optionally for one endpoint and a time range.
import { ADMIN_ROUTES } from '../../contract/api/admin.js';
import { AUDIT_PAGE } from '../../contract/limits.js';
import { PortalError } from '../shared/errors.js';
import { json, type HttpRequest } from '../shared/http.js';
import type { Router } from '../shared/router.js';
import type { AuditQuery } from './audit-log.js';
import type { RequestContext } from './auditor.js';
import { parseEndpointName } from './endpoint-input.js';
import { parsePageSize } from './page-token.js';
import { parseTimeMs } from './query-time.js';
import type { AdminServices } from './services.js';

/** ?endpoint=&from=&to=&pageSize=&continuationToken= */
function parseAuditQuery(query: HttpRequest['query']): AuditQuery {
  const fromMs = parseTimeMs(query.from, 'from');
  const toMs = parseTimeMs(query.to, 'to');
  if (fromMs !== null && toMs !== null && fromMs > toMs) throw new PortalError('invalid_time', 'from must not be after to');
  return {
    endpoint: query.endpoint ? parseEndpointName(query.endpoint) : null,
    fromMs,
    toMs,
    pageSize: parsePageSize(query.pageSize, AUDIT_PAGE.default, AUDIT_PAGE.max),
    continuationToken: query.continuationToken || null,
  };
}

export function addAuditRoutes(router: Router<RequestContext>, services: AdminServices): void {
  router.add(ADMIN_ROUTES.listAudit.method, ADMIN_ROUTES.listAudit.path, async (request) => {
    return json(200, await services.auditLog.query(parseAuditQuery(request.query)));
  });
}
