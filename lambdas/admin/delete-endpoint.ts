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
import type { DeleteEndpointResult } from '../../contract/api/admin.js';
import type { RequestContext } from './auditor.js';
import { mapLimit } from '../shared/concurrency.js';
import type { PurgeResult } from './endpoint-files.js';
import type { DeleteEndpointInput } from './endpoint-input.js';
import { assertVersionSeen } from './endpoint-store.js';
import type { AdminServices } from './services.js';
import { runSteps } from './step-runner.js';

export type DeleteEndpointServices = Pick<AdminServices, 'store' | 'logins' | 'endpointFiles' | 'auditor' | 'logger'>;

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
      const purged: PurgeResult | null = input.purgeFiles ? await step('purge files', () => endpointFiles.purge(name)) : null;
      await step('delete record', () => store.delete(name));
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
