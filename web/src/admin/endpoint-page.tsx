// One endpoint: usage (the catalog's counters), settings (edit, disable), logins (add, remove, reset
// password), reconcile of its catalog, delete.
import { useEffect, useState } from 'preact/hooks';
import type { EndpointDetail, LoginCredentials } from '../../../contract/api/admin.js';
import { failureText } from '../shared/api-client.js';
import { formatBytes, formatDateTime, formatExtensions } from '../shared/format.js';
import { adminApi } from './api.js';
import { CredentialsCard } from './credentials-card.js';
import { DeleteEndpoint } from './delete-endpoint.js';
import { Link } from './link.js';
import { LoginsSection } from './logins-section.js';
import { NotificationsSection } from './notifications-section.js';
import { ReconcileSection } from './reconcile-section.js';
import { hrefFor } from './router.js';
import { SettingsSection } from './settings-section.js';
import { StateBadge } from './state-badge.js';
import { ErrorAlert } from '../shared/error-alert.js';

export function EndpointPage({ name }: { name: string }) {
  const [detail, setDetail] = useState<EndpointDetail | null>(null);
  const [error, setError] = useState('');
  const [credentials, setCredentials] = useState<{ credentials: LoginCredentials; title: string } | null>(null);

  const reload = async () => {
    try {
      setDetail(await adminApi.getEndpoint(name));
      setError('');
    } catch (e) {
      setError(failureText(e, 'The endpoint could not be loaded.'));
    }
  };
  useEffect(() => {
    setDetail(null);
    void reload();
  }, [name]);

  const showCredentials = (value: LoginCredentials, title: string) => {
    setCredentials({ credentials: value, title });
    void reload();
  };

  return (
    <>
      <p class="breadcrumb">
        <Link href={hrefFor({ name: 'endpoints' })}>Endpoints</Link> / {name}
      </p>
      <div class="section-head">
        <h1 tabIndex={-1}>
          {name} {detail && <StateBadge state={detail.state} />}
        </h1>
        <div class="actions">
          <Link href={hrefFor({ name: 'files', endpoint: name, prefix: '' })} class="button">
            Browse files
          </Link>
          <Link href={hrefFor({ name: 'audit', endpoint: name })} class="button-secondary">
            Audit log
          </Link>
        </div>
      </div>
      <ErrorAlert message={error} />
      {!detail && !error && <p>Loading…</p>}
      {credentials && <CredentialsCard credentials={credentials.credentials} title={credentials.title} />}
      {detail && (
        <>
          <section class="card" aria-labelledby="usage-heading">
            <h2 id="usage-heading">Overview</h2>
            <dl>
              <div>
                <dt>Files</dt>
                <dd>
                  {detail.usageComplete ? '' : 'at least '}
                  {detail.fileCount.toLocaleString()}
                </dd>
              </div>
              <div>
                <dt>Total size</dt>
                <dd>
                  {detail.usageComplete ? '' : 'at least '}
                  {formatBytes(detail.totalBytes)}
                </dd>
              </div>
              <div>
                <dt>Customer</dt>
                <dd>{detail.customerEmail}</dd>
              </div>
              <div>
                <dt>Expires</dt>
                <dd>{detail.expiresAt ? formatDateTime(detail.expiresAt) : 'Never'}</dd>
              </div>
              <div>
                <dt>Limits</dt>
                <dd>
                  {detail.maxFileSizeBytes ? `up to ${formatBytes(detail.maxFileSizeBytes)}` : 'any size'}, {formatExtensions(detail.allowedExtensions)}
                </dd>
              </div>
              <div>
                <dt>Quota</dt>
                <dd>
                  {detail.quotaBytes ? `${formatBytes(detail.totalBytes)} of ${formatBytes(detail.quotaBytes)}` : 'no size quota'},{' '}
                  {detail.quotaFiles ? `${detail.fileCount.toLocaleString('en-US')} of ${detail.quotaFiles.toLocaleString('en-US')} files` : 'no file quota'}
                </dd>
              </div>
              <div>
                <dt>Portal URL</dt>
                <dd>{detail.portalUrl}</dd>
              </div>
              <div>
                <dt>Created</dt>
                <dd>
                  {formatDateTime(detail.createdAt)} by {detail.createdBy}
                </dd>
              </div>
            </dl>
          </section>
          <LoginsSection detail={detail} onCredentials={showCredentials} onChanged={reload} />
          <ReconcileSection endpoint={detail.name} reconciledAt={detail.usageReconciledAt} onDone={reload} />
          <SettingsSection detail={detail} onSaved={reload} />
          <NotificationsSection endpoint={detail.name} />
          <DeleteEndpoint name={detail.name} version={detail.version} />
        </>
      )}
    </>
  );
}
