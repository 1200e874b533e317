// Which of the people the admin IdP signs in are portal administrators. Signing in at the admin IdP
// proves who someone is, not that they may run the portal (a company tenant admits every employee),
// so an admin token is accepted only for an e-mail on this list.
//
// `ADMIN_ALLOWED_EMAILS`: comma-separated addresses (`alice@corp.example`) and/or whole domains
// (`@corp.example`, that exact domain only, not its sub-domains), compared case-insensitively; or
// exactly `*`, the explicit opt-out ("everyone the admin IdP admits"). Fail-closed: unset or empty
// means nobody, and admin calls answer 403 `admin_not_allowed` while customers are unaffected (the
// uploads Lambda serves both, so a missing admin setting must not take customer uploads down).

export interface AdminAllowList {
  /** true only for the explicit `*`. */
  readonly everyone: boolean;
  /** Lower-cased full addresses. */
  readonly emails: ReadonlySet<string>;
  /** Lower-cased domains, without the `@`. */
  readonly domains: ReadonlySet<string>;
}

export const ADMIN_ALLOW_EVERYONE = '*';

/** Nobody: what an unset or empty ADMIN_ALLOWED_EMAILS means. */
export const NOBODY: AdminAllowList = { everyone: false, emails: new Set(), domains: new Set() };

// Addresses are compared only as ASCII: full Unicode case mapping would let a look-alike match a listed
// address (`\u212Aelly@corp.example`, with the Kelvin sign, lower-cases to `kelly@corp.example`), and
// NFKC folding has look-alikes of its own. Internationalised addresses are refused on both sides.
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

// Deliberately simple: one `@`, no spaces, commas (the variable's separator), `*` or quotes, and a
// DNS name. The list is written by the operator; the point is to catch typos (a missing `@`, a stray
// `*`) at synth and at the first request. One rule for both: the deployment config and the Lambdas.
const LOCAL_PART = /^[^\s@,*"]+$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

export type AllowListEntry = { kind: 'email'; address: string } | { kind: 'domain'; domain: string };

/** One entry, lower-cased: `alice@corp.example` or `@corp.example`; null when it is neither. */
export function parseAllowListEntry(raw: string): AllowListEntry | null {
  const trimmed = raw.trim();
  if (!PRINTABLE_ASCII.test(trimmed)) return null;
  const entry = trimmed.toLowerCase();
  const at = entry.lastIndexOf('@');
  if (at < 0 || !DOMAIN.test(entry.slice(at + 1))) return null;
  if (at === 0) return { kind: 'domain', domain: entry.slice(1) };
  return LOCAL_PART.test(entry.slice(0, at)) ? { kind: 'email', address: entry } : null;
}

/**
 * Parses the variable. Throws (a configuration error, naming the bad entries) for anything that is
 * neither an address nor `@domain`, and for `*` mixed with other entries, which is ambiguous.
 */
export function parseAdminAllowList(raw: string | undefined): AdminAllowList {
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return NOBODY;
  if (entries.includes(ADMIN_ALLOW_EVERYONE)) {
    if (entries.length > 1) throw new Error('ADMIN_ALLOWED_EMAILS: `*` (everyone the admin IdP admits) must be the only entry');
    return { everyone: true, emails: new Set(), domains: new Set() };
  }
  const emails = new Set<string>();
  const domains = new Set<string>();
  const invalid: string[] = [];
  for (const entry of entries) {
    const parsed = parseAllowListEntry(entry);
    if (!parsed) invalid.push(entry);
    else if (parsed.kind === 'domain') domains.add(parsed.domain);
    else emails.add(parsed.address);
  }
  if (invalid.length) {
    throw new Error(`ADMIN_ALLOWED_EMAILS: not an e-mail address or @domain: ${invalid.map((e) => JSON.stringify(e)).join(', ')}`);
  }
  return { everyone: false, emails, domains };
}

/** May the admin IdP's user with this e-mail act as an administrator? An empty e-mail never may (unless `*`). */
export function isAdminAllowed(list: AdminAllowList, email: string): boolean {
  if (list.everyone) return true;
  const trimmed = email.trim();
  if (!PRINTABLE_ASCII.test(trimmed)) return false;
  const address = trimmed.toLowerCase();
  const at = address.indexOf('@');
  // Exactly one `@` with something on both sides: `x@evil.example@corp.example` matches nothing.
  if (at <= 0 || at === address.length - 1 || address.indexOf('@', at + 1) !== -1) return false;
  return list.emails.has(address) || list.domains.has(address.slice(at + 1));
}

/** True when the list admits nobody (unset/empty variable), to say so in the 403's message. */
export const isEmptyAllowList = (list: AdminAllowList): boolean => !list.everyone && list.emails.size === 0 && list.domains.size === 0;
