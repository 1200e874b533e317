// Table tests for the uploads Lambda's pure rules: completion verification, limits, part numbers,
// request parsing, access decisions and settings.
import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../support/portal-error.js';
import type { CustomerPrincipal, Principal } from '../../../lambdas/shared/identity.js';
import { assertEndpointAccess, assertSessionCurrent } from '../../../lambdas/uploads/access.js';
import type { SignInVerifier } from '../../../lambdas/uploads/sign-in-verifier.js';
import { formatPartNumbers, multipartEtag, normaliseEtag, parseCompletionRequest, verifyCompletion, type StoredPart } from '../../../lambdas/uploads/completion.js';
import { assertWithinLimits, parseDeclaredSize } from '../../../lambdas/uploads/limits.js';
import { parseChecksumAlgorithm, parseCreateBody, parseFileChecksum, parseParamsQuery } from '../../../lambdas/uploads/new-upload.js';
import { parsePartNumber } from '../../../lambdas/uploads/part-numbers.js';
import { parsePartsToSign } from '../../../lambdas/uploads/parts-to-sign.js';
import { readEnv } from '../../../contract/lambda-env.js';
import { UPLOAD_SETTINGS_ENV, uploadSettings } from '../../../lambdas/uploads/settings.js';
import { endpointRecord, MiB, NOW } from './harness.js';

const stored = (...sizes: number[]): StoredPart[] => sizes.map((Size, i) => ({ PartNumber: i + 1, ETag: `"e${i + 1}"`, Size }));
const listed = (n: number) => Array.from({ length: n }, (_, i) => ({ PartNumber: i + 1, ETag: `"e${i + 1}"` }));
const noLimits = { maxFileSizeBytes: null, allowedExtensions: null };
const M5 = 5 * MiB;

