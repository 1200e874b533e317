// The ALB stand-in: evaluates contract/routes.ts (same rules, same order), runs the authenticate actions
// (authorization-code flow, `/oauth2/idpresponse`, one sealed session cookie per audience, sharded
// over 4 KB), adds the signed identity headers and invokes the Lambda target with an ALB event.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { matchRoute, ROUTES, DEFAULT_ACTION, SESSION_COOKIES, type RouteRule, type RouteTarget } from '../../contract/routes.js';
import { multiValueHeaders, toAlbEvent, writeAlbResult, writePlain, splitRawUrl } from './alb-event.js';
import { ALB_MAX_BODY_BYTES } from '../../contract/limits.js';
import type { AlbTokenSigner } from './alb-token.js';
import { countShards, joinShards, shardCookies } from './cookie-shards.js';
import { expireCookie, parseCookies, serializeCookie, type CookieAttributes } from './cookies.js';
import { lambdaContext, targetGroupArn, type AlbHandler } from './lambda-target.js';
import type { OidcLogin, PendingLogin } from './oidc-login.js';
import { createSealedBox, type SealedBox } from './sealed-box.js';
import { isLiveSession, type Audience, type GatewaySession } from './session.js';

export const CALLBACK_PATH = '/oauth2/idpresponse';
/** The ALB's default session timeout (7 days), when the rule does not set one. */
export const DEFAULT_SESSION_TIMEOUT_SECONDS = 604_800;
/** Lifetime of one x-amzn-oidc-data token: it is minted per request, so short is enough. */
const IDENTITY_TOKEN_SECONDS = 120;

export interface GatewayOptions {
  /** The one origin the browser uses, e.g. http://localhost:3000 (no trailing slash). */
  portalUrl: string;
  routes?: readonly RouteRule[];
  logins: Record<Audience, OidcLogin>;
  /** Loaders, called once on a target's first request: the real handlers read process.env then. */
  targets: Record<RouteTarget, () => Promise<AlbHandler>>;
  sessionKey: Buffer;
  signer: AlbTokenSigner;
  /** Per audience, as the stack sets each authenticate action's sessionTimeout. */
  sessionTimeoutSeconds?: Partial<Record<Audience, number>>;
  now?: () => number;
  /** One line per request (npm start prints them; tests pass nothing). */
  log?: (line: string) => void;
}

export type GatewayHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const stateCookieName = (audience: Audience): string => `PortalAuthState-${audience}`;

