// Endpoint records as the API shows them, and the endpoint list's order, filter and pages. Pure.
import { endpointState, type EndpointRecord, type StoredEndpoint } from '../shared/endpoint-record.js';
import type { EndpointList, EndpointState as ApiEndpointState, EndpointSummary } from '../../contract/api/admin.js';
import { decodeToken, encodeToken } from './page-token.js';

// The API's copy of the state names must stay equal to the shared one.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _statesMatch: Same<ApiEndpointState, ReturnType<typeof endpointState>> = true;
void _statesMatch;

/** The customer's sign-in page. */
export const customerPortalUrl = (portalUrl: string): string => `${portalUrl}/`;

export function toSummary({ record, etag }: StoredEndpoint, now: Date, portalUrl: string): EndpointSummary {
  return {
    name: record.name,
    displayName: record.displayName,
    customerEmail: record.customerEmail,
    expiresAt: record.expiresAt,
    maxFileSizeBytes: record.maxFileSizeBytes,
    // Absent in records written before quotas: no quota.
    quotaBytes: record.quotaBytes ?? null,
    quotaFiles: record.quotaFiles ?? null,
    allowedExtensions: record.allowedExtensions,
    notes: record.notes,
    disabled: record.disabled,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    updatedAt: record.updatedAt,
    state: endpointState(record, now),
    loginCount: record.logins.length,
    version: etag,
    portalUrl: customerPortalUrl(portalUrl),
  };
}

/** `q` matches name, display name, customer e-mail or a login, case-insensitively. */
export function matchesQuery(record: EndpointRecord, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  return [record.name, record.displayName, record.customerEmail, ...record.logins].some((v) => v.toLowerCase().includes(needle));
}

/** Newest first; equal creation times by name, so the order is total and pages never overlap. */
export function compareNewestFirst(a: EndpointRecord, b: EndpointRecord): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

interface ListToken {
  c: string;
  n: string;
}
const isListToken = (v: unknown): v is ListToken => typeof (v as ListToken)?.c === 'string' && typeof (v as ListToken)?.n === 'string';

/**
 * One page of the list. The token names the last item shown (keyset, not offset), so an endpoint
 * created between two page loads does not shift the next page.
 */
export function pageEndpoints(
  all: readonly StoredEndpoint[],
  options: { q: string; pageSize: number; continuationToken: string | null; now: Date; portalUrl: string },
): EndpointList {
  const sorted = all.filter((s) => matchesQuery(s.record, options.q)).sort((a, b) => compareNewestFirst(a.record, b.record));
  let start = 0;
  if (options.continuationToken) {
    const after = decodeToken(options.continuationToken, isListToken);
    const marker = { createdAt: after.c, name: after.n } as EndpointRecord;
    start = sorted.findIndex((s) => compareNewestFirst(s.record, marker) > 0);
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + options.pageSize);
  const last = page[page.length - 1];
  const more = start + options.pageSize < sorted.length && last !== undefined;
  return {
    endpoints: page.map((s) => toSummary(s, options.now, options.portalUrl)),
    nextToken: more ? encodeToken({ c: last.record.createdAt, n: last.record.name } satisfies ListToken) : null,
  };
}
