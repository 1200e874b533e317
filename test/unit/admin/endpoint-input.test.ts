import { describe, expect, it } from 'vitest';
import { parseAddLogin, parseCreateEndpoint, parseDeleteEndpoint, parseEmail, parseEndpointName, parsePatchEndpoint } from '../../../lambdas/admin/endpoint-input.js';
import { NOW } from './harness.js';
import { errorCode } from '../../support/portal-error.js';

const code = errorCode;

describe('parseEndpointName', () => {
  it.each([
    ['acme', 'ok'],
    ['a1b', 'ok'],
    ['acme-2026', 'ok'],
    ['a'.repeat(48), 'ok'],
    ['ab', '400 invalid_name'],
    ['a'.repeat(49), '400 invalid_name'],
    ['Acme', '400 invalid_name'],
    ['-acme', '400 invalid_name'],
    ['acme-', '400 invalid_name'],
    ['ac_me', '400 invalid_name'],
    ['ac.me', '400 invalid_name'],
    ['acme/../x', '400 invalid_name'],
    ['_portal', '400 invalid_name'],
    [42, '400 invalid_name'],
  ])('%j -> %s', (name, expected) => {
    expect(code(() => parseEndpointName(name))).toBe(expected);
  });
});

describe('parseEmail', () => {
  it('trims and lower-cases', () => expect(parseEmail('  Bob@ACME.Example ')).toBe('bob@acme.example'));
  it.each(['bob', 'bob@', '@acme.example', 'bob@acme', 'b ob@acme.example', 'bob@acme.example\nBcc: x@y.z', `${'a'.repeat(250)}@x.io`, 7])('refuses %j', (v) => {
    expect(code(() => parseEmail(v))).toBe('400 invalid_email');
  });
});

describe('parseCreateEndpoint', () => {
  it.each([0, -1, 1.5, '100', true, 2 ** 53])('refuses the quota %j with 400 invalid_quota, at create and in a change', (value) => {
    for (const field of ['quotaBytes', 'quotaFiles']) {
      expect(() => parseCreateEndpoint({ name: 'acme', customerEmail: 'a@acme.example', [field]: value }, NOW)).toThrow(expect.objectContaining({ code: 'invalid_quota' }));
      expect(() => parsePatchEndpoint({ [field]: value }, NOW)).toThrow(expect.objectContaining({ code: 'invalid_quota' }));
    }
  });

  it('takes a quota change and its removal (null)', () => {
    expect(parsePatchEndpoint({ quotaBytes: 1000, quotaFiles: null }, NOW).changes).toEqual({ quotaBytes: 1000, quotaFiles: null });
  });

  it('fills defaults', () => {
    expect(parseCreateEndpoint({ name: 'acme', customerEmail: 'Bob@Acme.example' }, NOW)).toEqual({
      name: 'acme',
      customerEmail: 'bob@acme.example',
      settings: { displayName: 'acme', expiresAt: null, maxFileSizeBytes: null, quotaBytes: null, quotaFiles: null, allowedExtensions: null, notes: '' },
    });
  });

  it('normalises every optional field', () => {
    const input = parseCreateEndpoint(
      {
        name: 'acme',
        customerEmail: 'bob@acme.example',
        displayName: '  ACME Ltd ',
        expiresAt: '2027-01-01T00:00:00+01:00',
        maxFileSizeBytes: 5 * 2 ** 40,
        quotaBytes: 10 * 2 ** 40,
        quotaFiles: 5000,
        allowedExtensions: ['.PDF', 'tar.gz', 'pdf'],
        notes: 'line one\nline two',
      },
      NOW,
    );
    expect(input.settings).toEqual({
      displayName: 'ACME Ltd',
      expiresAt: '2026-12-31T23:00:00.000Z',
      maxFileSizeBytes: 5 * 2 ** 40,
      quotaBytes: 10 * 2 ** 40,
      quotaFiles: 5000,
      allowedExtensions: ['pdf', 'tar.gz'],
      notes: 'line one\nline two',
    });
  });

  it.each([
    [{ name: 'acme' }, '400 invalid_email'],
    [{ name: 'A', customerEmail: 'b@a.io' }, '400 invalid_name'],
    [{ name: 'acme', customerEmail: 'b@a.io', expiry: '2027-01-01' }, '400 unknown_field'],
    [{ name: 'acme', customerEmail: 'b@a.io', expiresAt: '2026-01-01T00:00:00Z' }, '400 invalid_expiry'],
    [{ name: 'acme', customerEmail: 'b@a.io', expiresAt: 'tomorrow' }, '400 invalid_expiry'],
    [{ name: 'acme', customerEmail: 'b@a.io', maxFileSizeBytes: 0 }, '400 invalid_max_file_size'],
    [{ name: 'acme', customerEmail: 'b@a.io', maxFileSizeBytes: 1.5 }, '400 invalid_max_file_size'],
    [{ name: 'acme', customerEmail: 'b@a.io', allowedExtensions: ['p df'] }, '400 invalid_extensions'],
    [{ name: 'acme', customerEmail: 'b@a.io', allowedExtensions: 'pdf' }, '400 invalid_extensions'],
    [{ name: 'acme', customerEmail: 'b@a.io', displayName: 'x'.repeat(121) }, '400 invalid_field'],
    [{ name: 'acme', customerEmail: 'b@a.io', displayName: 'bell\u0007' }, '400 invalid_field'],
    [['acme'], '400 invalid_body'],
    [null, '400 invalid_body'],
  ])('%j -> %s', (body, expected) => {
    expect(code(() => parseCreateEndpoint(body, NOW))).toBe(expected);
  });
});