describe('verifyCompletion', () => {
  const cases: Array<[string, Parameters<typeof verifyCompletion>[0], number | null, string | null]> = [
    ['exact 1..N, sizes add up', { clientParts: listed(3), storedParts: stored(M5, M5, 1), declaredSize: 2 * M5 + 1, name: 'a.bin', limits: noLimits }, null, null],
    ['one small part', { clientParts: listed(1), storedParts: stored(1), declaredSize: 1, name: 'a', limits: noLimits }, null, null],
    ['empty last part', { clientParts: listed(2), storedParts: stored(M5, 0), declaredSize: M5, name: 'a', limits: noLimits }, null, null],
    ['gap in the client list', { clientParts: [listed(3)[0]!, listed(3)[2]!], storedParts: stored(M5, M5, M5), declaredSize: 3 * M5, name: 'a', limits: noLimits }, 400, 'parts_not_contiguous'],
    ['repeated part', { clientParts: [...listed(2), listed(2)[1]!], storedParts: stored(M5, M5), declaredSize: 2 * M5, name: 'a', limits: noLimits }, 400, 'duplicate_part'],
    ['part not stored', { clientParts: listed(3), storedParts: stored(M5, M5), declaredSize: 3 * M5, name: 'a', limits: noLimits }, 409, 'parts_missing'],
    ['extra stored part', { clientParts: listed(2), storedParts: stored(M5, M5, 1), declaredSize: 2 * M5, name: 'a', limits: noLimits }, 409, 'unexpected_parts'],
    ['etag differs', { clientParts: [{ PartNumber: 1, ETag: '"zz"' }], storedParts: stored(1), declaredSize: 1, name: 'a', limits: noLimits }, 409, 'etag_mismatch'],
    ['5 MiB - 1 before last', { clientParts: listed(2), storedParts: stored(M5 - 1, 1), declaredSize: M5, name: 'a', limits: noLimits }, 409, 'part_too_small'],
    ['exactly 5 MiB before last', { clientParts: listed(2), storedParts: stored(M5, 1), declaredSize: M5 + 1, name: 'a', limits: noLimits }, null, null],
    ['total short of declared', { clientParts: listed(2), storedParts: stored(M5, 1), declaredSize: M5 + 2, name: 'a', limits: noLimits }, 409, 'size_mismatch'],
    ['total over declared', { clientParts: listed(2), storedParts: stored(M5, 3), declaredSize: M5 + 2, name: 'a', limits: noLimits }, 409, 'size_mismatch'],
    ['over the endpoint max', { clientParts: listed(1), storedParts: stored(11), declaredSize: 11, name: 'a', limits: { maxFileSizeBytes: 10, allowedExtensions: null } }, 413, 'file_too_large'],
    ['at the endpoint max', { clientParts: listed(1), storedParts: stored(10), declaredSize: 10, name: 'a', limits: { maxFileSizeBytes: 10, allowedExtensions: null } }, null, null],
    ['extension no longer allowed', { clientParts: listed(1), storedParts: stored(1), declaredSize: 1, name: 'a.exe', limits: { maxFileSizeBytes: null, allowedExtensions: ['pdf'] } }, 400, 'extension_not_allowed'],
  ];

  it.each(cases)('%s', (_label, check, status, code) => {
    const result = refusalOf(() => verifyCompletion(check));
    if (status === null) {
      expect(result).toBeUndefined();
      const verified = verifyCompletion(check);
      expect(verified.totalBytes).toBe(check.storedParts.reduce((s, p) => s + p.Size, 0));
      expect(verified.parts.map((p) => p.PartNumber)).toEqual(check.storedParts.map((p) => p.PartNumber));
    } else {
      expect(result).toMatchObject({ status, code });
    }
  });

  it('names the problem precisely', () => {
    const gaps = refusalOf(() => verifyCompletion({ clientParts: [1, 2, 6, 9].map((n) => ({ PartNumber: n, ETag: 'x' })), storedParts: [], declaredSize: 0, name: 'a', limits: noLimits }));
    expect(gaps?.message).toContain('missing 3-5, 7-8');
    const mismatch = refusalOf(() => verifyCompletion({ clientParts: listed(1), storedParts: stored(7), declaredSize: 9, name: 'a', limits: noLimits }));
    expect(mismatch?.message).toBe('The parts hold 7 bytes, fewer than the 9 declared for this file');
  });

  it('returns the parts in order with the ETags S3 holds', () => {
    const result = verifyCompletion({
      clientParts: [{ PartNumber: 2, ETag: 'e2' }, { PartNumber: 1, ETag: '"e1"' }],
      storedParts: stored(M5, 1),
      declaredSize: M5 + 1,
      name: 'a',
      limits: noLimits,
    });
    expect(result.parts).toEqual([{ PartNumber: 1, ETag: '"e1"' }, { PartNumber: 2, ETag: '"e2"' }]);
  });

  describe('a checksummed upload', () => {
    const withChecksums = (parts: StoredPart[]): StoredPart[] => parts.map((p, i) => ({ ...p, ChecksumCRC64NVME: `AAAAAAAAAA${'AEIM'[i % 4]}=` }));
    const check = (storedParts: StoredPart[]) => ({ clientParts: listed(3), storedParts, declaredSize: 2 * M5 + 1, name: 'a.bin', limits: noLimits, requireChecksums: true });

    it("returns each part with the checksum S3 verified, for CompleteMultipartUpload", () => {
      expect(verifyCompletion(check(withChecksums(stored(M5, M5, 1)))).parts).toEqual([
        { PartNumber: 1, ETag: '"e1"', ChecksumCRC64NVME: 'AAAAAAAAAAA=' },
        { PartNumber: 2, ETag: '"e2"', ChecksumCRC64NVME: 'AAAAAAAAAAE=' },
        { PartNumber: 3, ETag: '"e3"', ChecksumCRC64NVME: 'AAAAAAAAAAI=' },
      ]);
    });

    it('refuses (409 part_checksum_missing) when a part S3 holds carries no checksum, naming it', () => {
      const parts = withChecksums(stored(M5, M5, 1));
      delete parts[1]!.ChecksumCRC64NVME;
      expect(refusalOf(() => verifyCompletion(check(parts)))).toMatchObject({ status: 409, code: 'part_checksum_missing', message: expect.stringMatching(/^Part 2 carries no checksum/) });
      // The same parts complete an upload that is not checksummed.
      expect(verifyCompletion({ ...check(parts), requireChecksums: false }).totalBytes).toBe(2 * M5 + 1);
    });
  });
});

