// What this endpoint accepts, shown before anything is sent.
import { formatBytes, formatDateTime, formatExtensions, formatRelative } from '../shared/format.js';
import { S3_MAX_OBJECT_BYTES } from '../../../contract/limits.js';
import type { Me } from './api.js';

/** "12 GB of 50 GB left, 80 of 100 files": uploads in progress count as used, as the portal counts them. */
export function quotaLeft(quota: NonNullable<Me['endpoint']>['quota']): string {
  const parts: string[] = [];
  if (quota.quotaBytes !== null) parts.push(`${formatBytes(quota.leftBytes ?? 0)} of ${formatBytes(quota.quotaBytes)}`);
  if (quota.quotaFiles !== null) parts.push(`${(quota.leftFiles ?? 0).toLocaleString('en-US')} of ${quota.quotaFiles.toLocaleString('en-US')} files`);
  return `${parts.join(', ')} left`;
}

export function LimitsPanel({ endpoint }: { endpoint: NonNullable<Me['endpoint']> }) {
  return (
    <section class="card limits" aria-labelledby="limits-heading">
      <h2 id="limits-heading">What you can send</h2>
      <dl>
        <div>
          <dt>Destination</dt>
          <dd>{endpoint.name}</dd>
        </div>
        <div>
          <dt>Maximum file size</dt>
          <dd>{endpoint.maxFileSizeBytes ? formatBytes(endpoint.maxFileSizeBytes) : `No limit (up to ${formatBytes(S3_MAX_OBJECT_BYTES)})`}</dd>
        </div>
        {endpoint.quota.quotaBytes !== null || endpoint.quota.quotaFiles !== null ? (
          <div>
            <dt>Space left</dt>
            <dd>{quotaLeft(endpoint.quota)}</dd>
          </div>
        ) : null}
        <div>
          <dt>Allowed file types</dt>
          <dd>{endpoint.allowedExtensions?.length ? formatExtensions(endpoint.allowedExtensions) : 'Any type'}</dd>
        </div>
        <div>
          <dt>Open until</dt>
          <dd>
            {endpoint.expiresAt ? (
              <>
                <time dateTime={endpoint.expiresAt}>{formatDateTime(endpoint.expiresAt)}</time> ({formatRelative(endpoint.expiresAt, Date.now())})
              </>
            ) : (
              'No expiry'
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}
