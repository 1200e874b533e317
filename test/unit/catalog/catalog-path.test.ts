import { describe, expect, it } from 'vitest';
import { catalogPath, decodedEventKey, parentOf } from '../../../lambdas/shared/catalog/catalog-path.js';

describe('catalogPath', () => {
  it('splits a key into endpoint, folder partition, segment and folders', () => {
    expect(catalogPath('uploads/acme/q3/reports/r\u00e9sum\u00e9 (2).pdf')).toEqual({
      key: 'uploads/acme/q3/reports/r\u00e9sum\u00e9 (2).pdf',
      endpoint: 'acme',
      path: 'q3/reports/r\u00e9sum\u00e9 (2).pdf',
      dir: 'acme/q3/reports/',
      segment: 'r\u00e9sum\u00e9 (2).pdf',
      folders: ['q3/', 'q3/reports/'],
    });
    expect(catalogPath('uploads/acme/a.txt')).toMatchObject({ dir: 'acme/', folders: [], path: 'a.txt' });
  });

  it.each([
    ['outside uploads/', '_portal/endpoints/acme.json'],
    ['an upload reservation', 'uploads/.portal-pending/acme/abc.json'],
    ['a malformed endpoint', 'uploads/Bad_Name/a.txt'],
    ['the endpoint folder itself', 'uploads/acme/'],
    ['a folder marker', 'uploads/acme/q3/'],
    ['an empty segment', 'uploads/acme//a.txt'],
    ['a dot segment', 'uploads/acme/../b/a.txt'],
    ['a control character', 'uploads/acme/a\u0007.txt'],
    ['a key over 1,024 bytes', `uploads/acme/${'x'.repeat(1024)}`],
    ['no key at all', undefined],
  ])('refuses %s', (_what, key) => {
    expect(catalogPath(key)).toBeNull();
  });
});

describe('parentOf', () => {
  it("names a folder's parent partition and segment; an endpoint's root has none", () => {
    expect(parentOf('acme/a/b/')).toEqual({ parentDir: 'acme/a/', segment: 'b' });
    expect(parentOf('acme/a/')).toEqual({ parentDir: 'acme/', segment: 'a' });
    expect(parentOf('acme/')).toBeNull();
  });
});

describe('decodedEventKey', () => {
  it("decodes S3's notification encoding (+ is a space) and answers null when nothing changes or it is not encoding", () => {
    expect(decodedEventKey('uploads/acme/red+flower%2B1.jpg')).toBe('uploads/acme/red flower+1.jpg');
    expect(decodedEventKey('uploads/acme/plain.txt')).toBeNull();
    expect(decodedEventKey('uploads/acme/100%.txt')).toBeNull();
  });
});
