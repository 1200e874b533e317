import { describe, expect, it } from 'vitest';
import { conflict, PortalError, toHttpError } from '../../../lambdas/shared/errors.js';

describe('toHttpError', () => {
  it('keeps the code and message of exposed errors', () => {
    expect(toHttpError(conflict('name_taken', 'Endpoint acme exists'))).toEqual({ status: 409, body: { error: { code: 'name_taken', message: 'Endpoint acme exists' } } });
  });

  it('hides internals of unexpected errors and of 5xx portal errors', () => {
    const hidden = { code: 'server_error', message: 'Internal server error' };
    expect(toHttpError(new Error('ECONNRESET at /var/task/index.mjs'))).toEqual({ status: 500, body: { error: hidden } });
    expect(toHttpError(new PortalError(503, 'cognito_unavailable', 'TooManyRequestsException from cognito'))).toEqual({ status: 503, body: { error: hidden } });
    expect(toHttpError('a string')).toEqual({ status: 500, body: { error: hidden } });
  });
});
