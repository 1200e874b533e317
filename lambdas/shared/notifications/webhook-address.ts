// Where a webhook may go. The admin API checks a URL when it is set and the notify Lambda checks every
// address the host name resolves to before each attempt (DNS may change in between: a name that
// pointed at a public address can be re-pointed at the instance metadata service). Only global unicast
// addresses pass; private, loopback, link-local, unique-local, carrier-grade NAT, multicast, unspecified,
// broadcast and the reserved and transition ranges (6to4, Teredo, NAT64 embed IPv4 addresses) are
// refused. The address classes come from ipaddr.js, not from hand-written masks. Locally
// (WEBHOOK_ALLOW_LOOPBACK_HTTP) http and loopback receivers are accepted as well, so tests can listen
// on 127.0.0.1; private addresses stay refused there too. What the audit trail and the logs say of a
// receiver is `receiverOf` its URL: a token in the query or a user and password would be a secret.
import ipaddr from 'ipaddr.js';
import { WEBHOOK_URL_MAX_LENGTH } from '../../../contract/notifications.js';

export interface WebhookAddressPolicy {
  /** Local portal only: http and loopback receivers. */
  allowLoopbackHttp: boolean;
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** The address's class as ipaddr.js names it (`unicast`, `private`, `loopback`, ...); IPv4-mapped IPv6 as its IPv4. */
export function addressRange(address: string): string {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range();
  }
  return parsed.range();
}

/** Whether a connection to this resolved address is allowed. */
export function isAllowedAddress(address: string, policy: WebhookAddressPolicy): boolean {
  if (!ipaddr.isValid(address)) return false;
  const range = addressRange(address);
  return range === 'unicast' || (policy.allowLoopbackHttp && range === 'loopback');
}

/** The host as an IP address when the URL names one (`[::1]` without its brackets), else null. */
export const literalAddress = (hostname: string): string | null => {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) && (bare.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(bare)) ? bare : null;
};

/**
 * A webhook URL as the admin may set it: https (http only with allowLoopbackHttp), no user or password,
 * no fragment, at most WEBHOOK_URL_MAX_LENGTH characters, and when the host is an address, an allowed
 * one. A host name is checked again at every delivery, after it is resolved.
 */
export function checkWebhookUrl(raw: unknown, policy: WebhookAddressPolicy): UrlCheck {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > WEBHOOK_URL_MAX_LENGTH) return { ok: false, reason: 'not a URL of at most 2000 characters' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'https:' && !(policy.allowLoopbackHttp && url.protocol === 'http:')) return { ok: false, reason: 'not https' };
  if (url.username || url.password) return { ok: false, reason: 'carries a user or password' };
  if (url.hash) return { ok: false, reason: 'carries a fragment' };
  if (!url.hostname) return { ok: false, reason: 'has no host' };
  const literal = literalAddress(url.hostname);
  if (literal !== null) {
    if (!isAllowedAddress(literal, policy)) return { ok: false, reason: `the address is in a refused range (${addressRange(literal)})` };
  } else if (/^(localhost|.*\.localhost|.*\.internal|.*\.local)$/i.test(url.hostname) && !policy.allowLoopbackHttp) {
    return { ok: false, reason: 'an internal host name' };
  } else if (!/^[a-z0-9.-]+$/i.test(url.hostname)) {
    // A decimal or hex form of an address (`http://2130706433/`) never gets here: URL normalises it to a dotted quad.
    return { ok: false, reason: 'not a DNS host name' };
  }
  return { ok: true, url };
}

/**
 * The receiver as the audit trail and the logs name it: scheme, host, port and path, without the user
 * and password, the query or the fragment (a receiver's token often rides in the query).
 */
export const receiverOf = (url: string): string => {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
};
