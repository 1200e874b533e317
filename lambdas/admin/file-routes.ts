// /admin/api/files: browse, download, share and delete customers' files (inside uploads/ only).
import { PortalError } from '../shared/errors.js';
import { json, readJsonBody, redirect } from '../shared/http.js';
import type { Router } from '../shared/router.js';
import { ADMIN_ROUTES, type ShareResult } from '../../contract/api/admin.js';
import type { RequestContext } from './auditor.js';
import { asObject, parseEndpointName } from './endpoint-input.js';
import { normalizeFolder, parseUploadKey } from './file-keys.js';
import { CredentialsExpiringError, MAX_PRESIGN_SECONDS, planLinkLifetime, type LinkLifetime } from './link-lifetime.js';
import { parsePageSize } from './page-token.js';
import { assertNotCrossSite } from './request-guard.js';
import type { AdminServices } from './services.js';

export function addFileRoutes(router: Router<RequestContext>, services: AdminServices): void {
  const { browser, auditor, settings } = services;

  async function lifetime(requested: number, now: Date): Promise<LinkLifetime> {
    try {
      return planLinkLifetime(requested, now, await browser.signingCredentials());
    } catch (error) {
      if (error instanceof CredentialsExpiringError) {
        throw new PortalError('credentials_expiring', 'The portal is renewing its credentials; try again in a minute');
      }
      throw error;
    }
  }

  // Literal paths before the bare `/files`, which the router would not confuse anyway.
  router.add(ADMIN_ROUTES.downloadFile.method, ADMIN_ROUTES.downloadFile.path, async (request, _params, context) => {
    assertNotCrossSite(request.headers);
    const { key, endpoint } = parseUploadKey(request.query.key);
    const file = await browser.require(key);
    const { seconds } = await lifetime(settings.downloadExpiresSeconds, context.now);
    await auditor.beforeAccess(context, {
      action: 'file.downloaded',
      endpoint,
      target: key,
      details: { name: file.name, size: file.size, expiresInSeconds: seconds },
    });
    return redirect(await browser.presignDownload(file, seconds, context.now), 302);
  });

  router.add(ADMIN_ROUTES.shareFile.method, ADMIN_ROUTES.shareFile.path, async (request, _params, context) => {
    const body = asObject(readJsonBody(request));
    const unknown = Object.keys(body).filter((k) => k !== 'key' && k !== 'expiresInSeconds');
    if (unknown.length) throw new PortalError('unknown_field', `Unknown field(s): ${unknown.join(', ')}`);
    const { key, endpoint } = parseUploadKey(body.key);
    const requested = body.expiresInSeconds;
    // Longer than 7 days is granted as 7 days (or less) and answered with `capped: true`, not refused.
    if (typeof requested !== 'number' || !Number.isSafeInteger(requested) || requested < 1) {
      throw new PortalError('invalid_expiry', `expiresInSeconds must be a positive whole number (at most ${MAX_PRESIGN_SECONDS}, 7 days, is granted)`);
    }
    const file = await browser.require(key);
    const planned = await lifetime(requested, context.now);
    await auditor.beforeAccess(context, {
      action: 'file.shared',
      endpoint,
      target: key,
      details: { name: file.name, requestedSeconds: requested, expiresInSeconds: planned.seconds, expiresAt: planned.expiresAt.toISOString(), cappedBy: planned.cappedBy },
    });
    const result: ShareResult = {
      url: await browser.presignDownload(file, planned.seconds, context.now),
      expiresAt: planned.expiresAt.toISOString(),
      expiresInSeconds: planned.seconds,
      capped: planned.capped,
      cappedBy: planned.cappedBy,
      reason: planned.reason,
    };
    return json(200, result);
  });

  router.add(ADMIN_ROUTES.listFiles.method, ADMIN_ROUTES.listFiles.path, async (request) => {
    const endpoint = request.query.endpoint ? parseEndpointName(request.query.endpoint) : null;
    const token = request.query.continuationToken || null;
    if (token !== null && token.length > 4096) throw new PortalError('invalid_token', 'continuationToken is not valid here');
    const listing = await browser.list({
      endpoint,
      prefix: normalizeFolder(request.query.prefix),
      pageSize: parsePageSize(request.query.pageSize, 100, 1000),
      continuationToken: token,
    });
    return json(200, listing);
  });

  router.add(ADMIN_ROUTES.deleteFile.method, ADMIN_ROUTES.deleteFile.path, async (request, _params, context) => {
    const { key, endpoint } = parseUploadKey(request.query.key);
    const file = await browser.require(key); // S3 deletes missing keys silently; the admin should hear 404
    await browser.delete(key, endpoint);
    await auditor.afterChange(context, { action: 'file.deleted', endpoint, target: key, details: { name: file.name, size: file.size } });
    return { status: 204, headers: { 'cache-control': 'no-store' } };
  });
}