describe('parseCompletionRequest, normaliseEtag, formatPartNumbers', () => {
  const parts = (body: unknown) => parseCompletionRequest(body).parts;
  it('accepts a valid list and refuses more than 10,000 parts', () => {
    expect(parts({ parts: [{ PartNumber: 1, ETag: '"a"', Extra: 1 }] })).toEqual([{ PartNumber: 1, ETag: '"a"' }]);
    expect(refusalOf(() => parts({ parts: listed(10_001) }))?.code).toBe('invalid_parts');
    expect(refusalOf(() => parts(null))?.code).toBe('invalid_parts');
  });

  it("reads the whole file's checksum when there is one, and refuses a malformed one (400 invalid_checksum)", () => {
    expect(parseCompletionRequest({ parts: listed(1), checksum: 'rosUhgp5mIg=' }).checksum).toBe('rosUhgp5mIg=');
    expect(parseCompletionRequest({ parts: listed(1) }).checksum).toBeUndefined();
    for (const checksum of ['', 'rosUhgp5mIg', 'rosUhgp5mIg==', 'rosUhgp5mIh=', 'ros-hgp5mIg=', 'y/Q5Jg==', 12, null]) {
      expect(refusalOf(() => parseCompletionRequest({ parts: listed(1), checksum }))?.code, JSON.stringify(checksum)).toBe('invalid_checksum');
    }
  });

  it.each([
    ['"abc"', 'abc'],
    ['abc', 'abc'],
    [' "abc" ', 'abc'],
    ['W/"abc"', 'abc'],
    ['"abc-12"', 'abc-12'],
  ])('normaliseEtag(%j) = %j', (raw, expected) => expect(normaliseEtag(raw)).toBe(expected));

  it.each([
    [[1], '1'],
    [[1, 2, 3], '1-3'],
    [[1, 3, 4, 9], '1, 3-4, 9'],
    [[1, 3, 5, 7, 9, 11, 13], '1, 3, 5, 7, 9, 11, ...'],
  ])('formatPartNumbers(%j) = %j', (numbers, expected) => expect(formatPartNumbers(numbers)).toBe(expected));
});

describe('multipartEtag', () => {
  // MD5("a"), MD5("b"); the expected value is `(openssl md5 -binary <<< a; ... b) | md5sum`.
  const a = '0cc175b9c0f1b6a831c399e269772661';
  const b = '92eb5ffee6ae2fec3ad71c777531578f';

  it("is S3's ETag for an object completed from these parts, whatever the list's order or quoting", () => {
    expect(multipartEtag([{ PartNumber: 1, ETag: `"${a}"` }, { PartNumber: 2, ETag: b }])).toBe('96e024ba2074fe77e8e965ba43a704be-2');
    expect(multipartEtag([{ PartNumber: 2, ETag: `"${b}"` }, { PartNumber: 1, ETag: `"${a.toUpperCase()}"` }])).toBe('96e024ba2074fe77e8e965ba43a704be-2');
    expect(multipartEtag([{ PartNumber: 1, ETag: b }, { PartNumber: 2, ETag: a }])).not.toBe('96e024ba2074fe77e8e965ba43a704be-2');
  });

  it('concludes nothing from ETags that are not plain MD5s (SSE-KMS parts) or from no parts', () => {
    expect(multipartEtag([{ PartNumber: 1, ETag: '"etag-1"' }])).toBeNull();
    expect(multipartEtag([{ PartNumber: 1, ETag: `"${a}-2"` }])).toBeNull();
    expect(multipartEtag([])).toBeNull();
  });
});

