// One fetch wrapper for both pages: JSON in and out, the CSRF header on every call, and every
// failure turned into an ApiError carrying the API's stable code and a message for people.
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../../../contract/api/admin.js';
import { isErrorCode } from '../../../contract/errors.js';
import { httpStatusCode, messageForApiError, type FailureCode } from './error-messages.js';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when no answer arrived. */
    readonly status: number,
    readonly code: FailureCode,
    /** Already written for people (see error-messages.ts). */
    message: string,
    /** What the server said, for the details line. */
    readonly serverMessage?: string,
  ) {
    super(message);
  }
}

export const isApiError = (value: unknown): value is ApiError =>
  value instanceof ApiError || (value instanceof Error && value.name === 'ApiError');

/**
 * What a page shows when a call failed: an ApiError's message (already written for people), or the
 * page's own words for anything else (a bug, a thrown TypeError), whose text means nothing to them.
 */
export const failureText = (error: unknown, fallback: string): string => (isApiError(error) ? error.message : fallback);

/**
 * How a session ended: `expired` (the ALB session timed out or is gone: signing in again helps), or
 * `revoked` (the uploads API's `session_revoked`: an admin reset the password, but the ALB session
 * lives on, so signing in again would land on the same refused session; signing out first helps).
 */
export type SessionEnd = 'expired' | 'revoked';
type Listener = (end: SessionEnd) => void;
const sessionListeners = new Set<Listener>();

/** Called on any 401: the page then asks the person to sign in again (or out, then in). */
export function onSessionExpired(listener: Listener): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Extra query parameters; undefined/null values are left out. */
  query?: Record<string, string | number | boolean | null | undefined>;
}

export function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

/** Sends one request. Resolves with the parsed JSON body (undefined for 204/empty). */
export async function apiRequest<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', [CSRF_HEADER]: CSRF_HEADER_VALUE };
  const init: RequestInit = { method, headers, signal: options.signal, credentials: 'same-origin', redirect: 'manual' };
  if (method !== 'GET' && method !== 'HEAD') {
    // State-changing calls always carry JSON (the admin API answers 415 otherwise).
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body ?? {});
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', messageForApiError({ status: 0, code: 'network_error' }));
  }
  // A redirect to the sign-in page means the session is gone (fetch must not follow it cross-origin).
  if (response.type === 'opaqueredirect' || response.status === 401) {
    const revoked = response.status === 401 && parseErrorBody(await response.text().catch(() => ''), 401).code === 'session_revoked';
    for (const listener of sessionListeners) listener(revoked ? 'revoked' : 'expired');
    const code = revoked ? 'session_revoked' : 'unauthenticated';
    throw new ApiError(401, code, messageForApiError({ status: 401, code }));
  }
  const text = await response.text();
  if (!response.ok) {
    const { code, message } = parseErrorBody(text, response.status);
    throw new ApiError(response.status, code, messageForApiError({ status: response.status, code, message }), message);
  }
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, 'bad_response', messageForApiError({ status: response.status, code: 'bad_response' }));
  }
}

/**
 * `{"error":{"code","message"}}` with a catalogue code, or a code made from the status when the body is
 * something else or carries a code the catalogue lacks.
 */
export function parseErrorBody(text: string, status: number): { code: FailureCode; message?: string } {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (body?.error && isErrorCode(body.error.code)) {
      return { code: body.error.code, message: typeof body.error.message === 'string' ? body.error.message : undefined };
    }
  } catch {
    // not JSON: a proxy's or the ALB's own page
  }
  return { code: httpStatusCode(status) };
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => apiRequest<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => apiRequest<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => apiRequest<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, body?: unknown, options?: RequestOptions) => apiRequest<T>('DELETE', path, { ...options, body }),
};
