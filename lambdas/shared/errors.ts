// Typed errors with stable codes from the catalogue (contract/errors.ts), and the one place that turns
// any throw into an HTTP answer.
import { ERROR_CATALOGUE, errorBody, isExposed, type ApiErrorBody, type ErrorCode, type ErrorStatus } from '../../contract/errors.js';

export class PortalError extends Error {
  override readonly name: string = 'PortalError';
  readonly status: ErrorStatus;
  /** Safe to show to the caller; false hides the message behind `server_error`. */
  readonly expose: boolean;
  /** `message` defaults to the catalogue's; give a more precise one where the request says more. */
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CATALOGUE[code].message,
    options?: { cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.status = ERROR_CATALOGUE[code].status;
    this.expose = isExposed(code);
  }
}

export function isPortalError(value: unknown): value is PortalError {
  // `name` check as well as instanceof: bundles can hold two copies of this module.
  return value instanceof PortalError || (value instanceof Error && value.name === 'PortalError');
}

export interface HttpError {
  status: number;
  body: ApiErrorBody;
}

/** Exposed errors keep their code and message; everything else becomes a generic `server_error` (its status kept). */
export function toHttpError(error: unknown): HttpError {
  if (isPortalError(error) && error.expose) return { status: error.status, body: errorBody(error.code, error.message) };
  const status = isPortalError(error) ? error.status : 500;
  return { status, body: errorBody('server_error') };
}
