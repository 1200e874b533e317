import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ALBEvent } from 'aws-lambda';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { createAlbHandler } from '../../../../lambdas/shared/alb-handler.js';
import { createLogger } from '../../../../lambdas/shared/logger.js';
import type { HttpRequest, HttpResponse } from '../../../../lambdas/shared/http.js';
import { createWebApp, IMMUTABLE, resolvePath } from '../../../../lambdas/web/app.js';
import { MAX_ENCODED_BODY_BYTES } from '../../../../contract/response-limit.js';
import { createDiskStore } from '../../../../lambdas/web/static-files.js';
import { ADMIN_HTML, CUSTOMER_HTML, JS, makeSite, removeSites } from './fixture.js';

afterAll(removeSites);

const settings = {
  customerLogoutUrl: 'https://auth.portal.test/logout?client_id=abc&logout_uri=https%3A%2F%2Fportal.test%2Fsigned-out',
  adminLogoutUrl: '',
  s3Origins: ['https://bucket.s3.eu-west-1.amazonaws.com', 'https://bucket.s3.amazonaws.com'],
};
const root = makeSite();
const app = createWebApp({ settings, files: createDiskStore(root) });

const request = (path: string, headers: Record<string, string> = {}, method = 'GET'): HttpRequest => ({ method, path, query: {}, headers, body: Buffer.alloc(0), sourceIp: '203.0.113.9' });
const get = (path: string, headers: Record<string, string> = {}) => app(request(path, headers));
const text = (response: HttpResponse) => (Buffer.isBuffer(response.body) ? response.body.toString('utf8') : String(response.body ?? ''));

describe('web Lambda: pages and assets', () => {
  it('serves the customer page at / and /index.html, not cached without revalidation', async () => {
    for (const path of ['/', '/index.html']) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers?.['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers?.['cache-control']).toBe('no-cache');
      expect(text(response)).toBe(CUSTOMER_HTML);
    }
  });

  it('serves the console for /admin and every client-side route under it (SPA fallback)', async () => {
    for (const path of ['/admin', '/admin/', '/admin/endpoints/acme', '/admin/endpoints/acme/files', '/admin/audit', '/admin/index.html']) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(text(response)).toBe(ADMIN_HTML);
      expect(response.headers?.['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets under /assets and /admin/assets with a year of immutable caching', async () => {
    for (const path of ['/assets/customer-abc.js', '/admin/assets/customer-abc.js']) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers?.['content-type']).toBe('text/javascript; charset=utf-8');
      expect(response.headers?.['cache-control']).toBe(IMMUTABLE);
      expect(text(response)).toBe(JS);
    }
    expect(IMMUTABLE).toBe('public, max-age=31536000, immutable');
  });

  it('picks brotli, then gzip, by Accept-Encoding and says so', async () => {
    const br = await get('/assets/customer-abc.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers?.['content-encoding']).toBe('br');
    expect(br.headers?.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br.body as Buffer).toString()).toBe(JS);
    const gz = await get('/assets/customer-abc.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers?.['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body as Buffer).toString()).toBe(JS);
    const preferGzip = await get('/assets/customer-abc.js', { 'accept-encoding': 'br;q=0.5, gzip;q=1' });
    expect(preferGzip.headers?.['content-encoding']).toBe('gzip');
    const plain = await get('/assets/customer-abc.js', { 'accept-encoding': 'identity' });
    expect(plain.headers?.['content-encoding']).toBeUndefined();
  });

  it('serves the file as-is when no compressed variant exists', async () => {
    const response = await get('/assets/admin-def.js', { 'accept-encoding': 'br, gzip' });
    expect(response.headers?.['content-encoding']).toBeUndefined();
    expect(text(response)).toBe('export{}');
  });

  it('gives binary files their type, as a Buffer (base64 in the ALB result), never compressed', async () => {
    const response = await get('/assets/logo-123.png', { 'accept-encoding': 'br' });
    expect(response.headers?.['content-type']).toBe('image/png');
    expect(Buffer.isBuffer(response.body)).toBe(true);
    expect(response.headers?.vary).toBeUndefined();
  });

  it('answers conditional requests with 304', async () => {
    const first = await get('/', {});
    const etag = first.headers?.etag;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get('/', { 'if-none-match': `W/"other", ${etag}` });
    expect(again.status).toBe(304);
    expect(again.body).toBeUndefined();
    const br = await get('/assets/customer-abc.js', { 'accept-encoding': 'br' });
    expect(br.headers?.etag).not.toBe((await get('/assets/customer-abc.js')).headers?.etag);
  });

  it('serves the signed-out page and its unauthenticated /public assets', async () => {
    expect(text(await get('/signed-out'))).toContain('Signed out');
    const css = await get('/public/signed-out.css');
    expect(css.status).toBe(200);
    expect(css.headers?.['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/favicon.svg')).headers?.['content-type']).toBe('image/svg+xml');
  });

  it('answers /healthz with JSON', async () => {
    const response = await get('/healthz');
    expect(response.status).toBe(200);
    expect(JSON.parse(text(response))).toEqual({ status: 'ok' });
  });

  it.each([
    '/assets/missing.js',
    '/admin/assets/missing.js',
    '/admin/missing.js',
    '/admin/api/endpoints',
    '/nope',
    '/assets/../index.html',
    '/assets/%2e%2e/index.html',
    '/public/..%2Fadmin/index.html',
    '/assets/',
    '/assets/x%00.js',
    '/%E0%A4%A',
  ])('answers 404 for %s', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(404);
    expect(response.headers?.['content-security-policy']).toBeDefined();
    expect(JSON.parse(String(response.body))).toEqual({ error: { code: 'not_found', message: 'Not found' } });
  });

  it('refuses methods other than GET and HEAD; HEAD has headers but no body', async () => {
    const post = await app(request('/', {}, 'POST'));
    expect(post.status).toBe(405);
    expect(JSON.parse(String(post.body)).error.code).toBe('method_not_allowed');
    const head = await app(request('/assets/customer-abc.js', {}, 'HEAD'));
    expect(head.status).toBe(200);
    expect(head.body).toBeUndefined();
    expect(head.headers?.['content-type']).toBe('text/javascript; charset=utf-8');
  });
});

