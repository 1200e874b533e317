// Read-only use cases on endpoints: the list page and one endpoint's detail (logins, usage from the catalog).
import type { EndpointDetail, EndpointList } from '../../contract/api/admin.js';
import { readEndpointUsage } from '../shared/catalog/catalog-reads.js';
import { mapLimit } from '../shared/concurrency.js';
import { pageEndpoints, toSummary } from './endpoint-view.js';
import type { AdminServices } from './services.js';

export interface EndpointListQuery {
  q: string;
  pageSize: number;
  continuationToken: string | null;
}

export async function listEndpoints({ store, settings }: Pick<AdminServices, 'store' | 'settings'>, query: EndpointListQuery, now: Date): Promise<EndpointList> {
  return pageEndpoints(await store.list(), { ...query, now, portalUrl: settings.portalUrl });
}

export async function describeEndpoint(
  { store, logins, catalog, settings }: Pick<AdminServices, 'store' | 'logins' | 'catalog' | 'settings'>,
  name: string,
  now: Date,
): Promise<EndpointDetail> {
  const stored = await store.get(name);
  const [loginInfo, usage] = await Promise.all([
    mapLimit(stored.record.logins, 8, (username) => logins.describe(username)),
    // The catalog's counters: no listing of the folder, however many files it holds.
    readEndpointUsage(catalog, stored.record.name),
  ]);
  return {
    ...toSummary(stored, now, settings.portalUrl),
    logins: loginInfo,
    fileCount: usage?.fileCount ?? 0,
    totalBytes: usage?.totalBytes ?? 0,
    usageComplete: true,
    usageReconciledAt: usage?.reconciledAt ?? null,
  };
}
