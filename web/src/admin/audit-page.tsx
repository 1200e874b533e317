// Recent admin actions, newest first, optionally for one endpoint and a date range.
import { useEffect, useState } from 'preact/hooks';
import type { AuditAction, AuditEvent } from '../../../contract/api/admin.js';
import { AUDIT_PAGE } from '../../../contract/limits.js';
import { failureText } from '../shared/api-client.js';
import { DataTable } from '../shared/data-table.js';
import { formatDateTime } from '../shared/format.js';
import { adminApi } from './api.js';
import { auditDateRange, auditEventsToCsv, auditEventsToJson, collectAuditEvents, exportFileName, MAX_EXPORT_EVENTS, type AuditExportFormat } from './audit-export.js';
import { Link } from './link.js';
import { hrefFor, navigate } from './router.js';
import { ErrorAlert } from '../shared/error-alert.js';

/** Every action has a label (a new action without one does not compile); an intent reads as "… started". */
export const ACTION_TEXT: Record<AuditAction, string> = {
  'endpoint.created': 'Endpoint created',
  'endpoint.updated': 'Endpoint changed',
  'endpoint.deleting': 'Endpoint deletion started',
  'endpoint.deleted': 'Endpoint deleted',
  'login.added': 'Login added',
  'login.removing': 'Login removal started',
  'login.removed': 'Login removed',
  'login.password_resetting': 'Password reset started',
  'login.password_reset': 'Password reset',
  'file.downloaded': 'File downloaded',
  'file.shared': 'File shared',
  'file.deleting': 'File deletion started',
  'file.deleted': 'File deleted',
  'file.released': 'File released without a clean scan',
  'file.infected': 'Malware found',
  'upload.started': 'Upload started by an admin',
  'upload.completing': 'Upload completion started',
  'upload.completed': 'Upload completed',
  'upload.aborting': 'Upload abort started',
  'upload.aborted': 'Upload aborted',
  'catalog.reconciled': 'Catalog reconciled',
  'notifications.updated': 'Notification settings changed',
  'notifications.secret_rotated': 'Webhook secret rotated',
  'notification.sent': 'E-mail sent',
  'notification.retried': 'E-mail to be retried',
  'notification.failed': 'E-mail failed',
  'webhook.sent': 'Webhook delivered',
  'webhook.failed': 'Webhook failed',
  'webhook.retried': 'Webhook to be retried',
};

/** The row's label: an unknown action (from a newer portal) as it is; a result cut short says so. */
export function actionLabel(event: Pick<AuditEvent, 'action' | 'details'>): string {
  const text = (ACTION_TEXT as Record<string, string | undefined>)[event.action] ?? event.action;
  return event.details.incomplete === true ? `${text} (incomplete)` : text;
}

export function summarizeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value as string | number | boolean | undefined)}`)
    .join(', ');
}

export function AuditPage({ endpoint }: { endpoint?: string }) {
  const [filter, setFilter] = useState({ endpoint: endpoint ?? '', from: '', to: '' });
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const [notice, setNotice] = useState('');
  const query = (f: typeof filter, token: string | null) => ({
    endpoint: f.endpoint.trim() || undefined,
    ...auditDateRange(f),
    continuationToken: token,
    // Exports read the largest pages; the list shows the API's default page.
    pageSize: AUDIT_PAGE.max,
  });

  const exportEvents = async (format: AuditExportFormat) => {
    setBusy(true);
    setNotice('');
    try {
      const { events: all, truncated } = await collectAuditEvents((token) => adminApi.listAudit(query(filter, token)));
      const body = format === 'csv' ? auditEventsToCsv(all) : auditEventsToJson(all);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([body], { type: format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json' }));
      link.download = exportFileName(format, { endpoint: filter.endpoint.trim() || undefined, from: filter.from || undefined, to: filter.to || undefined });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      setNotice(truncated ? `Exported the newest ${MAX_EXPORT_EVENTS.toLocaleString()} events; narrow the dates to export the rest.` : `Exported ${all.length.toLocaleString()} events.`);
      setError('');
    } catch (e) {
      setError(failureText(e, 'The audit log could not be exported.'));
    } finally {
      setBusy(false);
    }
  };

  const load = async (token: string | null, f = filter) => {
    setBusy(true);
    try {
      const page = await adminApi.listAudit({ ...query(f, token), pageSize: undefined });
      setEvents((current) => (token && current ? [...current, ...page.events] : page.events));
      setNextToken(page.nextToken);
      setError('');
    } catch (e) {
      setError(failureText(e, 'The audit log could not be loaded.'));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const next = { endpoint: endpoint ?? '', from: '', to: '' };
    setFilter(next);
    void load(null, next);
  }, [endpoint]);

  const apply = (event: Event) => {
    event.preventDefault();
    const href = hrefFor({ name: 'audit', endpoint: filter.endpoint.trim() || undefined });
    if (href !== location.pathname + location.search) navigate(href, { replace: true });
    void load(null);
  };

  return (
    <>
      <h1 tabIndex={-1}>Audit log{endpoint ? ` of ${endpoint}` : ''}</h1>
      <form class="card filters" onSubmit={apply}>
        <div class="field">
          <label for="audit-endpoint">Endpoint</label>
          <input id="audit-endpoint" value={filter.endpoint} placeholder="All endpoints" onInput={(e) => setFilter({ ...filter, endpoint: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="audit-from">From</label>
          <input id="audit-from" type="date" value={filter.from} onInput={(e) => setFilter({ ...filter, from: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="audit-to">To</label>
          <input id="audit-to" type="date" value={filter.to} onInput={(e) => setFilter({ ...filter, to: e.currentTarget.value })} />
        </div>
        <button type="submit" disabled={busy}>
          Filter
        </button>
        <button type="button" class="button-secondary" disabled={busy} onClick={() => exportEvents('csv')}>
          Export CSV
        </button>
        <button type="button" class="button-secondary" disabled={busy} onClick={() => exportEvents('json')}>
          Export JSON
        </button>
      </form>
      <ErrorAlert message={error} />
      {notice && <p role="status">{notice}</p>}
      {events === null && !error && <p>Loading…</p>}
      {events && events.length === 0 && <p class="empty">No admin actions recorded for this filter.</p>}
      {events && events.length > 0 && (
        <DataTable caption="Admin actions, newest first" columns={['When', 'Who', 'Action', 'Endpoint', 'Target', 'Details', 'From']} stack card>
          {events.map((event) => (
            <tr key={event.id}>
              <td>
                <time dateTime={event.at}>{formatDateTime(event.at)}</time>
              </td>
              <td class="name" data-label="Who">{event.actor.email || event.actor.subject}</td>
              <td data-label="Action">{actionLabel(event)}</td>
              <td data-label="Endpoint">{event.endpoint ? <Link href={hrefFor({ name: 'endpoint', endpoint: event.endpoint })}>{event.endpoint}</Link> : '–'}</td>
              <td class="name" data-label="Target">{event.target}</td>
              <td class="name details" data-label="Details">{summarizeDetails(event.details)}</td>
              <td data-label="From">{event.sourceIp}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {nextToken && (
        <button type="button" class="button-secondary" disabled={busy} onClick={() => load(nextToken)}>
          Load older events
        </button>
      )}
    </>
  );
}
