// ALB-style session cookie shards (the rule is contract/routes.ts `sessionCookieShard`).
import { sessionCookieShard as shardName } from '../../contract/routes.js';
import { expireCookie, serializeCookie, type CookieAttributes } from './cookies.js';

/** Browsers cap name=value at 4096 bytes; leave room for the name and the `-N` suffix. */
export const MAX_COOKIE_BYTES = 4096;

/** Splits an ASCII value so that each `<name>-<i>=<chunk>` fits in `maxBytes`. */
export function splitIntoShards(name: string, value: string, maxBytes = MAX_COOKIE_BYTES): string[] {
  const shards: string[] = [];
  for (let offset = 0, index = 0; offset < value.length || index === 0; index += 1) {
    const room = maxBytes - `${shardName(name, index)}=`.length;
    if (room <= 0) throw new Error('Cookie name too long');
    shards.push(value.slice(offset, offset + room));
    offset += room;
  }
  return shards;
}

/** The joined value of `<name>-0`, `<name>-1`, ... as sent by the browser; undefined without `-0`. */
export function joinShards(cookies: Map<string, string>, name: string): string | undefined {
  if (!cookies.has(shardName(name, 0))) return undefined;
  let value = '';
  for (let index = 0; cookies.has(shardName(name, index)); index += 1) value += cookies.get(shardName(name, index));
  return value;
}

/** How many consecutive shards the browser sent. */
export function countShards(cookies: Map<string, string>, name: string): number {
  let index = 0;
  while (cookies.has(shardName(name, index))) index += 1;
  return index;
}

/** Set-Cookie values that store `value` and expire shards left over from a longer earlier value. */
export function shardCookies(name: string, value: string, previousShards: number, attrs: CookieAttributes, maxBytes = MAX_COOKIE_BYTES): string[] {
  const shards = splitIntoShards(name, value, maxBytes);
  const headers = shards.map((chunk, index) => serializeCookie(shardName(name, index), chunk, attrs));
  for (let index = shards.length; index < previousShards; index += 1) headers.push(expireCookie(shardName(name, index), attrs));
  return headers;
}
