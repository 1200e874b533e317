// Use case: delete an endpoint: end its access, remove its logins, optionally purge its files, then
// delete its record.
//
// Access ends first, so it ends even if a later step fails; every step can simply be retried, so
// nothing is undone. The record is disabled before anything else: a customer whose ALB session
// outlives the deleted login would otherwise still pass the record check and could complete an
// upload into the folder while its files are purged (the uploads Lambda sees the change within its
// 30 s record cache). The intent (`endpoint.deleting`) is stored before the first step, so even a
// Lambda timeout in the middle of a long purge leaves a record; a failure part-way is audited
// (`incomplete`, with the failed step's name), as something may already be gone.
//
// A purge waits until no upload URL the endpoint handed out can still store a file: a small file's
// presigned PUT lives up to 5 minutes, and the uploads Lambda may hand one out for as long as its
// record cache still says the endpoint is open. Until then the purge step answers 409
// `purge_too_soon` with the time to wait, after access has ended (disabled, logins removed), so the
// admin's second try finds nothing that could refill the folder.
//
// The webhook's signing secret (an object of its own) goes with the record: nothing names it after.
import type { DeleteEndpointResult } from '../../contract/api/admin.js';
import type { RequestContext } from './auditor.js';
import { mapLimit } from '../shared/concurrency.js';
import type { PurgeResult } from './endpoint-files.js';
import type { DeleteEndpointInput } from './endpoint-input.js';
import { assertVersionSeen } from './endpoint-store.js';
import type { AdminServices } from './services.js';
import { runSteps } from './step-runner.js';
import { ENDPOINT_RECORD_CACHE_SECONDS } from '../../contract/limits.js';
import { secondsUntilUrlsExpire } from './upload-url-expiry.js';
import type { EndpointRecord } from '../shared/endpoint-record.js';
import { PortalError } from '../shared/errors.js';
import { deleteWebhookSecret } from '../shared/notifications/webhook-secret-store.js';

/**
 * 409 `purge_too_soon` unless every upload URL the endpoint may have handed out has expired: the last
 * one was signed at most the record cache's life after the endpoint was disabled (its `updatedAt` when
 * it was disabled before this call, else now), and lives at most 5 minutes.
 */
export function assertNoLiveUploadUrls(record: EndpointRecord, now: Date): void {
  const disabledAt = record.disabled ? Date.parse(record.updatedAt) : Number.NaN;
  const closedAt = Number.isFinite(disabledAt) ? disabledAt : now.getTime();
  const seconds = secondsUntilUrlsExpire(closedAt + ENDPOINT_RECORD_CACHE_SECONDS * 1000, now);
  if (seconds > 0) {
    throw new PortalError('purge_too_soon', `The endpoint was open until moments ago, and an upload link it handed out may still be valid. Its access has ended; delete it again in ${seconds} s to purge its files`);
  }
}

export type DeleteEndpointServices = Pick<AdminServices, 'store' | 'logins' | 'endpointFiles' | 'auditor' | 'logger' | 's3' | 'settings'>;

/** `input.purgeFiles` is true only when the request repeated the endpoint's name (parseDeleteEndpoint). */
export async function deleteEndpoint(services: DeleteEndpointServices, context: RequestContext, name: string, input: DeleteEndpointInput): Promise<DeleteEndpointResult> {
  const { store, logins, endpointFiles, auditor } = services;
  const { record, etag } = await store.get(name);
  assertVersionSeen(input.version, etag);

  const audit = auditor.destructive(context, {
    action: 'endpoint.deleting',
    endpoint: name,
    target: name,
    details: { logins: record.logins, purgeFiles: input.purgeFiles },
  });
  return runSteps(
    {
      useCase: 'delete endpoint',
      logger: services.logger,
      before: audit.intent,
      onFailure: ({ failedStep }) =>
        audit.result({
          action: 'endpoint.deleted',
          endpoint: name,
          target: name,
          details: { incomplete: true, failedStep, purgeFiles: input.purgeFiles },
        }),
    },
    async (step) => {
      if (!record.disabled) await step('disable endpoint', () => store.replace({ ...record, disabled: true, updatedAt: context.now.toISOString() }, etag));
      await step('remove logins', () => mapLimit(record.logins, 4, (username) => logins.delete(username)));
      const purged: PurgeResult | null = input.purgeFiles
        ? await step('purge files', () => {
            assertNoLiveUploadUrls(record, context.now);
            return endpointFiles.purge(name);
          })
        : null;
      await step('delete record', () => store.delete(name));
      const secretId = record.notifications?.webhook?.secretId;
      if (secretId) await step('delete webhook secret', () => deleteWebhookSecret(services.s3, services.settings.bucket, name, secretId));
      const result: DeleteEndpointResult = { name, loginsRemoved: record.logins, filesPurged: purged?.files ?? null, uploadsAborted: purged?.uploadsAborted ?? null };
      await step('audit deletion', () =>
        audit.result({
          action: 'endpoint.deleted',
          endpoint: name,
          target: name,
          details: { loginsRemoved: record.logins, purgeFiles: input.purgeFiles, filesPurged: result.filesPurged, uploadsAborted: result.uploadsAborted },
        }),
      );
      return result;
    },
  );
}
