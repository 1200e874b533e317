import { describe, expect, it } from 'vitest';
import {
  isExpiredSignature,
  messageForApiError,
  messageForS3Failure,
  NETWORK_DOWN,
  s3ErrorCode,
  SIGN_IN_AGAIN,
} from '../../../web/src/shared/error-messages.js';
import { ERROR_CATALOGUE, ERROR_CODES } from '../../../contract/errors.js';

describe('messageForApiError', () => {
  it.each([
    [403, 'endpoint_expired', /expired.*ask your contact/i],
    [403, 'endpoint_disabled', /disabled/],
    [413, 'file_too_large', /larger than the maximum/],
    [400, 'extension_not_allowed', /type are not accepted/],
    [400, 'invalid_filename', /file name cannot be used/],
    [409, 'endpoint_exists', /already exists/],
    [409, 'conflict', /Someone else changed this/],
    [400, 'confirmation_mismatch', /does not match/],
    [404, 'no_such_upload', /no longer knows this upload/],
    [409, 'parts_missing', /did not arrive intact/],
    [400, 'use_multipart', /Reload the page/],
    [400, 'invalid_part_number', /Reload the page/],
    // The file catalog's listing and the reconcile's steps.
    [400, 'invalid_token', /lost its place in a list or a reconcile.*Reload the page/],
    [400, 'invalid_search', /at most 255 characters/],
    [400, 'invalid_time_range', /start date is after the end date/],
    [400, 'invalid_sort', /Reload the page/],
    [400, 'endpoint_required', /Reload the page/],
  ] as const)('%s %s', (status, code, text) => expect(messageForApiError({ status, code, message: 'server words' })).toMatch(text));

  it('tells the person to sign in again on a 401, whatever the code', () => {
    expect(messageForApiError({ status: 401, code: 'unauthenticated' })).toBe(SIGN_IN_AGAIN);
    expect(messageForApiError({ status: 401, code: 'http_401', message: 'Authentication required' })).toBe(SIGN_IN_AGAIN);
  });

  it('says the network is down when no answer came', () => {
    expect(messageForApiError({ status: 0, code: 'network_error' })).toBe(NETWORK_DOWN);
  });

  it("uses the server's own message where the page says so, 4xx or exposed 5xx, else the catalogue's", () => {
    expect(messageForApiError({ status: 400, code: 'invalid_field', message: 'displayName must not be empty' })).toBe('displayName must not be empty');
    expect(messageForApiError({ status: 503, code: 'directory_busy', message: 'The user directory is busy; try again shortly' })).toBe('The user directory is busy; try again shortly');
    expect(messageForApiError({ status: 409, code: 'name_has_files', message: 'Files of an earlier endpoint named x remain' })).toBe('Files of an earlier endpoint named x remain');
    expect(messageForApiError({ status: 409, code: 'name_has_files' })).toBe(ERROR_CATALOGUE.name_has_files.message);
  });

  it("shows the server's words only for the codes the page leaves to the server", () => {
    const passedThrough = ERROR_CODES.filter((code) => messageForApiError({ status: ERROR_CATALOGUE[code].status, code, message: 'server words' }) === 'server words');
    expect(passedThrough).toEqual(['invalid_field', 'name_has_files', 'directory_busy']);
  });

  it('falls back on the status, and never shows internals for 5xx', () => {
    expect(messageForApiError({ status: 403, code: 'http_403' })).toMatch(/not allowed/);
    expect(messageForApiError({ status: 500, code: 'server_error', message: 'Internal server error' })).toMatch(/went wrong on the server/);
    expect(messageForApiError({ status: 502, code: 'http_502' })).toMatch(/temporarily unavailable/);
    expect(messageForApiError({ status: 500, code: 'http_500' })).toMatch(/went wrong on the server/);
    expect(messageForApiError({ status: 302, code: 'http_302' })).toBe('The request failed (HTTP 302).');
  });
});

const s3Error = (code: string, message: string) => `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;

describe('S3 failures', () => {
  it('reads the error code from the XML body', () => {
    expect(s3ErrorCode(s3Error('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'))).toBe('EntityTooLarge');
    expect(s3ErrorCode('')).toBe('');
  });

  it('recognises expired URLs and tokens, so cached URLs are dropped', () => {
    expect(isExpiredSignature(403, s3Error('AccessDenied', 'Request has expired'))).toBe(true);
    expect(isExpiredSignature(400, s3Error('ExpiredToken', 'The provided token has expired.'))).toBe(true);
    expect(isExpiredSignature(403, '')).toBe(true); // Uppy's own timeout
    expect(isExpiredSignature(403, s3Error('AccessDenied', 'Access Denied'))).toBe(false);
    expect(isExpiredSignature(500, s3Error('InternalError', 'expired'))).toBe(false);
  });

  it.each([
    [0, '', NETWORK_DOWN],
    [400, s3Error('EntityTooLarge', 'x'), 'This file is larger than the maximum size allowed here.'],
    [403, s3Error('AccessDenied', 'Request has expired'), 'The upload link expired; getting a new one.'],
    [403, s3Error('AccessDenied', 'Access Denied'), 'The storage service refused this upload. The endpoint may have expired; reload the page.'],
    [503, s3Error('SlowDown', 'Please reduce your request rate.'), 'The storage service is busy. Retrying shortly.'],
    [500, s3Error('InternalError', 'x'), 'The storage service had a problem. Retrying shortly.'],
    [404, s3Error('NoSuchUpload', 'x'), messageForApiError({ status: 404, code: 'no_such_upload' })],
    [400, s3Error('InvalidArgument', 'x'), 'The storage service refused the data (HTTP 400, InvalidArgument).'],
    [400, s3Error('BadDigest', 'The CRC64NVME you specified did not match the calculated checksum.'), 'A part was damaged on the way (its checksum did not match) and is sent again from the file.'],
    [412, s3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold'), messageForApiError({ status: 409, code: 'object_exists' })],
  ])('%s %s', (status, body, text) => expect(messageForS3Failure(status, body)).toBe(text));
});