describe('parsePatchEndpoint', () => {
  it('keeps only the fields given, and the version', () => {
    expect(parsePatchEndpoint({ disabled: true, version: '"e1"' }, NOW)).toEqual({ changes: { disabled: true }, version: '"e1"' });
  });
  it('allows an expiry in the past (ends the endpoint now) and clearing limits with null', () => {
    expect(parsePatchEndpoint({ expiresAt: '2020-01-01T00:00:00Z', maxFileSizeBytes: null, allowedExtensions: [] }, NOW).changes).toEqual({
      expiresAt: '2020-01-01T00:00:00.000Z',
      maxFileSizeBytes: null,
      allowedExtensions: null,
    });
  });
  it.each([
    [{}, '400 nothing_to_change'],
    [{ version: '"e1"' }, '400 nothing_to_change'],
    [{ name: 'other' }, '400 unknown_field'],
    [{ customerEmail: 'x@y.io' }, '400 unknown_field'],
    [{ disabled: 'yes' }, '400 invalid_field'],
    [{ displayName: '  ' }, '400 invalid_field'],
    [{ notes: 'n'.repeat(2001) }, '400 invalid_field'],
  ])('%j -> %s', (body, expected) => {
    expect(code(() => parsePatchEndpoint(body, NOW))).toBe(expected);
  });
});

describe('parseDeleteEndpoint', () => {
  it.each([
    [undefined, 'ok', false],
    [{}, 'ok', false],
    [{ purgeFiles: false }, 'ok', false],
    [{ purgeFiles: true, confirm: 'acme' }, 'ok', true],
    [{ purgeFiles: true }, '400 confirmation_mismatch', null],
    [{ purgeFiles: true, confirm: 'ACME' }, '400 confirmation_mismatch', null],
    [{ purgeFiles: true, confirm: 'acme2' }, '400 confirmation_mismatch', null],
    [{ purgeFiles: 'true', confirm: 'acme' }, '400 invalid_field', null],
    [{ purge: true }, '400 unknown_field', null],
    [{ version: '"e1"' }, 'ok', false],
    [{ purgeFiles: true, confirm: 'acme', version: '"e1"' }, 'ok', true],
    [{ version: '' }, '400 invalid_field', null],
    [{ version: 7 }, '400 invalid_field', null],
  ])('%j -> %s', (body, expected, purge) => {
    expect(code(() => parseDeleteEndpoint(body, 'acme'))).toBe(expected);
    if (purge !== null) expect(parseDeleteEndpoint(body, 'acme').purgeFiles).toBe(purge);
  });

  it('passes the version on, or null without one', () => {
    expect(parseDeleteEndpoint({ confirm: 'acme', version: '"e1"' }, 'acme').version).toBe('"e1"');
    expect(parseDeleteEndpoint(undefined, 'acme').version).toBeNull();
  });
});

describe('parseAddLogin', () => {
  it('takes one e-mail', () => {
    expect(parseAddLogin({ email: 'Carol@Acme.example' })).toBe('carol@acme.example');
    expect(code(() => parseAddLogin({ email: 'carol@acme.example', admin: true }))).toBe('400 unknown_field');
  });
});
