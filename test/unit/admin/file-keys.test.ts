import { describe, expect, it } from 'vitest';
import { normalizeFolder, parseUploadKey } from '../../../lambdas/admin/file-keys.js';
import { errorCode } from '../../support/portal-error.js';

const code = errorCode;

describe('parseUploadKey', () => {
  it.each([
    ['uploads/acme/report.pdf', 'ok'],
    ['uploads/acme/sub/dir/r\u00e9sum\u00e9.pdf', 'ok'],
    ['_portal/endpoints/acme.json', '403 key_outside_uploads'],
    ['_portal/audit/all/x.json', '403 key_outside_uploads'],
    ['other/acme/file', '403 key_outside_uploads'],
    ['/uploads/acme/file', '403 key_outside_uploads'],
    ['Uploads/acme/file', '403 key_outside_uploads'],
    ['uploads/file-at-root.txt', '403 key_outside_uploads'],
    ['uploads/acme/', '403 key_outside_uploads'],
    ['uploads/ACME/file', '403 key_outside_uploads'],
    ['uploads/acme/../../_portal/endpoints/acme.json', '403 key_outside_uploads'],
    ['uploads/acme/./file', '403 key_outside_uploads'],
    ['uploads/.portal-pending/acme/0a1b.json', '403 key_outside_uploads'],
    ['uploads/acme/line\nbreak', '403 key_outside_uploads'],
    ['uploads/acme/sub/', '400 invalid_key'],
    ['uploads/acme/' + 'x'.repeat(1100), '400 invalid_key'],
    ['', '400 missing_key'],
    [undefined, '400 missing_key'],
  ])('%j -> %s', (key, expected) => {
    expect(code(() => parseUploadKey(key))).toBe(expected);
  });

  it('names the endpoint', () => {
    expect(parseUploadKey('uploads/acme-2/a/b.bin')).toEqual({ key: 'uploads/acme-2/a/b.bin', endpoint: 'acme-2' });
  });
});

describe('normalizeFolder', () => {
  it.each([
    [undefined, ''],
    ['', ''],
    ['/', ''],
    ['john', 'john/'], // so `john` never lists `johnny/`
    ['john/', 'john/'],
    ['/john/2026', 'john/2026/'],
  ])('%j -> %j', (raw, expected) => {
    expect(normalizeFolder(raw)).toBe(expected);
  });
  it('refuses dot segments and control characters', () => {
    expect(code(() => normalizeFolder('../_portal'))).toBe('400 invalid_prefix');
    expect(code(() => normalizeFolder('a\u0000'))).toBe('400 invalid_prefix');
  });
});
