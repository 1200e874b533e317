import { describe, expect, it } from 'vitest';
import { matchesPattern, matchRoute, ROUTES, SESSION_COOKIES } from '../../../contract/routes.js';

const route = (path: string, cookie?: string) => matchRoute(path, cookie ? { cookie } : {})?.id;

describe('route table', () => {
  it.each([
    ['/healthz', undefined, 'health'],
    ['/signed-out', undefined, 'public'],
    ['/admin', undefined, 'admin-pages'],
    ['/admin/endpoints/acme', undefined, 'admin-pages'],
    ['/admin/api/endpoints', undefined, 'admin-api'],
    ['/api/s3/multipart', undefined, 'customer-api'],
    ['/api/s3/multipart', `${SESSION_COOKIES.admin}-0=abc; other=1`, 'admin-uploads'],
    ['/api/s3/multipart', `${SESSION_COOKIES.customer}-0=abc`, 'customer-api'],
    ['/api/s3/multipart', `other=1; ${SESSION_COOKIES.admin}-0=abc`, 'admin-uploads'],
    ['/api/s3/multipart', `X${SESSION_COOKIES.admin}-0=abc`, 'customer-api'],
    ['/api/s3/multipart', `a=${SESSION_COOKIES.admin}-0=abc`, 'customer-api'],
    ['/', undefined, 'customer-pages'],
    ['/assets/index-abc123.js', undefined, 'customer-pages'],
    ['/administrator', undefined, undefined],
    ['/.env', undefined, undefined],
    ['/API/files', undefined, undefined],
  ])('%s (cookie %s) -> %s', (path, cookie, expected) => {
    expect(route(path, cookie)).toBe(expected);
  });

  it('keeps every rule within ALB limits', () => {
    for (const rule of ROUTES) {
      expect(rule.paths.length + (rule.header?.values.length ?? 0)).toBeLessThanOrEqual(5);
      for (const p of [...rule.paths, ...(rule.header?.values ?? [])]) expect(p.length).toBeLessThanOrEqual(128);
    }
    expect(new Set(ROUTES.map((r) => r.id)).size).toBe(ROUTES.length);
  });

  it('implements ALB wildcards over the whole value', () => {
    expect(matchesPattern('/admin/*', '/admin/')).toBe(true);
    expect(matchesPattern('/admin/*', '/admin')).toBe(false);
    expect(matchesPattern('/a?c', '/abc')).toBe(true);
    expect(matchesPattern('/a.c', '/abc')).toBe(false);
  });
});

describe('header conditions', () => {
  it('compare case-insensitively, as the ALB does', () => {
    expect(route('/api/files', `${SESSION_COOKIES.admin.toLowerCase()}-0=x`)).toBe('admin-uploads');
  });
});
