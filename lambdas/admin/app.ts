// The admin API as a plain request handler, built from explicit dependencies so tests (and the
// local gateway, through handler.ts) can supply clients, settings, clock and identity verifier.
//
// Routes (all under /admin/api, admin principals only):
//   GET    /endpoints                                   list (?q=&pageSize=&continuationToken=)
//   POST   /endpoints                                   create endpoint + first login
//   GET    /endpoints/:name                             detail (logins, usage)
//   PATCH  /endpoints/:name                             change settings / disable
//   DELETE /endpoints/:name                             delete ({purgeFiles, confirm} optional)
//   POST   /endpoints/:name/logins                      add login
//   DELETE /endpoints/:name/logins/:username            remove login
//   POST   /endpoints/:name/logins/:username/reset-password
//   GET    /files                                       browse (?endpoint=&prefix=&pageSize=&continuationToken=)
//   GET    /files/download?key=                         302 to a presigned GET
//   POST   /files/share                                 presigned link, capped
//   DELETE /files?key=                                  delete one file
//   GET    /audit                                       audit trail (?endpoint=&from=&to=&pageSize=&continuationToken=)
//   POST   /catalog/reconcile                           repair one endpoint's catalog from the bucket (bounded, resumable)
//   GET    /endpoints/:name/notifications               recipients, customer receipt, webhook (never its secret)
//   PATCH  /endpoints/:name/notifications               change them (a first webhook answers its secret once)
//   POST   /endpoints/:name/notifications/webhook-secret rotate the signing secret (answered once)
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { RequestHandler } from '../shared/alb-handler.js';
import { newAuditId } from '../shared/audit-writer.js';
import type { HttpRequest, HttpResponse } from '../shared/http.js';
import type { IdentityVerifier } from '../shared/identity.js';
import { Router } from '../shared/router.js';
import type { CatalogDb } from '../shared/catalog/catalog-db.js';
import { addAuditRoutes } from './audit-routes.js';
import { addCatalogRoutes } from './catalog-routes.js';
import type { RequestContext } from './auditor.js';
import { addEndpointRoutes } from './endpoint-routes.js';
import { addFileRoutes } from './file-routes.js';
import type { CognitoSender } from './lazy-cognito.js';
import { addLoginRoutes } from './login-routes.js';
import { addNotificationRoutes } from './notification-routes.js';
import { assertAdmin, assertStateChangeAllowed } from './request-guard.js';
import { createServices } from './services.js';
import type { AdminSettings } from './settings.js';

export interface AdminAppDeps {
  settings: AdminSettings;
  s3: S3Client;
  cognito: CognitoSender;
  verifyIdentity: IdentityVerifier;
  /** The file catalog (lambdas/shared/catalog/catalog-db.ts). */
  catalog: CatalogDb;
  logger: Logger;
  /** @default () => new Date() */
  now?: () => Date;
  /** Audit event ids. @default 16 random hex characters */
  newId?: () => string;
}

export function createAdminApp(deps: AdminAppDeps): RequestHandler {
  const now = deps.now ?? (() => new Date());
  const services = createServices({ ...deps, newId: deps.newId ?? newAuditId, now });
  const router = new Router<RequestContext>();
  addEndpointRoutes(router, services);
  addLoginRoutes(router, services);
  addFileRoutes(router, services);
  addAuditRoutes(router, services);
  addCatalogRoutes(router, services);
  addNotificationRoutes(router, services);

  return async (request: HttpRequest, lambdaContext?: Context): Promise<HttpResponse> => {
    // Identity before anything else, including 404/405: an outsider learns nothing about routes.
    const principal = assertAdmin(await deps.verifyIdentity(request.headers));
    assertStateChangeAllowed(request.method, request.headers, request.body.length, deps.settings.portalUrl);
    const context: RequestContext = {
      principal,
      requestId: lambdaContext?.awsRequestId ?? request.headers['x-amzn-trace-id'] ?? randomUUID(),
      sourceIp: request.sourceIp,
      now: now(),
    };
    const response = await router.handle(request, context);
    return { ...response, headers: { 'x-content-type-options': 'nosniff', ...response.headers } };
  };
}
