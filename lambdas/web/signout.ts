// Sign-out: expire the ALB's session cookie shards, then go to the IdP's logout endpoint, which
// comes back to the unauthenticated /signed-out page.
import { PAGE_PATHS, SESSION_COOKIE_SHARDS, SESSION_COOKIES, sessionCookieShard, type Audience } from '../../contract/routes.js';
import type { HttpResponse } from '../shared/http.js';

export function expiredSessionCookies(audience: Audience): string[] {
  const name = SESSION_COOKIES[audience];
  return Array.from(
    { length: SESSION_COOKIE_SHARDS },
    (_, i) => `${sessionCookieShard(name, i)}=; Path=/; Secure; HttpOnly; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`,
  );
}

/**
 * Sign-out also clears what the pages keep in the browser for this origin: Golden Retriever's saved
 * uploads (localStorage, IndexedDB), kept file handles and cached pages, so on a shared computer the
 * next person finds nothing of the last one's uploads. Browsers honour it on https and localhost.
 * Not "cookies": that directive clears the cookies of the whole registrable domain (every sibling
 * site's sessions), and the other audience's session on this origin; this audience's session cookies
 * are expired one by one above, every shard the ALB can write.
 */
export const CLEAR_SITE_DATA = '"cache", "storage"';

export function signOutResponse(audience: Audience, logoutUrl: string): HttpResponse {
  return {
    status: 302,
    headers: { location: logoutUrl || PAGE_PATHS.signedOut, 'cache-control': 'no-store', 'clear-site-data': CLEAR_SITE_DATA },
    cookies: expiredSessionCookies(audience),
  };
}
