import { describe, expect, it } from 'vitest';
import { hrefFor, parseRoute, type AdminRoute } from '../../../web/src/admin/router.js';

describe('admin routes', () => {
  it.each<[string, string, AdminRoute]>([
    ['/admin', '', { name: 'endpoints' }],
    ['/admin/', '', { name: 'endpoints' }],
    ['/admin/endpoints', '?q=acme', { name: 'endpoints', q: 'acme' }],
    ['/admin/new', '', { name: 'new-endpoint' }],
    ['/admin/endpoints/new', '', { name: 'endpoint', endpoint: 'new' }],
    ['/admin/endpoints/acme-ltd', '', { name: 'endpoint', endpoint: 'acme-ltd' }],
    ['/admin/endpoints/acme/files', '', { name: 'files', endpoint: 'acme', prefix: '' }],
    ['/admin/endpoints/acme/files', '?prefix=q3%2Freports%2F', { name: 'files', endpoint: 'acme', prefix: 'q3/reports/' }],
    ['/admin/audit', '', { name: 'audit' }],
    ['/admin/audit', '?endpoint=acme', { name: 'audit', endpoint: 'acme' }],
    ['/admin/files', '', { name: 'recent' }],
    ['/admin/files/acme', '', { name: 'not-found' }],
    ['/admin/endpoints/acme/logins', '', { name: 'not-found' }],
    ['/admin/whatever', '', { name: 'not-found' }],
    ['/elsewhere', '', { name: 'not-found' }],
  ])('%s%s', (path, search, route) => expect(parseRoute(path, search)).toEqual(route));

  it.each<AdminRoute>([
    { name: 'endpoints' },
    { name: 'endpoints', q: 'a b' },
    { name: 'new-endpoint' },
    { name: 'endpoint', endpoint: 'acme' },
    { name: 'files', endpoint: 'acme', prefix: '' },
    { name: 'files', endpoint: 'acme', prefix: 'a & b/c/' },
    { name: 'recent' },
    { name: 'audit' },
    { name: 'audit', endpoint: 'acme' },
  ])('round-trips %j', (route) => {
    const url = new URL(hrefFor(route), 'https://portal.test');
    expect(parseRoute(url.pathname, url.search)).toEqual(route);
  });
});