describe('limits', () => {
  it('assertWithinLimits: 413 over the max or over what S3 can store, 400 for the type', () => {
    expect(refusalOf(() => assertWithinLimits('a.pdf', 101, { maxFileSizeBytes: 100, allowedExtensions: null }, 'declared'))).toMatchObject({ status: 413, code: 'file_too_large' });
    expect(refusalOf(() => assertWithinLimits('a.pdf', 100, { maxFileSizeBytes: 100, allowedExtensions: null }, 'declared'))).toBeUndefined();
    expect(refusalOf(() => assertWithinLimits('a.pdf', 10_000 * 5 * 1024 * MiB + 1, noLimits, 'declared'))?.status).toBe(413);
    expect(refusalOf(() => assertWithinLimits('a.exe', 1, { maxFileSizeBytes: null, allowedExtensions: ['pdf', 'zip'] }, 'declared'))?.message).toContain('.pdf, .zip');
  });

  it.each([
    [undefined, undefined],
    ['', undefined],
    ['0', 0],
    ['123', 123],
    [123, 123],
    ['9007199254740991', 9007199254740991],
  ])('parseDeclaredSize(%j) = %j', (raw, expected) => expect(parseDeclaredSize(raw)).toBe(expected));

  it.each([['-1'], ['1.5'], [1.5], [-1], ['1e3'], [' 1'], ['0x10'], [true], ['9007199254740993']])('parseDeclaredSize(%j) is a 400', (raw) => {
    expect(refusalOf(() => parseDeclaredSize(raw))?.code).toBe('invalid_size');
  });
});

describe('part numbers', () => {
  it.each([['1', 1], ['10000', 10000], ['09', 9]])('parsePartNumber(%j) = %j', (raw, n) => expect(parsePartNumber(raw)).toBe(n));
  it.each([[undefined], ['0'], ['10001'], ['-1'], ['1.0'], [' 1'], ['100000'], ['1,2']])('parsePartNumber(%j) is a 400', (raw) => {
    expect(refusalOf(() => parsePartNumber(raw))?.code).toBe('invalid_part_number');
  });
});

