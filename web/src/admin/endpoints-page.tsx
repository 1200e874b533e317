// The endpoints list: search by name or e-mail, newest first, paged.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EndpointSummary } from '../../../contract/api/admin.js';
import { failureText } from '../shared/api-client.js';
import { DataTable } from '../shared/data-table.js';
import { formatBytes, formatDateTime, formatExtensions } from '../shared/format.js';
import { adminApi } from './api.js';
import { takeFlash } from './flash.js';
import { Link } from './link.js';
import { hrefFor, navigate } from './router.js';
import { StateBadge } from './state-badge.js';
import { ErrorAlert } from '../shared/error-alert.js';

export function EndpointsPage({ q }: { q?: string }) {
  const [query, setQuery] = useState(q ?? '');
  const [items, setItems] = useState<EndpointSummary[] | null>(null);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [flash] = useState(takeFlash);
  const request = useRef(0);

  const load = async (search: string, token: string | null) => {
    const id = ++request.current;
    setBusy(true);
    try {
      const page = await adminApi.listEndpoints({ q: search || undefined, continuationToken: token });
      if (id !== request.current) return; // a newer search answered first
      setItems((current) => (token && current ? [...current, ...page.endpoints] : page.endpoints));
      setNextToken(page.nextToken);
      setError('');
    } catch (e) {
      if (id === request.current) setError(failureText(e, 'The endpoints could not be loaded.'));
    } finally {
      if (id === request.current) setBusy(false);
    }
  };

  // Search as you type, a moment after the last key.
  useEffect(() => {
    const timer = setTimeout(() => {
      void load(query.trim(), null);
      const href = hrefFor({ name: 'endpoints', q: query.trim() || undefined });
      if (href !== location.pathname + location.search) navigate(href, { replace: true });
    }, 250);
    return () => clearTimeout(timer);
  }, [query]);

  return (
    <>
      <div class="section-head">
        <h1 tabIndex={-1}>Endpoints</h1>
        <Link href={hrefFor({ name: 'new-endpoint' })} class="button">
          New endpoint
        </Link>
      </div>
      {flash && (
        <div class="banner banner-ok" role="status">
          <p>{flash}</p>
        </div>
      )}
      <form class="search" role="search" onSubmit={(e) => { e.preventDefault(); void load(query.trim(), null); }}>
        <label for="endpoint-search">Search endpoints</label>
        <input id="endpoint-search" type="search" value={query} placeholder="Name or e-mail" onInput={(e) => setQuery(e.currentTarget.value)} />
      </form>
      <ErrorAlert message={error} />
      {items === null && !error && <p>Loading…</p>}
      {items && items.length === 0 && <p class="empty">{query ? 'No endpoint matches this search.' : 'No endpoints yet. Create the first one.'}</p>}
      {items && items.length > 0 && (
        <DataTable caption="Upload endpoints, newest first" columns={['Name', 'Customer', 'State', 'Expires', 'Limits', { label: 'Logins', numeric: true }, 'Created']} stack card>
          {items.map((endpoint) => (
            <tr key={endpoint.name}>
              <td class="name">
                <Link href={hrefFor({ name: 'endpoint', endpoint: endpoint.name })}>{endpoint.name}</Link>
                {endpoint.displayName && endpoint.displayName !== endpoint.name && <div class="sub">{endpoint.displayName}</div>}
              </td>
              <td class="name" data-label="Customer">{endpoint.customerEmail}</td>
              <td data-label="State">
                <StateBadge state={endpoint.state} />
              </td>
              <td data-label="Expires">{endpoint.expiresAt ? formatDateTime(endpoint.expiresAt) : 'Never'}</td>
              <td data-label="Limits">
                {endpoint.maxFileSizeBytes ? formatBytes(endpoint.maxFileSizeBytes) : 'Any size'}, {formatExtensions(endpoint.allowedExtensions)}
              </td>
              <td class="num" data-label="Logins">{endpoint.loginCount}</td>
              <td data-label="Created">{formatDateTime(endpoint.createdAt)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {nextToken && (
        <button type="button" class="button-secondary" disabled={busy} onClick={() => load(query.trim(), nextToken)}>
          Load more endpoints
        </button>
      )}
    </>
  );
}
