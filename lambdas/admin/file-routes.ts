// /admin/api/files: browse, download, share and delete customers' files (inside uploads/ only). Each
// handler parses the request, runs one use case and answers its result.
import { PortalError } from '../shared/errors.js';
import { json, readJsonBody, redirect } from '../shared/http.js';
import type { Router } from '../shared/router.js';
import { ADMIN_ROUTES } from '../../contract/api/admin.js';
import { SIGV4_MAX_EXPIRES_SECONDS } from '../../contract/limits.js';
import type { RequestContext } from './auditor.js';
import { asObject } from './endpoint-input.js';
import { parseFileListQuery } from './file-list-query.js';
import { parseUploadKey, type UploadKey } from './file-keys.js';
import { deleteFile, downloadFile, shareFile } from './file-use-cases.js';
import { parseReleaseRequest, releaseFile } from './file-release.js';
import { assertNotCrossSite } from './request-guard.js';
import type { AdminServices } from './services.js';

/** POST /files/share: `{ key, expiresInSeconds }`. */
function parseShareRequest(value: unknown): { file: UploadKey; requestedSeconds: number } {
  const body = asObject(value);
  const unknown = Object.keys(body).filter((k) => k !== 'key' && k !== 'expiresInSeconds');
  if (unknown.length) throw new PortalError('unknown_field', `Unknown field(s): ${unknown.join(', ')}`);
  const file = parseUploadKey(body.key);
  const requested = body.expiresInSeconds;
  // Longer than 7 days is granted as 7 days (or less) and answered with `capped: true`, not refused.
  if (typeof requested !== 'number' || !Number.isSafeInteger(requested) || requested < 1) {
    throw new PortalError('invalid_expiry', `expiresInSeconds must be a positive whole number (at most ${SIGV4_MAX_EXPIRES_SECONDS}, ${SIGV4_MAX_EXPIRES_SECONDS / 86_400} days, is granted)`);
  }
  return { file, requestedSeconds: requested };
}

export function addFileRoutes(router: Router<RequestContext>, services: AdminServices): void {
  // Literal paths before the bare `/files`, which the router would not confuse anyway.
  router.add(ADMIN_ROUTES.downloadFile.method, ADMIN_ROUTES.downloadFile.path, async (request, _params, context) => {
    assertNotCrossSite(request.headers);
    return redirect(await downloadFile(services, context, parseUploadKey(request.query.key)), 302);
  });

  router.add(ADMIN_ROUTES.shareFile.method, ADMIN_ROUTES.shareFile.path, async (request, _params, context) => {
    const { file, requestedSeconds } = parseShareRequest(readJsonBody(request));
    return json(200, await shareFile(services, context, file, requestedSeconds));
  });

  router.add(ADMIN_ROUTES.releaseFile.method, ADMIN_ROUTES.releaseFile.path, async (request, _params, context) => {
    const { file, reason } = parseReleaseRequest(readJsonBody(request));
    return json(200, await releaseFile(services, context, file, reason));
  });

  router.add(ADMIN_ROUTES.listFiles.method, ADMIN_ROUTES.listFiles.path, async (request) => {
    return json(200, await services.browser.list(parseFileListQuery(request.query)));
  });

  router.add(ADMIN_ROUTES.deleteFile.method, ADMIN_ROUTES.deleteFile.path, async (request, _params, context) => {
    await deleteFile(services, context, parseUploadKey(request.query.key));
    return { status: 204, headers: { 'cache-control': 'no-store' } };
  });
}