export function createGatewayHandler(options: GatewayOptions): GatewayHandler {
  const routes = options.routes ?? ROUTES;
  const portal = new URL(options.portalUrl);
  const listenerPort = portal.port || (portal.protocol === 'https:' ? '443' : '80');
  const proto = portal.protocol.replace(':', '');
  const cookieAttrs: CookieAttributes = { path: '/', httpOnly: true, sameSite: 'Lax', secure: portal.protocol === 'https:' };
  const stateAttrs: CookieAttributes = { ...cookieAttrs, path: CALLBACK_PATH };
  const timeoutOf = (audience: Audience): number => options.sessionTimeoutSeconds?.[audience] ?? DEFAULT_SESSION_TIMEOUT_SECONDS;
  const nowSeconds = (): number => Math.floor((options.now?.() ?? Date.now()) / 1000);
  const boxes: Record<Audience, { session: SealedBox; state: SealedBox }> = {
    admin: { session: createSealedBox(options.sessionKey, 'session:admin'), state: createSealedBox(options.sessionKey, 'state:admin') },
    customer: { session: createSealedBox(options.sessionKey, 'session:customer'), state: createSealedBox(options.sessionKey, 'state:customer') },
  };
  const resolved = new Map<RouteTarget, Promise<AlbHandler>>();
  const target = (name: RouteTarget): Promise<AlbHandler> => {
    let handler = resolved.get(name);
    if (!handler) {
      handler = options.targets[name]();
      // A failed import is retried on the next request (the file may be mid-edit).
      handler.catch(() => resolved.delete(name));
      resolved.set(name, handler);
    }
    return handler;
  };

  function readSession(cookies: Map<string, string>, audience: Audience): GatewaySession | undefined {
    const sealed = joinShards(cookies, SESSION_COOKIES[audience]);
    const session = sealed === undefined ? undefined : boxes[audience].session.open(sealed);
    return isLiveSession(session, audience, nowSeconds()) ? session : undefined;
  }

  async function redirectToIdp(res: ServerResponse, audience: Audience, rawUrl: string): Promise<string> {
    const { authorizationUrl, pending } = await options.logins[audience].start(rawUrl, nowSeconds());
    const cookie = serializeCookie(stateCookieName(audience), boxes[audience].state.seal(pending), { ...stateAttrs, maxAgeSeconds: pending.expiresAt - nowSeconds() });
    res.writeHead(302, { location: authorizationUrl, 'set-cookie': cookie, 'cache-control': 'no-store', 'content-length': 0 }).end();
    return 'redirect to IdP';
  }

  /** `/oauth2/idpresponse`: ends the code flow of whichever audience's pending login matches `state`. */
  async function callback(req: IncomingMessage, res: ServerResponse, cookies: Map<string, string>): Promise<string> {
    const url = new URL(req.url ?? '/', options.portalUrl);
    const state = url.searchParams.get('state');
    let pending: PendingLogin | undefined;
    for (const audience of ['admin', 'customer'] as const) {
      const sealed = cookies.get(stateCookieName(audience));
      const candidate = sealed === undefined ? undefined : (boxes[audience].state.open(sealed) as PendingLogin | undefined);
      if (candidate && candidate.audience === audience && candidate.state === state && candidate.expiresAt > nowSeconds()) pending = candidate;
    }
    // Like the ALB: an unknown or stale state, or an IdP error, is a 401; the user starts over.
    if (!pending || url.searchParams.has('error')) {
      writePlain(res, 401, '401 Authorization Required');
      return `login refused (${url.searchParams.get('error') ?? 'no matching state'})`;
    }
    const login = options.logins[pending.audience];
    let completed;
    try {
      completed = await login.finish(url, pending);
    } catch (error) {
      writePlain(res, 401, '401 Authorization Required', { 'set-cookie': expireCookie(stateCookieName(pending.audience), stateAttrs) });
      return `login failed: ${(error as Error).message}`;
    }
    const session: GatewaySession = {
      audience: pending.audience,
      issuer: login.settings.issuer,
      clientId: login.settings.clientId,
      claims: completed.claims,
      accessToken: completed.accessToken,
      expiresAt: nowSeconds() + timeoutOf(pending.audience),
    };
    const name = SESSION_COOKIES[pending.audience];
    const setCookies = [
      ...shardCookies(name, boxes[pending.audience].session.seal(session), countShards(cookies, name), { ...cookieAttrs, maxAgeSeconds: timeoutOf(pending.audience) }),
      expireCookie(stateCookieName(pending.audience), stateAttrs),
    ];
    // Only ever back onto this origin: returnTo came from our own request line.
    const location = pending.returnTo.startsWith('/') && !pending.returnTo.startsWith('//') ? pending.returnTo : '/';
    res.writeHead(302, { location, 'set-cookie': setCookies, 'cache-control': 'no-store', 'content-length': 0 }).end();
    return `signed in (${pending.audience})`;
  }

  /** The body, or undefined when it passes the ALB's 1 MB limit (read to the end, so the 413 reaches the client). */
  async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    if (Number(req.headers['content-length'] ?? 0) > ALB_MAX_BODY_BYTES) return undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size <= ALB_MAX_BODY_BYTES) chunks.push(chunk as Buffer);
    }
    return size > ALB_MAX_BODY_BYTES ? undefined : Buffer.concat(chunks);
  }

  function targetHeaders(req: IncomingMessage, session: GatewaySession | undefined): Record<string, string[]> {
    const headers = multiValueHeaders(req.rawHeaders);
    // Identity headers come from the gateway alone: whatever the client sent is dropped.
    for (const name of Object.keys(headers)) if (name.startsWith('x-amzn-oidc-')) delete headers[name];
    const clientIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    const forwarded = headers['x-forwarded-for']?.join(', ');
    headers['x-forwarded-for'] = [forwarded ? `${forwarded}, ${clientIp}` : clientIp];
    headers['x-forwarded-proto'] = [proto];
    headers['x-forwarded-port'] = [listenerPort];
    headers['x-amzn-trace-id'] = [`Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`];
    if (session) {
      const exp = Math.min(session.expiresAt, nowSeconds() + IDENTITY_TOKEN_SECONDS);
      headers['x-amzn-oidc-data'] = [options.signer({ claims: session.claims, issuer: session.issuer, clientId: session.clientId, expiresAt: exp })];
      headers['x-amzn-oidc-identity'] = [String(session.claims.sub)];
      headers['x-amzn-oidc-accesstoken'] = [session.accessToken];
    }
    return headers;
  }

  async function forward(req: IncomingMessage, res: ServerResponse, rule: RouteRule, session: GatewaySession | undefined): Promise<string> {
    const body = await readBody(req);
    if (!body) {
      writePlain(res, 413, '413 Request Entity Too Large', { connection: 'close' });
      return '413 body over 1 MB';
    }
    const event = toAlbEvent({ method: req.method ?? 'GET', rawUrl: req.url ?? '/', headers: targetHeaders(req, session), body, targetGroupArn: targetGroupArn(rule.target) });
    let result;
    try {
      result = await (await target(rule.target))(event, lambdaContext(rule.target));
    } catch (error) {
      // A Lambda that throws is a 502 at the ALB; the stack goes to the local console only.
      console.error(`[gateway] ${rule.target} handler failed:`, error);
      writePlain(res, 502, '502 Bad Gateway');
      return `${rule.target} 502 (handler threw)`;
    }
    writeAlbResult(res, result);
    return `${rule.target} ${res.statusCode}`;
  }

  return async (req, res) => {
    const started = Date.now();
    let outcome: string;
    try {
      const cookies = parseCookies(req.headers.cookie);
      const { path } = splitRawUrl(req.url ?? '/');
      if (path === CALLBACK_PATH) {
        outcome = await callback(req, res, cookies);
      } else {
        const headers: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        const rule = matchRoute(path, headers, routes);
        if (!rule) {
          writePlain(res, DEFAULT_ACTION.status, DEFAULT_ACTION.body, { 'content-type': DEFAULT_ACTION.contentType });
          outcome = `default ${DEFAULT_ACTION.status}`;
        } else if (rule.fixed) {
          writePlain(res, rule.fixed.status, rule.fixed.body, { 'content-type': rule.fixed.contentType });
          outcome = `fixed ${rule.fixed.status} (${rule.id})`;
        } else if (rule.auth === 'none') {
          outcome = await forward(req, res, rule, undefined);
        } else {
          const session = readSession(cookies, rule.auth);
          if (session) outcome = await forward(req, res, rule, session);
          else if (rule.onUnauthenticated === 'authenticate') outcome = await redirectToIdp(res, rule.auth, req.url ?? '/');
          else {
            writePlain(res, 401, '401 Authorization Required');
            outcome = `401 (${rule.id}: no ${rule.auth} session)`;
          }
        }
      }
    } catch (error) {
      console.error('[gateway] request failed:', error);
      if (!res.headersSent) writePlain(res, 500, '500 Internal Server Error');
      else res.destroy();
      outcome = `500 (${(error as Error).message})`;
    }
    options.log?.(`${req.method} ${req.url} -> ${outcome} (${Date.now() - started} ms)`);
  };
}