describe('parts to sign (parsePartsToSign)', () => {
  const part = (partNumber: number, size = M5, checksum = 'rosUhgp5mIg=') => ({ partNumber, size, checksum });
  const GiB5 = 5 * 1024 * MiB;

  it('accepts up to 100 parts, each with its number, size and checksum, in the order given', () => {
    expect(parsePartsToSign([part(3, 1), part(1, GiB5, 'AAAAAAAAAAA=')])).toEqual([part(3, 1), part(1, GiB5, 'AAAAAAAAAAA=')]);
    expect(parsePartsToSign(Array.from({ length: 100 }, (_, i) => part(i + 1)))).toHaveLength(100);
    expect(parsePartsToSign([{ ...part(1), extra: true }])).toEqual([part(1)]);
  });

  it.each<[string, unknown, string]>([
    ['not an array', { 1: part(1) }, 'invalid_body'],
    ['empty', [], 'invalid_body'],
    ['absent', undefined, 'invalid_body'],
    ['101 parts', Array.from({ length: 101 }, (_, i) => part(i + 1)), 'too_many_parts'],
    ['an entry that is not an object', [part(1), 2], 'invalid_body'],
    ['part number 0', [part(0)], 'invalid_part_number'],
    ['part number 10001', [part(10_001)], 'invalid_part_number'],
    ['part number 1.5', [part(1.5)], 'invalid_part_number'],
    ['part number as a string', [{ ...part(1), partNumber: '1' }], 'invalid_part_number'],
    ['a repeated part number', [part(2), part(2)], 'invalid_part_number'],
    ['size 0', [part(1, 0)], 'invalid_part_size'],
    ['size over 5 GiB', [part(1, GiB5 + 1)], 'invalid_part_size'],
    ['size 1.5', [part(1, 1.5)], 'invalid_part_size'],
    ['size as a string', [{ ...part(1), size: '10' }], 'invalid_part_size'],
    ['no checksum', [{ partNumber: 1, size: 10 }], 'invalid_checksum'],
    ['a checksum one character short', [part(1, 10, 'rosUhgp5mI=')], 'invalid_checksum'],
    ['a checksum with padding too many', [part(1, 10, 'rosUhgp5mIg==')], 'invalid_checksum'],
    ['a checksum outside the base64 alphabet', [part(1, 10, 'rosUhgp5m_g=')], 'invalid_checksum'],
    ['a checksum of more than 8 bytes (bits past the end)', [part(1, 10, 'rosUhgp5mIh=')], 'invalid_checksum'],
    ['a CRC32 (4 bytes)', [part(1, 10, 'y/Q5Jg==')], 'invalid_checksum'],
    ['a hex checksum', [part(1, 10, 'ae8b14860a799888')], 'invalid_checksum'],
  ])('refuses %s with 400', (_label, parts, code) => {
    expect(refusalOf(() => parsePartsToSign(parts))).toMatchObject({ status: 400, code });
  });

  it('names the offending entry', () => {
    expect(refusalOf(() => parsePartsToSign([part(1), part(2, 10, 'x')]))?.message).toMatch(/parts\[1\]\.checksum/);
  });
});

describe('checksum parameters', () => {
  it('checksumAlgorithm: CRC64NVME or absent; anything else is a 400', () => {
    expect(parseChecksumAlgorithm('CRC64NVME')).toBe('CRC64NVME');
    expect(parseChecksumAlgorithm(undefined)).toBeNull();
    for (const other of ['crc64nvme', 'CRC32C', 'SHA256', '', 1]) expect(refusalOf(() => parseChecksumAlgorithm(other))?.code, String(other)).toBe('invalid_checksum_algorithm');
  });

  it("a small file's checksum: a CRC64NVME value or absent", () => {
    expect(parseFileChecksum('rosUhgp5mIg=')).toBe('rosUhgp5mIg=');
    expect(parseFileChecksum(undefined)).toBeUndefined();
    expect(parseFileChecksum('')).toBeUndefined();
    expect(refusalOf(() => parseFileChecksum('rosUhgp5mIg'))?.code).toBe('invalid_checksum');
  });
});

describe('new upload requests', () => {
  it('reads Uppy create bodies and params queries alike', () => {
    const body = parseCreateBody({ filename: 'a.pdf', type: 'application/pdf', metadata: { name: 'a.pdf', size: '10', relativePath: '/d/a.pdf', endpoint: 'acme' } });
    const query = parseParamsQuery({ filename: 'a.pdf', type: 'application/pdf', 'metadata[name]': 'a.pdf', 'metadata[size]': '10', 'metadata[relativePath]': '/d/a.pdf', 'metadata[endpoint]': 'acme' });
    const expected = { filename: 'a.pdf', contentType: 'application/pdf', declaredSize: 10, relativePath: '/d/a.pdf', endpoint: 'acme' };
    expect(body).toEqual(expected);
    expect(query).toEqual(expected);
  });

  it('takes a top-level numeric size from non-Uppy clients', () => {
    expect(parseCreateBody({ filename: 'a', size: 5 }).declaredSize).toBe(5);
  });

  it.each([
    ['application/pdf', 'application/pdf'],
    ['text/plain; charset=utf-8', 'text/plain; charset=utf-8'],
    ['', 'application/octet-stream'],
    [undefined, 'application/octet-stream'],
    ['pdf', 'application/octet-stream'],
    ['text/html\nX: y', 'application/octet-stream'],
    [42, 'application/octet-stream'],
  ])('content type %j -> %j', (type, expected) => {
    expect(parseCreateBody({ filename: 'a', type }).contentType).toBe(expected);
  });

  it('refuses a missing or over-long filename and non-string metadata fields', () => {
    expect(refusalOf(() => parseCreateBody({ type: 'a/b' }))?.code).toBe('invalid_filename');
    expect(refusalOf(() => parseCreateBody({ filename: 7 }))?.code).toBe('invalid_filename');
    expect(refusalOf(() => parseCreateBody({ filename: 'a'.repeat(1025) }))?.code).toBe('filename_too_long');
    expect(refusalOf(() => parseCreateBody({ filename: 'a', metadata: { relativePath: ['x'] } }))?.code).toBe('invalid_metadata');
    expect(refusalOf(() => parseCreateBody({ filename: 'a', metadata: [] }))?.code).toBe('invalid_metadata');
  });
});

