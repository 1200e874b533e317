// Exporting the audit trail for a date range as CSV or JSON, assembled in the console from the audit
// API's pages (each within the ALB's 1 MB), so an export of any size never passes through one response.
import type { AuditEvent, AuditPage } from '../../../contract/api/admin.js';
import { endOfLocalDay, startOfLocalDay } from './endpoint-form.js';

export type AuditExportFormat = 'csv' | 'json';

/** A bound, so a runaway range cannot exhaust the browser; the console says when it was reached. */
export const MAX_EXPORT_EVENTS = 100_000;

/**
 * The audit API's `from` and `to` (ISO, both inclusive) for a range of whole days in the admin's time
 * zone, from the date inputs (`YYYY-MM-DD`, '' for open): from the first day's local midnight to the
 * last millisecond of the last day.
 */
export function auditDateRange(filter: { from: string; to: string }): { from: string | undefined; to: string | undefined } {
  return { from: (filter.from && startOfLocalDay(filter.from)) || undefined, to: (filter.to && endOfLocalDay(filter.to)) || undefined };
}

/** Every event of the query, following `nextToken`; `truncated` when MAX_EXPORT_EVENTS was reached. */
export async function collectAuditEvents(
  fetchPage: (continuationToken: string | null) => Promise<AuditPage>,
  maxEvents = MAX_EXPORT_EVENTS,
): Promise<{ events: AuditEvent[]; truncated: boolean }> {
  const events: AuditEvent[] = [];
  let token: string | null = null;
  do {
    const page: AuditPage = await fetchPage(token);
    events.push(...page.events);
    token = page.nextToken;
  } while (token && events.length < maxEvents);
  return { events: events.slice(0, maxEvents), truncated: token !== null || events.length > maxEvents };
}

export const AUDIT_CSV_COLUMNS = ['id', 'at', 'action', 'actor_email', 'actor_subject', 'endpoint', 'target', 'details', 'source_ip', 'request_id'] as const;

/**
 * One CSV cell (RFC 4180 quoting). A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
 * carriage return first) gets a leading `'`: targets and details hold customers' file names.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditEventsToCsv(events: readonly AuditEvent[]): string {
  const rows = events.map((e) =>
    [e.id, e.at, e.action, e.actor.email, e.actor.subject, e.endpoint ?? '', e.target, JSON.stringify(e.details), e.sourceIp, e.requestId].map(csvCell).join(','),
  );
  return `${[AUDIT_CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

export const auditEventsToJson = (events: readonly AuditEvent[]): string => `${JSON.stringify(events, null, 2)}\n`;

/** `audit-acme-2026-12-01-to-2026-12-04.csv`; parts left out when unset. */
export function exportFileName(format: AuditExportFormat, filter: { endpoint?: string; from?: string; to?: string }): string {
  const parts = ['audit', filter.endpoint, filter.from && `from-${filter.from}`, filter.to && `to-${filter.to}`].filter(Boolean);
  return `${parts.join('-')}.${format}`;
}
