import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../../contract/errors.js';
import { PortalError, toHttpError } from '../../../lambdas/shared/errors.js';

describe('toHttpError', () => {
  it('keeps the code and message of exposed errors, with the status from the catalogue', () => {
    expect(toHttpError(new PortalError('endpoint_exists', 'Endpoint acme exists'))).toEqual({ status: 409, body: { error: { code: 'endpoint_exists', message: 'Endpoint acme exists' } } });
    expect(toHttpError(new PortalError('directory_busy'))).toEqual({ status: 503, body: { error: { code: 'directory_busy', message: ERROR_CATALOGUE.directory_busy.message } } });
  });

  it('hides internals of unexpected errors and of portal errors the catalogue does not expose', () => {
    const hidden = { code: 'server_error', message: 'Internal server error' };
    expect(toHttpError(new Error('ECONNRESET at /var/task/index.mjs'))).toEqual({ status: 500, body: { error: hidden } });
    expect(toHttpError(new PortalError('server_error', 'TooManyRequestsException from cognito'))).toEqual({ status: 500, body: { error: hidden } });
    expect(toHttpError('a string')).toEqual({ status: 500, body: { error: hidden } });
  });
});