describe('web Lambda: security headers', () => {
  it('sends a strict CSP and the other security headers on every response', async () => {
    for (const path of ['/', '/admin/endpoints', '/assets/customer-abc.js', '/healthz', '/signout', '/nope']) {
      const headers = (await get(path)).headers ?? {};
      expect(headers['content-security-policy'], path).toBe(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
          "connect-src 'self' https://bucket.s3.eu-west-1.amazonaws.com https://bucket.s3.amazonaws.com; media-src 'self' blob:; worker-src 'self'; " +
          "manifest-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      );
      expect(headers['strict-transport-security']).toMatch(/^max-age=\d{8,}/);
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('no-referrer');
      expect(headers['x-frame-options']).toBe('DENY');
    }
  });

  it("lets the pages compile WebAssembly (the checksum worker) but never run eval or inline script", async () => {
    const csp = (await get('/')).headers?.['content-security-policy'] ?? '';
    const scriptSrc = csp.split('; ').find((d) => d.startsWith('script-src '))!.split(' ').slice(1);
    expect(scriptSrc).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(csp).not.toMatch(/'unsafe-eval'|'unsafe-inline'/);
    expect(csp).toContain("worker-src 'self'");
  });
});

describe('web Lambda: sign-out', () => {
  it('expires every customer session cookie shard and goes to the Cognito logout URL', async () => {
    const response = await get('/signout');
    expect(response.status).toBe(302);
    expect(response.headers?.location).toBe(settings.customerLogoutUrl);
    expect(response.headers?.['cache-control']).toBe('no-store');
    expect(response.cookies).toEqual([0, 1, 2, 3].map((i) => `PortalSession-${i}=; Path=/; Secure; HttpOnly; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`));
  });

  it('clears the browser\'s stored state for the origin, so saved uploads do not outlive the session on a shared computer', async () => {
    // Not "cookies": it would end every session of the registrable domain, the other audience's too.
    for (const path of ['/signout', '/admin/signout']) expect((await get(path)).headers?.['clear-site-data'], path).toBe('"cache", "storage"');
  });

  it('expires the admin cookies and lands on /signed-out when no admin logout URL is set', async () => {
    const response = await get('/admin/signout');
    expect(response.headers?.location).toBe('/signed-out');
    expect(response.cookies?.map((c) => c.split('=')[0])).toEqual(['PortalAdminSession-0', 'PortalAdminSession-1', 'PortalAdminSession-2', 'PortalAdminSession-3']);
  });

  it('sends all Set-Cookie values through the ALB with multi-value headers', async () => {
    const handler = createAlbHandler(createLogger('web-test'), (r) => app(r));
    const event: ALBEvent = { requestContext: { elb: { targetGroupArn: 'arn:tg' } }, httpMethod: 'GET', path: '/signout', body: null, isBase64Encoded: false, multiValueHeaders: {}, multiValueQueryStringParameters: {} };
    const result = await handler(event);
    expect(result.statusCode).toBe(302);
    expect(result.multiValueHeaders?.['set-cookie']).toHaveLength(4);
    expect(result.multiValueHeaders?.location).toEqual([settings.customerLogoutUrl]);
  });
});

describe('web Lambda: ALB response size', () => {
  it('sends compressed and binary bodies base64-encoded and text as-is through the ALB', async () => {
    const handler = createAlbHandler(createLogger('web-test'), (r) => app(r));
    const base = { requestContext: { elb: { targetGroupArn: 'arn:tg' } }, httpMethod: 'GET', body: null, isBase64Encoded: false, multiValueQueryStringParameters: {} };
    const br = await handler({ ...base, path: '/assets/customer-abc.js', multiValueHeaders: { 'accept-encoding': ['br'] } });
    expect(br.isBase64Encoded).toBe(true);
    expect(brotliDecompressSync(Buffer.from(br.body!, 'base64')).toString()).toBe(JS);
    const plain = await handler({ ...base, path: '/', multiValueHeaders: {} });
    expect(plain.isBase64Encoded).toBe(false);
    expect(plain.body).toBe(CUSTOMER_HTML);
  });

  it('never sends a body over the limit: falls back to a smaller encoding, else 500', async () => {
    const big = Buffer.alloc(MAX_ENCODED_BODY_BYTES + 10, 'a');
    const site = makeSite({ 'assets/big-1.js': big, 'assets/big-1.js.gz': Buffer.alloc(1000, 1), 'assets/huge-2.png': Buffer.alloc(800_000, 1) });
    const logger = { error: vi.fn() };
    const guarded = createWebApp({ settings, files: createDiskStore(site), logger });
    const fallback = await guarded(request('/assets/big-1.js', { 'accept-encoding': 'gzip' }));
    expect(fallback.headers?.['content-encoding']).toBe('gzip');
    const noFit = await guarded(request('/assets/big-1.js', {}));
    expect(noFit.status).toBe(500);
    expect(JSON.parse(String(noFit.body))).toEqual({ error: { code: 'server_error', message: 'Internal server error' } });
    // 800 KB of binary is over 1 MB once base64-encoded.
    expect((await guarded(request('/assets/huge-2.png'))).status).toBe(500);
    expect(logger.error).toHaveBeenCalledTimes(2);
  });
});

describe('resolvePath', () => {
  it('maps paths to files without touching the disk', () => {
    expect(resolvePath('/admin/assets/x.js', settings)).toEqual({ kind: 'file', path: 'assets/x.js', cache: IMMUTABLE });
    expect(resolvePath('/public/a/b.css', settings)).toEqual({ kind: 'file', path: 'public/a/b.css', cache: 'no-cache' });
    expect(resolvePath('/admin/endpoints/acme.co', settings)).toBeUndefined();
    expect(resolvePath('/index.htm', settings)).toBeUndefined();
  });
});
