// Who may upload where. A customer acts only in its own endpoint (`custom:endpoint`), only while its
// login is still one of the endpoint's (`record.logins`) and only while that endpoint is active; an
// admin may act in any endpoint that exists, named in `metadata.endpoint` at create and by the key's
// folder afterwards. Every key a client sends back is checked here, and so is a customer session that
// began before its login's "not before" time.
import { PortalError } from '../shared/errors.js';
import { endpointState, readEndpointRecord, type EndpointRecord } from '../shared/endpoint-record.js';
import type { CustomerPrincipal, Principal } from '../shared/identity.js';
import { parseObjectKey, type ParsedKey } from '../shared/object-key.js';
import { isEndpointName } from '../../contract/bucket-layout.js';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SignInVerifier } from './sign-in-verifier.js';

export interface UploadScope {
  principal: Principal;
  endpoint: string;
  record: EndpointRecord;
}

/** Reads endpoint records, reusing one for a short while: signing many parts should not cost a GET each. */
export class EndpointDirectory {
  private readonly cache = new Map<string, { record: EndpointRecord; until: number }>();

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly ttlMs: number,
    private readonly now: () => Date,
  ) {}

  /** `fresh` skips the cache (and refreshes it). */
  async get(name: string, options: { fresh?: boolean } = {}): Promise<EndpointRecord | null> {
    const cached = this.cache.get(name);
    const nowMs = this.now().getTime();
    if (cached && cached.until > nowMs && !options.fresh) return cached.record;
    const stored = await readEndpointRecord(this.s3, this.bucket, name);
    // A missing record is not cached: an admin who just created the endpoint can use it at once.
    if (stored) this.cache.set(name, { record: stored.record, until: nowMs + this.ttlMs });
    else this.cache.delete(name);
    return stored?.record ?? null;
  }
}

/** What the access rules read besides the request. */
export interface AccessSources {
  directory: EndpointDirectory;
  /** When a customer's session began, for a login with a "not before" time. */
  signIns: SignInVerifier;
}

/** The pure rule: may this principal act in `endpoint`, whose record is `record`? Returns the record or throws. */
export function assertEndpointAccess(principal: Principal, endpoint: string, record: EndpointRecord | null, now: Date): EndpointRecord {
  if (principal.kind === 'admin') {
    if (!record) throw new PortalError('endpoint_not_found', `There is no upload endpoint named "${endpoint}"`);
    return record;
  }
  if (principal.endpoint === null) throw new PortalError('no_endpoint', 'This login is not bound to an upload endpoint');
  if (endpoint !== principal.endpoint) throw new PortalError('endpoint_forbidden', 'You may only upload into your own endpoint');
  if (!record) throw new PortalError('endpoint_unknown', 'Your upload endpoint no longer exists');
  if (!isEndpointLogin(record, principal.username)) throw new PortalError('login_removed', 'This login has been removed from the upload endpoint');
  const state = endpointState(record, now);
  if (state === 'disabled') throw new PortalError('endpoint_disabled', 'This upload endpoint has been disabled');
  if (state === 'expired') throw new PortalError('endpoint_expired', 'This upload endpoint has expired');
  return record;
}

/**
 * A session that began before the login's "not before" time (an admin reset its password, or removed
 * the login that is listed again) is refused with 401 `session_revoked`, though its ALB cookie lives
 * on. Only a login with such a time pays for the check: its session must prove when it began with a
 * verified access token (sign-in-verifier.ts), and a session that cannot prove it is refused too
 * (fail closed; a new sign-in always brings a valid token, so nobody is locked out). Compared in whole
 * seconds, as `auth_time` is: a sign-in in the very second of the reset counts as after it, so the
 * first sign-in with the new password (set only after the cut-off is recorded, login-use-cases.ts) is
 * never refused; the price is that an old-password sign-in in that same second, before the reset,
 * would pass too.
 */
export async function assertSessionCurrent(record: EndpointRecord, principal: CustomerPrincipal, signIns: SignInVerifier): Promise<void> {
  const cutOff = record.sessionsNotBefore?.[principal.username.toLowerCase()];
  if (cutOff === undefined) return;
  const signedInAt = await signIns.verifiedSignInTime(principal);
  if (signedInAt === null || signedInAt < Math.floor(Date.parse(cutOff) / 1000)) {
    throw new PortalError('session_revoked', 'This session was ended by an administrator (the password was reset); sign in again');
  }
}

