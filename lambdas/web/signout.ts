// Sign-out: expire the ALB's session cookie shards, then go to the IdP's logout endpoint, which
// comes back to the unauthenticated /signed-out page.
import { SESSION_COOKIES } from '../../contract/routes.js';
import type { HttpResponse } from '../shared/http.js';

/** The ALB splits session cookies over 4 KB into `<name>-0`, `<name>-1`, ...; 4 shards covers 16 KB. */
export const SESSION_COOKIE_SHARDS = 4;

export type Audience = keyof typeof SESSION_COOKIES;

export function expiredSessionCookies(audience: Audience): string[] {
  const name = SESSION_COOKIES[audience];
  return Array.from(
    { length: SESSION_COOKIE_SHARDS },
    (_, i) => `${name}-${i}=; Path=/; Secure; HttpOnly; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`,
  );
}

export function signOutResponse(audience: Audience, logoutUrl: string): HttpResponse {
  return {
    status: 302,
    headers: { location: logoutUrl || '/signed-out', 'cache-control': 'no-store' },
    cookies: expiredSessionCookies(audience),
  };
}
