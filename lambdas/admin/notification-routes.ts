// /admin/api/endpoints/:name/notifications: read, change, rotate the webhook secret.
import { ADMIN_ROUTES } from '../../contract/api/admin.js';
import { json, readJsonBody } from '../shared/http.js';
import type { Router } from '../shared/router.js';
import type { RequestContext } from './auditor.js';
import { changeNotifications, getNotifications, rotateWebhookSecret } from './endpoint-notifications.js';
import { parseEndpointName } from './endpoint-input.js';
import { parseNotificationChanges } from './notification-input.js';
import type { AdminServices } from './services.js';

export function addNotificationRoutes(router: Router<RequestContext>, services: AdminServices): void {
  const policy = { allowLoopbackHttp: services.settings.allowLoopbackWebhooks ?? false };
  router.add(ADMIN_ROUTES.getNotifications.method, ADMIN_ROUTES.getNotifications.path, async (_request, params) => json(200, await getNotifications(services, parseEndpointName(params.name))));
  router.add(ADMIN_ROUTES.patchNotifications.method, ADMIN_ROUTES.patchNotifications.path, async (request, params, context) => {
    const name = parseEndpointName(params.name);
    return json(200, await changeNotifications(services, context, name, parseNotificationChanges(readJsonBody(request), policy)));
  });
  router.add(ADMIN_ROUTES.rotateWebhookSecret.method, ADMIN_ROUTES.rotateWebhookSecret.path, async (_request, params, context) =>
    json(200, await rotateWebhookSecret(services, context, parseEndpointName(params.name))),
  );
}
