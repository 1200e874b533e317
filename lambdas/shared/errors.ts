// Typed errors with stable snake_case codes; the one place that turns any throw into an HTTP answer.

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 412 | 413 | 415 | 500 | 502 | 503;

export class PortalError extends Error {
  override readonly name: string = 'PortalError';
  /** Safe to show to the caller; false hides the message behind `server_error`. */
  readonly expose: boolean;
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    options?: { cause?: unknown; expose?: boolean },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.expose = options?.expose ?? status < 500;
  }
}

/** Constructors for the statuses every API shares, so codes stay consistent across Lambdas. */
export const badRequest = (code: string, message: string) => new PortalError(400, code, message);
export const unauthorized = (message = 'Authentication required') => new PortalError(401, 'unauthenticated', message);
export const forbidden = (code: string, message: string) => new PortalError(403, code, message);
export const notFound = (code: string, message: string) => new PortalError(404, code, message);
export const conflict = (code: string, message: string) => new PortalError(409, code, message);
export const tooLarge = (code: string, message: string) => new PortalError(413, code, message);
export const unsupportedMediaType = (message = 'Content-Type must be application/json') =>
  new PortalError(415, 'unsupported_media_type', message);

export function isPortalError(value: unknown): value is PortalError {
  // `name` check as well as instanceof: bundles can hold two copies of this module.
  return value instanceof PortalError || (value instanceof Error && value.name === 'PortalError');
}

export interface HttpError {
  status: number;
  body: { error: { code: string; message: string } };
}

/** Exposed errors keep their code and message; everything else becomes a generic 500. */
export function toHttpError(error: unknown): HttpError {
  if (isPortalError(error) && error.expose) {
    return { status: error.status, body: { error: { code: error.code, message: error.message } } };
  }
  const status = isPortalError(error) ? error.status : 500;
  return { status, body: { error: { code: 'server_error', message: 'Internal server error' } } };
}
