// The admin console shell: navigation, session banner, and the page for the current route.
import { useEffect, useRef, useState } from 'preact/hooks';
import { PAGE_PATHS } from '../../../contract/routes.js';
import { SessionBanner } from '../shared/session-banner.js';
import { AuditPage } from './audit-page.js';
import { CreateEndpointPage } from './create-endpoint-page.js';
import { EndpointPage } from './endpoint-page.js';
import { EndpointsPage } from './endpoints-page.js';
import { FilesPage } from './files-page.js';
import { Link } from './link.js';
import { RecentPage } from './recent-page.js';
import { hrefFor, onNavigate, parseRoute, type AdminRoute } from './router.js';

const TITLES: Record<AdminRoute['name'], string> = {
  endpoints: 'Endpoints',
  'new-endpoint': 'New endpoint',
  endpoint: 'Endpoint',
  files: 'Files',
  recent: 'Recent files',
  audit: 'Audit log',
  'not-found': 'Not found',
};

export function AdminApp() {
  const [where, setWhere] = useState(() => ({ path: location.pathname, search: location.search }));
  const first = useRef(true);
  useEffect(() => onNavigate(() => setWhere({ path: location.pathname, search: location.search })), []);
  const route = parseRoute(where.path, where.search);

  // After an in-app navigation, move focus to the new page's heading (as a page load would).
  useEffect(() => {
    document.title = `${'endpoint' in route ? `${route.endpoint} – ` : ''}${TITLES[route.name]} · Upload portal admin`;
    if (first.current) {
      first.current = false;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [where.path]);

  const section = route.name === 'audit' ? 'audit' : route.name === 'new-endpoint' ? 'new' : route.name === 'recent' ? 'recent' : 'endpoints';
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">Upload portal admin</span>
        <nav class="topbar-nav" aria-label="Main">
          <Link href={hrefFor({ name: 'endpoints' })} current={section === 'endpoints'}>
            Endpoints
          </Link>
          <Link href={hrefFor({ name: 'new-endpoint' })} current={section === 'new'}>
            New endpoint
          </Link>
          <Link href={hrefFor({ name: 'recent' })} current={section === 'recent'}>
            Recent files
          </Link>
          <Link href={hrefFor({ name: 'audit' })} current={section === 'audit'}>
            Audit log
          </Link>
        </nav>
        <a class="topbar-link" href={PAGE_PATHS.adminSignOut}>
          Sign out
        </a>
      </header>
      <main class="page" id="main">
        <SessionBanner signInHref={where.path + where.search} />
        <Page route={route} />
      </main>
    </>
  );
}

function Page({ route }: { route: AdminRoute }) {
  switch (route.name) {
    case 'endpoints':
      return <EndpointsPage q={route.q} />;
    case 'new-endpoint':
      return <CreateEndpointPage />;
    case 'endpoint':
      return <EndpointPage key={route.endpoint} name={route.endpoint} />;
    case 'files':
      return <FilesPage endpoint={route.endpoint} prefix={route.prefix} />;
    case 'recent':
      return <RecentPage />;
    case 'audit':
      return <AuditPage endpoint={route.endpoint} />;
    case 'not-found':
      return (
        <>
          <h1 tabIndex={-1}>Page not found</h1>
          <p>
            <Link href={hrefFor({ name: 'endpoints' })}>Go to the endpoints</Link>
          </p>
        </>
      );
  }
}
