// Use cases on customers' files: download, share, delete. Access is audited before the URL is made
// (no durable record, no URL); a deletion writes its intent before and its result after.
import { secondsUntilUrlsExpire } from './upload-url-expiry.js';
import { PortalError } from '../shared/errors.js';
import type { ShareResult } from '../../contract/api/admin.js';
import type { RequestContext } from './auditor.js';
import type { UploadKey } from './file-keys.js';
import { CredentialsExpiringError, planLinkLifetime, type LinkLifetime } from './link-lifetime.js';
import type { ObjectInfo } from './file-browser.js';
import type { AdminServices } from './services.js';
import { runSteps, type StepFailure } from './step-runner.js';

export type FileServices = Pick<AdminServices, 'browser' | 'auditor' | 'settings' | 'logger'>;

/** A presigned GET for the file, valid for the configured download lifetime (or less). */
export async function downloadFile(services: FileServices, context: RequestContext, { key, endpoint }: UploadKey): Promise<string> {
  const { browser, auditor, settings } = services;
  await browser.assertDownloadable(key);
  const file = await requireOrForget(services, context, { key, endpoint }, 'file.downloaded');
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
export async function shareFile(services: FileServices, context: RequestContext, { key, endpoint }: UploadKey, requestedSeconds: number): Promise<ShareResult> {
  const { browser, auditor } = services;
  await browser.assertDownloadable(key);
  const file = await requireOrForget(services, context, { key, endpoint }, 'file.shared');
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

export async function deleteFile({ browser, auditor, logger }: FileServices, context: RequestContext, { key, endpoint }: UploadKey): Promise<void> {
  // S3 deletes missing keys silently; the admin should hear 404. An infected or unscanned file is
  // deletable too, though the bucket policy refuses to read it.
  const file = await browser.requireForChange(key);
  // An infected file goes at once when its upload bound a checksum: a replayed URL could only store the
  // same bytes again, which the scan blocks again. The small-file checksum is optional, and a URL signed
  // without one binds only the length, so any other file waits until its upload URLs are dead.
  // (The reservation is read only when the wait would apply.)
  const seconds = secondsUntilUploadUrlsExpire(file, context.now);
  if (seconds > 0 && !(file.file?.scan.state === 'infected' && (await browser.uploadBoundChecksum(key, endpoint)))) {
    throw new PortalError('file_recently_uploaded', `This file arrived moments ago, and its upload link may still be valid; delete it again in ${seconds} s`);
  }
  const details = { name: file.name, size: file.size };
  const audit = auditor.destructive(context, { action: 'file.deleting', endpoint, target: key, details });
  const plan = {
    useCase: 'delete file',
    logger,
    before: audit.intent,
    onFailure: ({ failedStep }: StepFailure) => audit.result({ action: 'file.deleted', endpoint, target: key, details: { ...details, incomplete: true, failedStep } }),
  };
  await runSteps(plan, async (step) => {
    await step('delete object', () => browser.delete(key, endpoint));
    await step('audit deletion', () => audit.result({ action: 'file.deleted', endpoint, target: key, details }));
  });
}

/**
 * The object to make a link to. When it is gone (its Object Deleted event was lost), 404, and its
 * catalog entry is removed as reconcile would remove it, audited like a reconcile run (the entry the
 * admin saw listed changes), so the next listing no longer offers the file.
 */
async function requireOrForget({ browser, auditor, logger }: FileServices, context: RequestContext, { key, endpoint }: UploadKey, attempted: string): Promise<ObjectInfo> {
  const file = await browser.describe(key);
  if (file) return file;
  // The answer is 404 whatever the repair does: a failure of it is logged, and the next reconcile run
  // removes the entry.
  try {
    if (await browser.forgetMissing(key)) {
      await auditor.afterChange(context, {
        action: 'catalog.reconciled',
        endpoint,
        target: key,
        details: { done: true, resumed: false, thisCall: { checked: 1, added: 0, repaired: 0, removed: 1 }, found: `object gone at ${attempted}` },
      });
    }
  } catch (error) {
    logger.warn('catalog entry of a missing object not removed', { key, error: error as Error });
  }
  throw new PortalError('file_not_found', 'No such file');
}

/**
 * A small file's presigned PUT binds `If-None-Match: *`, so it stores nothing while the object exists,
 * but once the object is deleted a URL still alive could store it again. Every URL that can store this
 * key was signed before the object was stored (the key is reserved once, for one upload), so all of
 * them have expired SMALL_UPLOAD_MAX_EXPIRES_SECONDS after its LastModified: until then (the seconds
 * answered here) the delete is refused with 409 `file_recently_uploaded` and the time to try again.
 * (Multipart keys are safe at once: a completed upload's part URLs and completion find no upload.)
 */
function secondsUntilUploadUrlsExpire(file: { lastModified: Date | null }, now: Date): number {
  return file.lastModified ? secondsUntilUrlsExpire(file.lastModified.getTime(), now) : 0;
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
