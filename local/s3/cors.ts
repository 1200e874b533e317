// Bucket CORS as S3 evaluates it: first rule matching origin, method and requested headers wins; preflights are unauthenticated.

/** Same shape as the stack's (CDK) bucket CORS rules, so the local server can be fed the very same config. */
export interface CorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders?: readonly string[];
  readonly exposedHeaders?: readonly string[];
  readonly maxAge?: number;
  readonly id?: string;
}

function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  if (pattern === '*') return true;
  const regex = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, ignoreCase ? 'i' : '');
  return regex.test(value);
}

export function findRule(
  rules: readonly CorsRule[] | undefined,
  origin: string,
  method: string,
  requestHeaders: readonly string[] = [],
): CorsRule | undefined {
  return rules?.find(
    (rule) =>
      rule.allowedOrigins.some((o) => wildcard(o, origin, false)) &&
      rule.allowedMethods.some((m) => m.toUpperCase() === method.toUpperCase()) &&
      requestHeaders.every((h) => (rule.allowedHeaders ?? []).some((p) => wildcard(p, h, true))),
  );
}

function allowOrigin(rule: CorsRule, origin: string): Record<string, string> {
  // A literal "*" rule answers "*" (and no credentials), like S3; any other match echoes the origin.
  return rule.allowedOrigins.includes('*') && rule.allowedOrigins.length === 1
    ? { 'Access-Control-Allow-Origin': '*' }
    : { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' };
}

export type PreflightResult = { ok: true; headers: Record<string, string> } | { ok: false; status: number; message: string };

export function preflight(
  rules: readonly CorsRule[] | undefined,
  origin: string | undefined,
  method: string | undefined,
  requestHeadersValue: string | undefined,
): PreflightResult {
  if (!origin) return { ok: false, status: 400, message: 'Insufficient information. Origin request header needed.' };
  if (!method) return { ok: false, status: 400, message: 'Invalid Access-Control-Request-Method: null' };
  if (!rules || rules.length === 0) return { ok: false, status: 403, message: 'CORSResponse: CORS is not enabled for this bucket.' };
  const requested = (requestHeadersValue ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  const rule = findRule(rules, origin, method, requested);
  if (!rule) return { ok: false, status: 403, message: 'CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource\'s CORS spec.' };
  const headers: Record<string, string> = {
    ...allowOrigin(rule, origin),
    'Access-Control-Allow-Methods': rule.allowedMethods.join(', '),
    Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (requested.length > 0) headers['Access-Control-Allow-Headers'] = requested.join(', ');
  if (rule.exposedHeaders?.length) headers['Access-Control-Expose-Headers'] = rule.exposedHeaders.join(', ');
  if (rule.maxAge !== undefined) headers['Access-Control-Max-Age'] = String(rule.maxAge);
  return { ok: true, headers };
}

/** Headers for an actual (non-preflight) response, including errors, so browsers can read S3's error documents. */
export function actualResponseHeaders(rules: readonly CorsRule[] | undefined, origin: string | undefined, method: string): Record<string, string> {
  if (!origin) return {};
  const rule = findRule(rules, origin, method);
  if (!rule) return {};
  const headers: Record<string, string> = {
    ...allowOrigin(rule, origin),
    'Access-Control-Allow-Methods': rule.allowedMethods.join(', '),
    Vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (rule.exposedHeaders?.length) headers['Access-Control-Expose-Headers'] = rule.exposedHeaders.join(', ');
  if (rule.maxAge !== undefined) headers['Access-Control-Max-Age'] = String(rule.maxAge);
  return headers;
}