/**
 * Removing a login deletes the Cognito user, but the ALB's session cookie (and the token it signs on
 * every request) lives on until the session times out; the record's list is what ends access (at
 * once, or within the record cache's 30 s on a warm instance that has just read it).
 * `logins` holds the Cognito username the admin Lambda got back from AdminCreateUser: in the stack's
 * pool (e-mail as a username attribute) Cognito, and cognito-local alike, hands out the new user's
 * `sub` UUID; in a pool with plain usernames it is the lower-cased e-mail. Either way it is the
 * userinfo `username` claim the ALB signs into x-amzn-oidc-data. Compared case-insensitively, as the
 * pool's usernames are (CaseSensitive: false).
 */
export function isEndpointLogin(record: EndpointRecord, username: string): boolean {
  const wanted = username.toLowerCase();
  return wanted !== '' && record.logins.some((login) => login.toLowerCase() === wanted);
}

/**
 * A customer's endpoint record. A login missing from a cached record is checked again against the
 * stored one: a login the admin has just added must not be refused for the cache's lifetime. (A
 * removed login is refused once the cached record expires, as a disabled endpoint is.)
 */
async function customerRecord(principal: CustomerPrincipal, endpoint: string, directory: EndpointDirectory, fresh = false): Promise<EndpointRecord | null> {
  const record = await directory.get(endpoint, { fresh });
  if (fresh) return record;
  if (record && !isEndpointLogin(record, principal.username)) return directory.get(endpoint, { fresh: true });
  return record;
}

/**
 * The endpoint a request acts in when no key names it yet (create, small-file PUT, /api/me, /api/files).
 * Customers: their own (a different `requested` is refused). Admins: `requested`, which must exist.
 */
export async function resolveEndpointScope(
  principal: Principal,
  requested: string | undefined,
  sources: AccessSources,
  now: Date,
): Promise<UploadScope> {
  const { directory } = sources;
  if (principal.kind === 'admin') {
    if (!requested) throw new PortalError('endpoint_required', 'Name the endpoint to act in (metadata.endpoint or ?endpoint=)');
    if (!isEndpointName(requested)) throw new PortalError('invalid_endpoint', 'Not a valid endpoint name');
    return { principal, endpoint: requested, record: assertEndpointAccess(principal, requested, await directory.get(requested), now) };
  }
  const endpoint = principal.endpoint;
  if (endpoint === null) throw new PortalError('no_endpoint', 'This login is not bound to an upload endpoint');
  if (requested && requested !== endpoint) throw new PortalError('endpoint_forbidden', 'You may only upload into your own endpoint');
  const record = assertEndpointAccess(principal, endpoint, await customerRecord(principal, endpoint, directory), now);
  await assertSessionCurrent(record, principal, sources.signIns);
  return { principal, endpoint, record };
}

/**
 * For sign/list/complete/abort: the key must be a well-formed file key inside an endpoint the caller
 * may act in; otherwise 403, whatever the upload id (an upload id alone proves nothing).
 */
export async function resolveKeyScope(
  principal: Principal,
  key: string | undefined,
  sources: AccessSources,
  now: Date,
  options: { fresh?: boolean } = {},
): Promise<UploadScope & { key: string; parsed: ParsedKey }> {
  const { directory } = sources;
  if (!key) throw new PortalError('missing_key', 'The `key` query parameter is required');
  const parsed = parseObjectKey(key);
  const outside = () => new PortalError('key_forbidden', 'This key is outside your upload endpoint');
  if (principal.kind === 'customer') {
    // The caller's own endpoint state first: a disabled endpoint says so, whatever key is sent.
    const own = principal.endpoint;
    if (own === null) throw new PortalError('no_endpoint', 'This login is not bound to an upload endpoint');
    const record = assertEndpointAccess(principal, own, await customerRecord(principal, own, directory, options.fresh), now);
    await assertSessionCurrent(record, principal, sources.signIns);
    if (!parsed || parsed.endpoint !== own) throw outside();
    return { principal, endpoint: own, record, key, parsed };
  }
  if (!parsed) throw outside();
  const record = await directory.get(parsed.endpoint, options);
  if (!record) throw outside();
  return { principal, endpoint: parsed.endpoint, record, key, parsed };
}

/** Who uploaded, as recorded on the object: the e-mail, or the subject when there is none. */
export const uploaderOf = (principal: Principal): string => principal.email || principal.subject;