describe('assertEndpointAccess', () => {
  const customer = (endpoint: string | null, username = 'customer1'): Principal => ({ kind: 'customer', subject: 's', username, email: 'e', endpoint, accessToken: null });
  const admin: Principal = { kind: 'admin', subject: 's', email: 'e', name: 'n' };
  const active = endpointRecord('acme');
  const cases: Array<[string, Principal, string, ReturnType<typeof endpointRecord> | null, string | null]> = [
    ['customer, own active endpoint', customer('acme'), 'acme', active, null],
    ['customer without endpoint', customer(null), 'acme', active, 'no_endpoint'],
    ['customer, another endpoint', customer('globex'), 'acme', active, 'endpoint_forbidden'],
    ['customer, record missing', customer('acme'), 'acme', null, 'endpoint_unknown'],
    ['customer, disabled', customer('acme'), 'acme', endpointRecord('acme', { disabled: true }), 'endpoint_disabled'],
    ['customer, expired', customer('acme'), 'acme', endpointRecord('acme', { expiresAt: NOW.toISOString() }), 'endpoint_expired'],
    ['customer, expires later', customer('acme'), 'acme', endpointRecord('acme', { expiresAt: '2099-01-01T00:00:00Z' }), null],
    ['customer, login removed from the record', customer('acme', 'removed-user'), 'acme', active, 'login_removed'],
    ['customer, login listed in another case', customer('acme', 'CUSTOMER1'), 'acme', endpointRecord('acme', { logins: ['other', 'Customer1'] }), null],
    ['customer, record without logins', customer('acme'), 'acme', endpointRecord('acme', { logins: [] }), 'login_removed'],
    ['customer, empty username', customer('acme', ''), 'acme', endpointRecord('acme', { logins: [''] }), 'login_removed'],
    ['customer, removed login of a disabled endpoint', customer('acme', 'removed-user'), 'acme', endpointRecord('acme', { disabled: true }), 'login_removed'],
    ['admin, any existing', admin, 'acme', active, null],
    ['admin, disabled endpoint', admin, 'acme', endpointRecord('acme', { disabled: true }), null],
    ['admin, missing endpoint', admin, 'acme', null, 'endpoint_not_found'],
  ];
  it.each(cases)('%s', (_label, principal, endpoint, record, code) => {
    expect(refusalOf(() => assertEndpointAccess(principal, endpoint, record, NOW))?.code).toBe(code ?? undefined);
  });
});

