// Use case: change an endpoint's settings (PATCH), then bring its logins' enabled state in line.
//
// Nothing is undone on a failure: the record is saved and audited first, and the Cognito step only
// catches up with it, so repeating the PATCH finishes the job.
import { endpointState, type EndpointRecord } from '../shared/endpoint-record.js';
import type { EndpointSummary } from '../../contract/api/admin.js';
import type { RequestContext } from './auditor.js';
import { mapLimit } from '../shared/concurrency.js';
import type { CustomerLogins } from './customer-logins.js';
import type { PatchEndpointInput } from './endpoint-input.js';
import { assertVersionSeen } from './endpoint-store.js';
import { toSummary } from './endpoint-view.js';
import type { AdminServices } from './services.js';
import { runSteps } from './step-runner.js';

export type UpdateEndpointServices = Pick<AdminServices, 'store' | 'logins' | 'auditor' | 'settings' | 'logger'>;

export async function updateEndpoint(services: UpdateEndpointServices, context: RequestContext, name: string, input: PatchEndpointInput): Promise<EndpointSummary> {
  const { store, logins, auditor, settings } = services;
  const current = await store.get(name);
  assertVersionSeen(input.version, current.etag);
  const before = current.record;
  const after: EndpointRecord = { ...before, ...input.changes, updatedAt: context.now.toISOString() };

  return runSteps({ useCase: 'update endpoint', logger: services.logger }, async (step) => {
    const saved = await step('save record', () => store.replace(after, current.etag));
    // Audited as soon as the record has changed, so a Cognito failure below cannot leave it unrecorded.
    await step('audit change', () =>
      auditor.afterChange(context, {
        action: 'endpoint.updated',
        endpoint: name,
        target: name,
        details: { changes: changedFields(before, after, input), state: endpointState(after, context.now) },
      }),
    );
    // Always, not only when `disabled` changed: it also catches up with an expiry that has passed.
    // A failure here is answered as an error; repeating the PATCH finishes the job.
    await step('sync logins', () => syncLoginsEnabled(logins, after, context.now));
    return toSummary(saved, context.now, settings.portalUrl);
  });
}

/** The requested fields whose value really changed, as `{ from, to }` for the audit trail. */
export function changedFields(before: EndpointRecord, after: EndpointRecord, input: PatchEndpointInput): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of Object.keys(input.changes) as (keyof typeof input.changes)[]) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) changes[field] = { from: before[field], to: after[field] };
  }
  return changes;
}

/** Enables or disables every login of an endpoint to match its state (active = enabled). */
export async function syncLoginsEnabled(logins: CustomerLogins, record: EndpointRecord, now: Date): Promise<void> {
  const enabled = endpointState(record, now) === 'active';
  await mapLimit(record.logins, 4, (username) => logins.setEnabled(username, enabled));
}
