// The web Lambda's core: which file answers which path, with which headers. No AWS access.
import type { Logger } from '@aws-lambda-powertools/logger';
import { errorBody } from '../../contract/errors.js';
import { HEALTH_RESPONSE, PAGE_PATHS } from '../../contract/routes.js';
import { json, type HttpRequest, type HttpResponse } from '../shared/http.js';
import type { WebSettings } from './config.js';
import { isCompressible, isTextType } from '../../contract/content-types.js';
import { preferredEncodings, type ContentEncoding } from './encoding.js';
import { encodedBodySize, MAX_ENCODED_BODY_BYTES } from '../../contract/response-limit.js';
import { securityHeaders } from './security-headers.js';
import { signOutResponse } from './signout.js';
import type { StaticFile, StaticFileStore } from './static-files.js';

export const IMMUTABLE = 'public, max-age=31536000, immutable';

export interface WebAppDeps {
  settings: Pick<WebSettings, 'customerLogoutUrl' | 'adminLogoutUrl' | 's3Origins'>;
  files: StaticFileStore;
  logger?: Pick<Logger, 'error'>;
}

type Resolved =
  | { kind: 'file'; path: string; cache: string; fallbackNotFound?: boolean }
  | { kind: 'response'; response: HttpResponse };

/** Maps a URL path to a file under the web root (or a direct answer). Pure. */
export function resolvePath(path: string, settings: WebAppDeps['settings']): Resolved | undefined {
  const html = (file: string): Resolved => ({ kind: 'file', path: file, cache: 'no-cache' });
  switch (path) {
    // The ALB answers it itself (contract/routes.ts); the same answer here for a direct call.
    case PAGE_PATHS.health:
      return { kind: 'response', response: { status: HEALTH_RESPONSE.status, headers: { 'content-type': `${HEALTH_RESPONSE.contentType}; charset=utf-8`, 'cache-control': 'no-store' }, body: HEALTH_RESPONSE.body } };
    case PAGE_PATHS.customerSignOut:
      return { kind: 'response', response: signOutResponse('customer', settings.customerLogoutUrl) };
    case PAGE_PATHS.adminSignOut:
      return { kind: 'response', response: signOutResponse('admin', settings.adminLogoutUrl) };
    case '/':
    case '/index.html':
      return html('index.html');
    case PAGE_PATHS.signedOut:
    case `${PAGE_PATHS.signedOut}.html`:
      return html('signed-out.html');
    case '/favicon.svg':
      return { kind: 'file', path: 'favicon.svg', cache: 'public, max-age=86400' };
  }
  // Hashed build output: the customer page loads it from /assets/, the console from /admin/assets/
  // (the ALB only lets an admin session reach /admin/*, and a customer session reach /assets/*).
  for (const prefix of ['/assets/', '/admin/assets/']) {
    if (path.startsWith(prefix)) return { kind: 'file', path: `assets/${path.slice(prefix.length)}`, cache: IMMUTABLE };
  }
  if (path.startsWith('/public/')) return { kind: 'file', path: path.slice(1), cache: 'no-cache' };
  if (path.startsWith('/admin/api/')) return undefined;
  // The console is a single-page app: /admin/endpoints/acme etc. all get its page. Paths that look
  // like files (a dot in the last segment) are real misses, not routes.
  if (path === '/admin' || path === '/admin/' || (path.startsWith('/admin/') && !/\.[^/]*$/.test(path))) return html('admin/index.html');
  if (path === '/admin/index.html') return html('admin/index.html');
  return undefined;
}

export function createWebApp({ settings, files, logger }: WebAppDeps) {
  const security = securityHeaders(settings);
  const withSecurity = (response: HttpResponse): HttpResponse => ({ ...response, headers: { ...response.headers, ...security } });
  // Misses and refusals answer the APIs' JSON error shape (contract/errors.ts), like every other path.
  const notFound = (): HttpResponse => withSecurity(json(404, errorBody('not_found'), { 'cache-control': 'no-cache' }));

  return async (request: HttpRequest): Promise<HttpResponse> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return withSecurity(json(405, errorBody('method_not_allowed', 'Only GET and HEAD are allowed here'), { allow: 'GET, HEAD' }));
    }
    let path: string;
    try {
      path = decodeURIComponent(request.path);
    } catch {
      return notFound();
    }
    const resolved = resolvePath(path, settings);
    if (!resolved) return notFound();
    if (resolved.kind === 'response') return withSecurity(resolved.response);
    const file = files.get(resolved.path);
    if (!file) return notFound();
    const response = serveFile(file, resolved.cache, request, logger);
    return withSecurity(request.method === 'HEAD' ? { ...response, body: undefined } : response);
  };
}

function serveFile(file: StaticFile, cacheControl: string, request: HttpRequest, logger: WebAppDeps['logger']): HttpResponse {
  const compressible = isCompressible(file.contentType);
  const available = (Object.keys(file.bodies) as ContentEncoding[]).filter((e) => e !== 'identity');
  const candidates = compressible ? preferredEncodings(request.headers['accept-encoding'], available) : (['identity'] as ContentEncoding[]);
  const headers: Record<string, string> = { 'content-type': file.contentType, 'cache-control': cacheControl };
  if (compressible) headers.vary = 'Accept-Encoding';

  for (const encoding of candidates) {
    const body = file.bodies[encoding];
    if (!body) continue;
    // Text in plain form goes to the ALB as a string; anything else is base64-encoded by toAlbResult.
    const asText = encoding === 'identity' && isTextType(file.contentType);
    if (encodedBodySize(body.length, !asText) > MAX_ENCODED_BODY_BYTES) continue;
    const etag = encoding === 'identity' ? file.etag : `${file.etag.slice(0, -1)}-${encoding}"`;
    if (etagMatches(request.headers['if-none-match'], etag)) return { status: 304, headers: { ...headers, etag } };
    return {
      status: 200,
      headers: { ...headers, etag, ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }) },
      body: asText ? body.toString('utf8') : body,
    };
  }
  // The build refuses such files (web/vite.config.ts); this only guards a hand-edited WEB_ROOT.
  logger?.error('static file exceeds the ALB response limit in every encoding', { path: file.path, bytes: file.bodies.identity.length });
  return json(500, errorBody('server_error'));
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}
