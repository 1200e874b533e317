// The console's client-side routes under /admin. Pure parsing and formatting, plus a tiny
// history-based navigator.

export type AdminRoute =
  | { name: 'endpoints'; q?: string }
  | { name: 'new-endpoint' }
  | { name: 'endpoint'; endpoint: string }
  | { name: 'files'; endpoint: string; prefix: string }
  | { name: 'recent' }
  | { name: 'audit'; endpoint?: string }
  | { name: 'not-found' };

export function parseRoute(pathname: string, search = ''): AdminRoute {
  const params = new URLSearchParams(search);
  const path = pathname.replace(/\/+$/, '') || '/';
  const segments = path.split('/').filter(Boolean).map(safeDecode);
  if (segments[0] !== 'admin') return { name: 'not-found' };
  const [, section, name, sub, ...rest] = segments;
  if (section === undefined) return { name: 'endpoints', ...(params.get('q') ? { q: params.get('q')! } : {}) };
  if (section === 'endpoints') {
    if (name === undefined) return { name: 'endpoints', ...(params.get('q') ? { q: params.get('q')! } : {}) };
    if (sub === undefined) return { name: 'endpoint', endpoint: name };
    if (sub === 'files' && rest.length === 0) return { name: 'files', endpoint: name, prefix: params.get('prefix') ?? '' };
  }
  if (section === 'files' && name === undefined) return { name: 'recent' };
  // Not /admin/endpoints/new: "new" is a valid endpoint name.
  if (section === 'new' && name === undefined) return { name: 'new-endpoint' };
  if (section === 'audit' && name === undefined) {
    const endpoint = params.get('endpoint');
    return endpoint ? { name: 'audit', endpoint } : { name: 'audit' };
  }
  return { name: 'not-found' };
}

export function hrefFor(route: AdminRoute): string {
  const enc = encodeURIComponent;
  switch (route.name) {
    case 'endpoints':
      return route.q ? `/admin/endpoints?q=${enc(route.q)}` : '/admin/endpoints';
    case 'new-endpoint':
      return '/admin/new';
    case 'endpoint':
      return `/admin/endpoints/${enc(route.endpoint)}`;
    case 'files':
      return `/admin/endpoints/${enc(route.endpoint)}/files${route.prefix ? `?prefix=${enc(route.prefix)}` : ''}`;
    case 'recent':
      return '/admin/files';
    case 'audit':
      return route.endpoint ? `/admin/audit?endpoint=${enc(route.endpoint)}` : '/admin/audit';
    case 'not-found':
      return '/admin';
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

type Listener = () => void;
const listeners = new Set<Listener>();

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  listeners.forEach((l) => l());
}

export function onNavigate(listener: Listener): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}
