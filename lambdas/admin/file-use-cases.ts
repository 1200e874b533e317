// Use cases on customers' files: download, share, delete. Access is audited before the URL is made
// (no durable record, no URL); a deletion is audited after it has happened.
import { PortalError } from '../shared/errors.js';
import type { ShareResult } from '../../contract/api/admin.js';
import type { RequestContext } from './auditor.js';
import type { UploadKey } from './file-keys.js';
import { CredentialsExpiringError, planLinkLifetime, type LinkLifetime } from './link-lifetime.js';
import type { AdminServices } from './services.js';

export type FileServices = Pick<AdminServices, 'browser' | 'auditor' | 'settings'>;

/** A presigned GET for the file, valid for the configured download lifetime (or less). */
export async function downloadFile({ browser, auditor, settings }: FileServices, context: RequestContext, { key, endpoint }: UploadKey): Promise<string> {
  await browser.assertDownloadable(key);
  const file = await browser.require(key);
  const { seconds } = await linkLifetime(browser, settings.downloadExpiresSeconds, context.now);
  await auditor.beforeAccess(context, {
    action: 'file.downloaded',
    endpoint,
    target: key,
    details: { name: file.name, size: file.size, expiresInSeconds: seconds },
  });
  return browser.presignDownload(file, seconds, context.now);
}

/** A link for someone else; longer than the signing credentials or S3 allow is granted shorter (`capped`). */
export async function shareFile({ browser, auditor }: FileServices, context: RequestContext, { key, endpoint }: UploadKey, requestedSeconds: number): Promise<ShareResult> {
  await browser.assertDownloadable(key);
  const file = await browser.require(key);
  const planned = await linkLifetime(browser, requestedSeconds, context.now);
  await auditor.beforeAccess(context, {
    action: 'file.shared',
    endpoint,
    target: key,
    details: { name: file.name, requestedSeconds, expiresInSeconds: planned.seconds, expiresAt: planned.expiresAt.toISOString(), cappedBy: planned.cappedBy },
  });
  return {
    url: await browser.presignDownload(file, planned.seconds, context.now),
    expiresAt: planned.expiresAt.toISOString(),
    expiresInSeconds: planned.seconds,
    capped: planned.capped,
    cappedBy: planned.cappedBy,
    reason: planned.reason,
  };
}

export async function deleteFile({ browser, auditor }: FileServices, context: RequestContext, { key, endpoint }: UploadKey): Promise<void> {
  // S3 deletes missing keys silently; the admin should hear 404. An infected or unscanned file is
  // deletable too, though the bucket policy refuses to read it.
  const file = await browser.requireForChange(key);
  await browser.delete(key, endpoint);
  await auditor.afterChange(context, { action: 'file.deleted', endpoint, target: key, details: { name: file.name, size: file.size } });
}

async function linkLifetime(browser: AdminServices['browser'], requested: number, now: Date): Promise<LinkLifetime> {
  try {
    return planLinkLifetime(requested, now, await browser.signingCredentials());
  } catch (error) {
    if (error instanceof CredentialsExpiringError) {
      throw new PortalError('credentials_expiring', 'The portal is renewing its credentials; try again in a minute');
    }
    throw error;
  }
}
