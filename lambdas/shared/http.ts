// The ALB Lambda event <-> a plain request/response, with the ALB's quirks handled in one place.
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { ALB_MAX_BODY_BYTES } from '../../contract/limits.js';
import { PortalError } from './errors.js';


export interface HttpRequest {
  method: string;
  path: string;
  /** URL-decoded (the ALB passes query values still encoded). Last value wins for repeats. */
  query: Record<string, string>;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Buffer;
  sourceIp: string;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  /** Several Set-Cookie values need the multi-value form, which ALB supports only when enabled. */
  cookies?: string[];
  body?: string | Buffer;
}

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw new PortalError('bad_query', 'Query string is not valid URL encoding');
  }
}

export function parseAlbEvent(event: ALBEvent): HttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    const last = values?.[values.length - 1];
    if (last !== undefined) headers[name.toLowerCase()] = last;
  }
  const query: Record<string, string> = {};
  const rawQuery = { ...(event.queryStringParameters ?? {}) };
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    const last = values?.[values.length - 1];
    if (last !== undefined) rawQuery[name] = last;
  }
  for (const [name, value] of Object.entries(rawQuery)) {
    if (value !== undefined) query[decodeComponent(name)] = decodeComponent(value);
  }
  const body = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  if (body.length > ALB_MAX_BODY_BYTES) throw new PortalError('body_too_large');
  // The ALB appends the client address last; earlier entries are client-supplied and untrusted.
  const forwarded = headers['x-forwarded-for']?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
  return {
    method: event.httpMethod.toUpperCase(),
    path: event.path || '/',
    query,
    headers,
    body,
    sourceIp: forwarded[forwarded.length - 1] ?? 'unknown',
  };
}

const TEXT_TYPE = /^(text\/|application\/(json|javascript|xml)|image\/svg\+xml)/;

export function toAlbResult(response: HttpResponse, multiValue: boolean): ALBResult {
  const headers = { ...(response.headers ?? {}) };
  const body = response.body ?? '';
  const contentType = headers['content-type'] ?? headers['Content-Type'] ?? '';
  const isText = typeof body === 'string' && (body === '' || TEXT_TYPE.test(contentType) || contentType === '');
  const encoded = isText ? { body: body, isBase64Encoded: false } : { body: Buffer.from(body).toString('base64'), isBase64Encoded: true };
  const statusDescription = `${response.status} ${STATUS_TEXT[response.status] ?? 'Status'}`;
  if (multiValue) {
    const multiValueHeaders: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(headers)) multiValueHeaders[name] = [value];
    if (response.cookies?.length) multiValueHeaders['set-cookie'] = response.cookies;
    return { statusCode: response.status, statusDescription, multiValueHeaders, ...encoded };
  }
  if (response.cookies?.length) headers['set-cookie'] = response.cookies[response.cookies.length - 1]!;
  return { statusCode: response.status, statusDescription, headers, ...encoded };
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 206: 'Partial Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  412: 'Precondition Failed', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
};

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

export function redirect(location: string, status: 302 | 303 = 302, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { location, 'cache-control': 'no-store', ...headers } };
}

/** Parses a JSON request body, refusing other content types (415) and malformed JSON (400). */
export function readJsonBody(request: HttpRequest): unknown {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) throw new PortalError('unsupported_media_type');
  if (request.body.length === 0) throw new PortalError('invalid_json', 'Request body is empty; expected JSON');
  try {
    return JSON.parse(request.body.toString('utf8')) as unknown;
  } catch {
    throw new PortalError('invalid_json', 'Request body is not valid JSON');
  }
}
