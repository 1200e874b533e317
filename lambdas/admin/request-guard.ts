// Rules every admin API call passes before any route runs: an admin principal, and for
// state-changing calls a same-origin proof and a JSON content type; plus the cross-site rule for the
// one GET with side effects (downloads). Pure functions of the request.
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../contract/api/admin.js';
import { PortalError } from '../shared/errors.js';
import type { AdminPrincipal, Principal } from '../shared/identity.js';

/** A customer's token is refused even if a listener rule sent it here by mistake. */
export function assertAdmin(principal: Principal): AdminPrincipal {
  if (principal.kind !== 'admin') throw new PortalError('admin_only', 'This API is for portal administrators only');
  return principal;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isStateChanging = (method: string): boolean => !SAFE_METHODS.has(method.toUpperCase());

/** The console's CSRF header as the ALB hands it over: names lowercased. */
const CSRF_HEADER_KEY = CSRF_HEADER.toLowerCase();

/**
 * CSRF rule for state-changing calls, checked in this order; the first header present decides:
 *  1. `Sec-Fetch-Site` (sent by every current browser, not settable by page script): must be
 *     `same-origin`. `same-site` is refused too: a sibling sub-domain is not the portal.
 *  2. else `Origin` (sent by browsers on every non-GET request): must equal PORTAL_URL's origin.
 *  3. else (old browsers, scripts, curl) `X-Requested-With: portal`, which a cross-site page can only
 *     send after a CORS preflight that this API never approves.
 * A cross-site HTML form sends `Sec-Fetch-Site: cross-site` or a foreign `Origin` and cannot add a
 * custom header, so it fails every branch; the console's same-origin fetch passes branch 1 or 2.
 * (Forms also cannot send `application/json` nor DELETE/PATCH, which the content-type rule adds.)
 * Returns the reason for refusal, or null when the request passes.
 */
export function csrfRefusal(headers: Record<string, string>, portalUrl: string): string | null {
  const fetchSite = headers['sec-fetch-site'];
  if (fetchSite !== undefined) return fetchSite.trim().toLowerCase() === 'same-origin' ? null : `Sec-Fetch-Site is ${fetchSite}`;
  const origin = headers.origin;
  if (origin !== undefined) return sameOrigin(origin, portalUrl) ? null : 'Origin is not the portal';
  if ((headers[CSRF_HEADER_KEY] ?? '').trim().toLowerCase() === CSRF_HEADER_VALUE) return null;
  return 'No Sec-Fetch-Site, Origin or X-Requested-With header';
}

function sameOrigin(origin: string, portalUrl: string): boolean {
  if (origin === 'null') return false; // sandboxed frames and some redirects: never trusted
  try {
    return new URL(origin).origin === new URL(portalUrl).origin;
  } catch {
    return false;
  }
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * POST, PUT and PATCH always need `Content-Type: application/json` (415 otherwise), even when the
 * body is empty, so no simple cross-site request can reach them. DELETE is exempt while it has no
 * body (the console's `fetch(url, {method: 'DELETE'})` sends none, and a cross-site DELETE needs a
 * preflight anyway); a DELETE that carries a body (purge confirmation) must declare it as JSON.
 */
export function assertJsonContentType(method: string, headers: Record<string, string>, bodyLength: number): void {
  const upper = method.toUpperCase();
  if (!isStateChanging(upper)) return;
  if (upper === 'DELETE' && bodyLength === 0) return;
  if (!JSON_TYPE.test(headers['content-type'] ?? '')) throw new PortalError('unsupported_media_type');
}

/** Both state-changing rules, CSRF first (a forged request learns nothing about content types). */
export function assertStateChangeAllowed(method: string, headers: Record<string, string>, bodyLength: number, portalUrl: string): void {
  if (!isStateChanging(method)) return;
  const refusal = csrfRefusal(headers, portalUrl);
  if (refusal !== null) throw new PortalError('csrf_rejected', `Cross-site request refused (${refusal})`);
  assertJsonContentType(method, headers, bodyLength);
}

/**
 * The download GET has side effects (an audit event, a presigned link), so a link or image on another
 * site must not trigger it with the admin's session cookie. `same-origin` is the console's own link,
 * `none` a typed or bookmarked URL; anything else a browser sends (`cross-site`, `same-site`, a sibling
 * sub-domain being another site here too) is refused. Without the header (old browsers, scripts) the
 * request passes, as any other GET does.
 */
export function assertNotCrossSite(headers: Record<string, string>): void {
  const site = headers['sec-fetch-site']?.trim().toLowerCase();
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new PortalError('cross_site', 'Downloads start from the portal itself, not from another site');
  }
}
