import { describe, expect, it } from 'vitest';
import { assertAdmin, assertJsonContentType, assertStateChangeAllowed, csrfRefusal } from '../../../lambdas/admin/request-guard.js';
import { errorCode } from '../../support/portal-error.js';
import { ADMIN, CUSTOMER } from './harness.js';

const PORTAL = 'https://portal.example.com';

describe('assertAdmin', () => {
  it('passes an admin and refuses a customer with 403 admin_only', () => {
    expect(assertAdmin(ADMIN)).toBe(ADMIN);
    expect(errorCode(() => assertAdmin(CUSTOMER))).toBe('403 admin_only');
  });
});

describe('csrfRefusal', () => {
  it.each([
    // [case, headers, passes]
    ['console fetch, modern browser', { 'sec-fetch-site': 'same-origin' }, true],
    ['cross-site form, modern browser', { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }, false],
    ['sibling sub-domain', { 'sec-fetch-site': 'same-site', origin: 'https://other.example.com' }, false],
    ['typed into the address bar', { 'sec-fetch-site': 'none' }, false],
    ['Sec-Fetch-Site decides even with a good custom header', { 'sec-fetch-site': 'cross-site', 'x-requested-with': 'portal' }, false],
    ['Sec-Fetch-Site decides even with a good Origin', { 'sec-fetch-site': 'cross-site', origin: PORTAL }, false],
    ['old browser, same origin', { origin: PORTAL }, true],
    ['old browser, same origin, case differs', { origin: 'HTTPS://PORTAL.EXAMPLE.COM' }, true],
    ['old browser, cross-site form', { origin: 'https://evil.example' }, false],
    ['old browser, http downgrade', { origin: 'http://portal.example.com' }, false],
    ['other port', { origin: 'https://portal.example.com:8443' }, false],
    ['opaque origin', { origin: 'null' }, false],
    ['Origin decides even with the custom header', { origin: 'https://evil.example', 'x-requested-with': 'portal' }, false],
    ['script with the custom header', { 'x-requested-with': 'portal' }, true],
    ['custom header in another case', { 'x-requested-with': 'Portal' }, true],
    ['custom header with another value', { 'x-requested-with': 'XMLHttpRequest' }, false],
    ['no evidence at all', {}, false],
  ])('%s', (_case, headers, passes) => {
    expect(csrfRefusal(headers as Record<string, string>, PORTAL) === null).toBe(passes);
  });
});

describe('assertJsonContentType', () => {
  it.each([
    ['POST', 'application/json', 10, 'ok'],
    ['POST', 'application/json; charset=utf-8', 10, 'ok'],
    ['POST', 'text/plain', 10, '415 unsupported_media_type'],
    ['POST', 'application/x-www-form-urlencoded', 10, '415 unsupported_media_type'],
    ['POST', 'multipart/form-data; boundary=x', 10, '415 unsupported_media_type'],
    ['POST', undefined, 0, '415 unsupported_media_type'], // even without a body
    ['PATCH', 'application/jsonp', 10, '415 unsupported_media_type'],
    ['DELETE', undefined, 0, 'ok'], // bodiless DELETE is exempt
    ['DELETE', 'text/plain', 5, '415 unsupported_media_type'],
    ['DELETE', 'application/json', 5, 'ok'],
    ['GET', undefined, 0, 'ok'],
  ])('%s with %s and %i body bytes', (method, type, length, expected) => {
    const headers: Record<string, string> = type ? { 'content-type': type } : {};
    expect(errorCode(() => assertJsonContentType(method, headers, length))).toBe(expected);
  });
});

describe('assertStateChangeAllowed', () => {
  it('refuses a cross-site request with 403 csrf_rejected before looking at the content type', () => {
    expect(errorCode(() => assertStateChangeAllowed('POST', { 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' }, 3, PORTAL))).toBe('403 csrf_rejected');
  });
  it('lets safe methods through without any evidence', () => {
    expect(errorCode(() => assertStateChangeAllowed('GET', {}, 0, PORTAL))).toBe('ok');
  });
});
