// THE route table and the ALB sessions behind it. The ALB listener rules are generated from it
// (infra/listener-rules.ts) and the local gateway (local/gateway) interprets the same table, so both
// behave alike. First match wins.
import { errorBody } from './errors.js';

export type RouteAuth = 'none' | 'admin' | 'customer';
export type RouteTarget = 'web' | 'uploads' | 'admin';

/** An answer the ALB gives itself (a fixed-response action: at most 1,024 characters of body). */
export interface FixedResponse {
  readonly status: number;
  readonly contentType: 'application/json' | 'text/plain';
  readonly body: string;
}

export interface RouteRule {
  /** Stable id, used for construct ids and test names. */
  id: string;
  /** ALB path-pattern values (`*` and `?` wildcards, case-sensitive, at most 128 characters). */
  paths: string[];
  /** Optional ALB http-header condition; values use the same wildcards. */
  header?: { name: string; values: string[] };
  auth: RouteAuth;
  /** What the authenticate action does without a session: redirect to the IdP, or answer 401. */
  onUnauthenticated: 'authenticate' | 'deny';
  /** The Lambda that answers; unused when the ALB answers itself (`fixed`). */
  target: RouteTarget;
  /** The ALB answers this itself and invokes no Lambda. */
  fixed?: FixedResponse;
}

/** The ALB session cookie of each authenticated audience. Shards are `<name>-0`, `<name>-1`, ... */
export const SESSION_COOKIES = { admin: 'PortalAdminSession', customer: 'PortalSession' } as const;
export type Audience = keyof typeof SESSION_COOKIES;

/**
 * Browsers drop cookies over 4 KB, so the ALB splits its session cookie into `<name>-0`, `<name>-1`, ...
 * (always with the `-0` suffix, even for one shard; the admin-uploads rule below matches on `<name>-0=`).
 */
export const sessionCookieShard = (name: string, index: number): string => `${name}-${index}`;
/** Sign-out expires this many shards: the ALB writes session cookies of at most 16 KB, so at most 4 shards of 4 KB. */
export const SESSION_COOKIE_SHARDS = 4;

/** The scopes the authenticate actions ask for: the userinfo claims the Lambdas read (e-mail, name). */
export const ALB_SCOPES = 'openid email profile';

/** ALB session lifetimes unless the deployment config says otherwise. */
export const SESSION_TIMEOUT_DEFAULTS = {
  /** 8 h: a long upload must not lose its session. */
  customer: 8 * 3600,
  /** 1 h: admins hold more power. */
  admin: 3600,
} as const satisfies Record<Audience, number>;

/**
 * The page paths more than one side names: the route table, the web Lambda, the pages' links, and the
 * logout URLs the IdPs are told (Cognito's LogoutURLs, the OIDC post-logout redirect).
 */
export const PAGE_PATHS = {
  health: '/healthz',
  /** Anonymous: where a sign-out ends up, also when no IdP logout URL is configured. */
  signedOut: '/signed-out',
  customerSignOut: '/signout',
  adminSignOut: '/admin/signout',
} as const;

export const HEALTH_RESPONSE: FixedResponse = { status: 200, contentType: 'application/json', body: '{"status":"ok"}' };

export const ROUTES: readonly RouteRule[] = [
  // The ALB answers health checks itself: anonymous requests in any number invoke no Lambda.
  { id: 'health', paths: [PAGE_PATHS.health], auth: 'none', onUnauthenticated: 'deny', target: 'web', fixed: HEALTH_RESPONSE },
  // The signed-out page and public assets are anonymous; they reach only the web Lambda, whose
  // reserved concurrency keeps a flood of them from taking capacity from uploads.
  { id: 'public', paths: [PAGE_PATHS.signedOut, '/public/*'], auth: 'none', onUnauthenticated: 'deny', target: 'web' },
  { id: 'admin-api', paths: ['/admin/api/*'], auth: 'admin', onUnauthenticated: 'deny', target: 'admin' },
  // PAGE_PATHS.adminSignOut among them.
  { id: 'admin-pages', paths: ['/admin', '/admin/*'], auth: 'admin', onUnauthenticated: 'authenticate', target: 'web' },
  {
    // An admin uploading into an endpoint from the console talks to the same upload API.
    id: 'admin-uploads',
    paths: ['/api/*'],
    // Anchored to a cookie boundary, so a cookie named `XPortalAdminSession-0` or a value containing
    // the name does not route a customer here (the ALB would then deny them).
    header: { name: 'Cookie', values: [`${SESSION_COOKIES.admin}-0=*`, `*; ${SESSION_COOKIES.admin}-0=*`] },
    auth: 'admin',
    onUnauthenticated: 'deny',
    target: 'uploads',
  },
  { id: 'customer-api', paths: ['/api/*'], auth: 'customer', onUnauthenticated: 'deny', target: 'uploads' },
  { id: 'customer-pages', paths: ['/', '/index.html', '/assets/*', PAGE_PATHS.customerSignOut, '/favicon.svg'], auth: 'customer', onUnauthenticated: 'authenticate', target: 'web' },
];

/** What the ALB answers when no rule matches: reveals nothing about what exists, in the APIs' error shape. */
export const DEFAULT_ACTION = { status: 404, contentType: 'application/json', body: JSON.stringify(errorBody('not_found')) } as const;

/**
 * ALB condition semantics: `*` any run of characters, `?` one character, over the whole value.
 * Path patterns are case-sensitive; http-header values are compared case-insensitively.
 */
export function matchesPattern(pattern: string, value: string, caseSensitive = true): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseSensitive ? 's' : 'si').test(value);
}

/** The first rule that matches a request, as the ALB evaluates them; undefined = the default action. */
export function matchRoute(path: string, headers: Record<string, string | undefined>, routes = ROUTES): RouteRule | undefined {
  return routes.find((rule) => {
    if (!rule.paths.some((p) => matchesPattern(p, path))) return false;
    if (!rule.header) return true;
    const value = headers[rule.header.name.toLowerCase()];
    return value !== undefined && rule.header.values.some((p) => matchesPattern(p, value, false));
  });
}
