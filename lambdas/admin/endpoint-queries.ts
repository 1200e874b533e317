// Read-only use cases on endpoints: the list page and one endpoint's detail (logins, usage).
import type { EndpointDetail, EndpointList } from '../../contract/api/admin.js';
import { mapLimit } from './concurrency.js';
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
  { store, logins, endpointFiles, settings }: Pick<AdminServices, 'store' | 'logins' | 'endpointFiles' | 'settings'>,
  name: string,
  now: Date,
): Promise<EndpointDetail> {
  const stored = await store.get(name);
  const [loginInfo, usage] = await Promise.all([
    mapLimit(stored.record.logins, 8, (username) => logins.describe(username)),
    endpointFiles.usage(stored.record.name),
  ]);
  return {
    ...toSummary(stored, now, settings.portalUrl),
    logins: loginInfo,
    fileCount: usage.fileCount,
    totalBytes: usage.totalBytes,
    usageComplete: usage.complete,
  };
}
