// The gateway's session cookies, unit-level: sealing (AES-GCM, bound to a purpose) and ALB-style
// sharding into `<name>-0`, `<name>-1`, ... when a value passes 4 KB.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { countShards, joinShards, MAX_COOKIE_BYTES, shardCookies, splitIntoShards } from '../../../local/gateway/cookie-shards.js';
import { parseCookies } from '../../../local/gateway/cookies.js';
import { createSealedBox } from '../../../local/gateway/sealed-box.js';

/** What a browser sends back for a list of Set-Cookie values (expired ones dropped). */
const browserCookieHeader = (setCookies: string[]): string =>
  setCookies.filter((c) => !/Max-Age=0/.test(c)).map((c) => c.split(';')[0]).join('; ');

describe('cookie shards', () => {
  it('names even a single shard -0, as the ALB does (the admin-uploads rule matches on it)', () => {
    const [cookie, ...rest] = shardCookies('PortalSession', 'abc', 0, { path: '/' });
    expect(rest).toEqual([]);
    expect(cookie).toMatch(/^PortalSession-0=abc; Path=\/;.*HttpOnly; SameSite=Lax$/);
  });

  it('splits a session over 4 KB so that every cookie fits, and joins it back', () => {
    const value = randomBytes(7000).toString('base64url'); // about 9.3 KB
    const setCookies = shardCookies('PortalAdminSession', value, 0, { path: '/', maxAgeSeconds: 3600 });
    expect(setCookies.map((c) => c.split('=')[0])).toEqual(['PortalAdminSession-0', 'PortalAdminSession-1', 'PortalAdminSession-2']);
    for (const c of setCookies) expect(Buffer.byteLength(c.split(';')[0]!)).toBeLessThanOrEqual(MAX_COOKIE_BYTES);
    const cookies = parseCookies(browserCookieHeader(setCookies));
    expect(countShards(cookies, 'PortalAdminSession')).toBe(3);
    expect(joinShards(cookies, 'PortalAdminSession')).toBe(value);
  });

  it('expires shards left over from a longer earlier session', () => {
    const setCookies = shardCookies('PortalSession', 'short', 3, { path: '/' });
    expect(setCookies).toHaveLength(3);
    expect(setCookies[1]).toMatch(/^PortalSession-1=; .*Max-Age=0/);
    expect(setCookies[2]).toMatch(/^PortalSession-2=; .*Max-Age=0/);
  });

  it('splits exactly at the limit', () => {
    const name = 'X';
    const room = MAX_COOKIE_BYTES - 'X-0='.length;
    expect(splitIntoShards(name, 'a'.repeat(room))).toHaveLength(1);
    expect(splitIntoShards(name, 'a'.repeat(room + 1))).toHaveLength(2);
  });

  it('ignores shards without a -0 and stops at the first gap', () => {
    expect(joinShards(parseCookies('S-1=b'), 'S')).toBeUndefined();
    expect(joinShards(parseCookies('S-0=a; S-2=c'), 'S')).toBe('a');
  });
});

describe('sealed box', () => {
  const key = randomBytes(32);

  it('round-trips a value the browser cannot read', () => {
    const box = createSealedBox(key, 'session:admin');
    const token = box.seal({ sub: 'abc', email: 'a@example.com' });
    expect(token).not.toContain('a@example.com');
    expect(box.open(token)).toEqual({ sub: 'abc', email: 'a@example.com' });
  });

  it('refuses a tampered token, another key, and another purpose (no admin cookie as a customer cookie)', () => {
    const token = createSealedBox(key, 'session:admin').seal({ sub: 'abc' });
    const raw = Buffer.from(token, 'base64url');
    raw[raw.length - 1]! ^= 1;
    expect(createSealedBox(key, 'session:admin').open(raw.toString('base64url'))).toBeUndefined();
    expect(createSealedBox(randomBytes(32), 'session:admin').open(token)).toBeUndefined();
    expect(createSealedBox(key, 'session:customer').open(token)).toBeUndefined();
    expect(createSealedBox(key, 'session:admin').open('not-a-token')).toBeUndefined();
  });
});