describe('assertSessionCurrent', () => {
  const principal = (username = 'customer1'): CustomerPrincipal => ({ kind: 'customer', subject: 's', username, email: 'e', endpoint: 'acme', accessToken: 'token' });
  /** A verifier whose sessions all began at `iso` (null: none can prove it). */
  const signedInAt = (iso: string | null): SignInVerifier => ({ verifiedSignInTime: async () => (iso === null ? null : Date.parse(iso) / 1000) });
  const reset = endpointRecord('acme', { sessionsNotBefore: { customer1: '2026-11-25T12:00:00.500Z' } });
  const revoked = { code: 'session_revoked', status: 401 };

  it("refuses a session that began before the login's not-before time (401 session_revoked), and a later one not", async () => {
    await expect(assertSessionCurrent(reset, principal(), signedInAt('2026-11-25T11:59:59Z'))).rejects.toMatchObject(revoked);
    await expect(assertSessionCurrent(reset, principal('Customer1'), signedInAt('2026-11-25T10:00:00Z'))).rejects.toMatchObject(revoked);
    await expect(assertSessionCurrent(reset, principal(), signedInAt('2026-11-25T12:00:01Z'))).resolves.toBeUndefined();
  });

  it('compares whole seconds, as auth_time has them: a sign-in in the second of the reset is let in', async () => {
    await expect(assertSessionCurrent(reset, principal(), signedInAt('2026-11-25T12:00:00Z'))).resolves.toBeUndefined();
  });

  it('refuses a login with a cut-off whose session proves no sign-in time (fail closed)', async () => {
    await expect(assertSessionCurrent(reset, principal(), signedInAt(null))).rejects.toMatchObject(revoked);
  });

  it('asks nothing of a login without a cut-off, nor of another login of the endpoint', async () => {
    const unasked: SignInVerifier = { verifiedSignInTime: () => Promise.reject(new Error('asked for a sign-in time')) };
    await expect(assertSessionCurrent(endpointRecord('acme'), principal(), unasked)).resolves.toBeUndefined();
    await expect(assertSessionCurrent({ ...reset, logins: ['customer1', 'customer2'] }, principal('customer2'), unasked)).resolves.toBeUndefined();
  });
});

describe('settings', () => {
  const uploadSettingsFromEnv = (env: Record<string, string>) => uploadSettings(readEnv('uploads', UPLOAD_SETTINGS_ENV, env));

  it('pins the defaults', () => {
    expect(uploadSettingsFromEnv({ BUCKET_NAME: 'b' })).toEqual({
      bucket: 'b',
      presignExpiresSeconds: 600,
      concurrency: 6,
      multipartThresholdBytes: 100 * MiB,
      minPartSizeBytes: 16 * MiB,
      endpointCacheSeconds: 30,
      maxOpenUploadsPerLogin: 20,
      incompleteUploadDays: 7,
    });
  });

  it('reads the environment and reports every problem at once', () => {
    const env = { BUCKET_NAME: 'b', PRESIGN_EXPIRES_SECONDS: '900', UPLOAD_CONCURRENCY: '4', MULTIPART_THRESHOLD_BYTES: String(64 * MiB), MIN_PART_SIZE_BYTES: String(8 * MiB), INCOMPLETE_UPLOAD_DAYS: '3' };
    expect(uploadSettingsFromEnv(env)).toMatchObject({ presignExpiresSeconds: 900, concurrency: 4, multipartThresholdBytes: 64 * MiB, minPartSizeBytes: 8 * MiB, incompleteUploadDays: 3 });
    expect(() => uploadSettingsFromEnv({ PRESIGN_EXPIRES_SECONDS: '604801', MIN_PART_SIZE_BYTES: '1000' })).toThrow(
      /BUCKET_NAME is required; PRESIGN_EXPIRES_SECONDS .*; MIN_PART_SIZE_BYTES/,
    );
  });

  it('lets part URLs live an hour at most, so revocation waits minutes, not hours', () => {
    expect(uploadSettingsFromEnv({ BUCKET_NAME: 'b', PRESIGN_EXPIRES_SECONDS: '3600' }).presignExpiresSeconds).toBe(3600);
    expect(() => uploadSettingsFromEnv({ BUCKET_NAME: 'b', PRESIGN_EXPIRES_SECONDS: '3601' })).toThrow(/PRESIGN_EXPIRES_SECONDS .*3600/);
  });
});
