import { describe, expect, it } from 'vitest';
import type { EndpointSettings } from '../../../contract/api/admin.js';
import { buildCreateRequest, buildPatchRequest, dateFromExpiry, EMPTY_FORM, expiryFromDate, valuesFromSettings } from '../../../web/src/admin/endpoint-form.js';

const now = Date.parse('2026-11-25T12:00:00Z');
const GB = 1024 ** 3;

describe('create form', () => {
  it('builds the request, leaving optional fields as "no limit"', () => {
    const result = buildCreateRequest({ ...EMPTY_FORM, name: 'acme-ltd', customerEmail: ' ops@acme.example ' }, now);
    expect(result).toEqual({
      ok: true,
      request: { name: 'acme-ltd', customerEmail: 'ops@acme.example', expiresAt: null, maxFileSizeBytes: null, quotaBytes: null, quotaFiles: null, allowedExtensions: null, notes: '' },
    });
  });

  it('parses sizes, types, expiry and display name', () => {
    const result = buildCreateRequest(
      { name: 'acme', displayName: 'ACME Ltd', customerEmail: 'a@b.co', expiryDate: '2027-01-31', maxFileSize: '50 GB', quotaSize: '2 TB', quotaFiles: '1,000', allowedTypes: 'pdf, .ZIP, tar.gz', notes: ' ticket 42 ' },
      now,
    );
    expect(result.ok && result.request).toEqual({
      name: 'acme',
      displayName: 'ACME Ltd',
      customerEmail: 'a@b.co',
      expiresAt: expiryFromDate('2027-01-31'),
      maxFileSizeBytes: 50 * GB,
      quotaBytes: 2 * 1024 * GB,
      quotaFiles: 1000,
      // Sorted, as the admin Lambda stores them (normaliseExtensionList).
      allowedExtensions: ['pdf', 'tar.gz', 'zip'],
      notes: 'ticket 42',
    });
  });

  it('reports every bad field at once', () => {
    const result = buildCreateRequest({ ...EMPTY_FORM, name: 'Acme!', customerEmail: 'nope', expiryDate: '2020-01-01', maxFileSize: 'big', quotaSize: 'lots', quotaFiles: '1.5', allowedTypes: 'p df' }, now);
    expect(result.ok).toBe(false);
    expect(Object.keys(!result.ok ? result.errors : {}).sort()).toEqual(['customerEmail', 'expiryDate', 'maxFileSize', 'name', 'quotaFiles', 'quotaSize']);
  });

  it.each(['ab', '-acme', 'acme-', 'ACME', 'a'.repeat(49), 'acme_ltd'])('refuses the name %j', (name) => {
    const result = buildCreateRequest({ ...EMPTY_FORM, name, customerEmail: 'a@b.co' }, now);
    expect(!result.ok && result.errors.name).toBeTruthy();
  });

  it('refuses extensions with odd characters', () => {
    const result = buildCreateRequest({ ...EMPTY_FORM, name: 'acme', customerEmail: 'a@b.co', allowedTypes: 'pdf, ex*e' }, now);
    expect(!result.ok && result.errors.allowedTypes).toBeTruthy();
  });
});

describe('expiry dates', () => {
  it('expires at the end of the chosen local day and maps back to the same day', () => {
    const iso = expiryFromDate('2027-03-15')!;
    const date = new Date(iso);
    expect([date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes()]).toEqual([2027, 3, 15, 23, 59]);
    expect(dateFromExpiry(iso)).toBe('2027-03-15');
    expect(expiryFromDate('15/03/2027')).toBeNull();
    expect(dateFromExpiry(null)).toBe('');
  });
});

describe('settings form', () => {
  const original: EndpointSettings & { version: string } = {
    name: 'acme',
    displayName: 'ACME',
    customerEmail: 'a@b.co',
    expiresAt: expiryFromDate('2027-01-31'),
    maxFileSizeBytes: 50 * GB,
    quotaBytes: null,
    quotaFiles: 500,
    allowedExtensions: ['pdf'],
    notes: 'n',
    disabled: false,
    version: '"etag-1"',
  };

  it('sends nothing but the version when nothing changed', () => {
    expect(buildPatchRequest(valuesFromSettings(original), original, now)).toEqual({ ok: true, request: { version: '"etag-1"' } });
  });

  it('sends only what changed, with the version for conflict detection', () => {
    const values = { ...valuesFromSettings(original), maxFileSize: '100 GB', allowedTypes: '', expiryDate: '' };
    expect(buildPatchRequest(values, original, now)).toEqual({
      ok: true,
      request: { maxFileSizeBytes: 100 * GB, allowedExtensions: null, expiresAt: null, version: '"etag-1"' },
    });
  });

  it('sends a quota set, changed or removed (null)', () => {
    const values = { ...valuesFromSettings(original), quotaSize: '1 TB', quotaFiles: '' };
    expect(buildPatchRequest(values, original, now)).toEqual({ ok: true, request: { quotaBytes: 1024 * GB, quotaFiles: null, version: '"etag-1"' } });
  });

  it('keeps an unchanged past expiry, but refuses a new one in the past', () => {
    const expired = { ...original, expiresAt: '2020-01-01T00:00:00.000Z' };
    expect(buildPatchRequest({ ...valuesFromSettings(expired), notes: 'x' }, expired, now)).toMatchObject({ ok: true, request: { notes: 'x' } });
    expect(buildPatchRequest({ ...valuesFromSettings(expired), expiryDate: '2021-01-01' }, expired, now).ok).toBe(false);
  });

  it('sends no extension change for the same list reordered, retyped or repeated', () => {
    const several = { ...original, allowedExtensions: ['pdf', 'tar.gz', 'zip'] };
    expect(buildPatchRequest({ ...valuesFromSettings(several), allowedTypes: 'zip, .PDF tar.gz pdf' }, several, now)).toEqual({ ok: true, request: { version: '"etag-1"' } });
    expect(buildPatchRequest({ ...valuesFromSettings(several), allowedTypes: 'zip, pdf' }, several, now)).toEqual({ ok: true, request: { allowedExtensions: ['pdf', 'zip'], version: '"etag-1"' } });
  });

  it('treats an emptied display name as the endpoint name', () => {
    expect(buildPatchRequest({ ...valuesFromSettings(original), displayName: '' }, original, now)).toMatchObject({ request: { displayName: 'acme' } });
  });
});
