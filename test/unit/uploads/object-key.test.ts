// Table tests for the shared key rules (lambdas/shared/object-key.ts) and metadata encoding.
import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../support/portal-error.js';
import {
  composeKey,
  displayName,
  isKeyInEndpoint,
  numberedName,
  parseObjectKey,
  sanitiseFileName,
  sanitiseFolders,
  sanitiseSegment,
  splitExtension,
} from '../../../lambdas/shared/object-key.js';
import { buildObjectMetadata, decodeMetadataValue, readObjectMetadata } from '../../../lambdas/shared/object-metadata.js';
import { reservationKey } from '../../../lambdas/shared/upload-reservation.js';

describe('sanitiseSegment', () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['  report.pdf ', 'report.pdf'],
    ['..', ''],
    ['.', ''],
    ['.env', 'env'],
    ['. .x', 'x'],
    ['a..b', 'a..b'],
    ['tab\there', 'tabhere'],
    ['nul\u0000l', 'null'],
    ['c1\u0085ctl', 'c1ctl'],
    ['line\u2028sep', 'linesep'],
    ['rlo\u202eexe.pdf', 'rloexe.pdf'],
    ['isolate\u2066x\u2069', 'isolatex'],
    ['bom\ufeff', 'bom'],
    ['e\u0301', '\u00e9'],
    ['日本語.txt', '日本語.txt'],
    ['emoji 🎉.png', 'emoji 🎉.png'],
    ['${filename}', 'filename'],
    ['${FILENAME}.txt', 'filename.txt'],
    ['100% #1 &=+.txt', '100% #1 &=+.txt'],
    // Made safe for Windows, where a downloaded file must be saved under its name.
    ['100% #1 ?&=+.txt', '100% #1 _&=+.txt'],
    ['a<b>c:d"e|f?g*h.txt', 'a_b_c_d_e_f_g_h.txt'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['Com1.log', '_Com1.log'],
    ['lpt9', '_lpt9'],
    ['CONSOLE.txt', 'CONSOLE.txt'],
    ['report.', 'report'],
    ['report . . ', 'report'],
    // NFC after removing unsafe characters: a mark left behind composes with its base letter.
    ['e\u200E\u0301.pdf', '\u00e9.pdf'],
    ['A\u202E\u030A', '\u00c5'],
  ])('%j -> %j', (raw, expected) => {
    expect(sanitiseSegment(raw)).toBe(expected);
  });
});

describe('sanitiseFileName', () => {
  it.each([
    ['dir/sub/file.txt', 'file.txt'],
    ['C:\\Users\\me\\file.txt', 'file.txt'],
    ['../../../etc/passwd', 'passwd'],
    ['file.txt/', undefined],
    ['..', undefined],
    ['\u0000', undefined],
    ['a'.repeat(255), 'a'.repeat(255)],
  ])('%j -> %j', (raw, expected) => {
    if (expected === undefined) expect(refusalOf(() => sanitiseFileName(raw))?.code).toBe('invalid_filename');
    else expect(sanitiseFileName(raw)).toBe(expected);
  });

  it('counts bytes, not characters: 85 three-byte characters fit, 86 do not', () => {
    expect(sanitiseFileName('語'.repeat(85))).toHaveLength(85);
    expect(refusalOf(() => sanitiseFileName('語'.repeat(86)))?.code).toBe('filename_too_long');
    expect(refusalOf(() => sanitiseFileName('a'.repeat(256)))?.code).toBe('filename_too_long');
  });
});

describe('sanitiseFolders', () => {
  it.each([
    [undefined, 'x.jpg', []],
    ['', 'x.jpg', []],
    ['x.jpg', 'x.jpg', []],
    ['/photos/x.jpg', 'x.jpg', ['photos']],
    ['photos/2024/x.jpg', 'x.jpg', ['photos', '2024']],
    ['photos\\2024\\x.jpg', 'x.jpg', ['photos', '2024']],
    ['../../x.jpg', 'x.jpg', []],
    ['a/./b/../c//x.jpg', 'x.jpg', ['a', 'b', 'c']],
    ['.git/config', 'config', ['git']],
    ['folder-only', 'x.jpg', ['folder-only']],
  ])('%j for %j -> %j', (path, name, expected) => {
    expect(sanitiseFolders(path, name)).toEqual(expected);
  });

  it('refuses a folder name over 255 bytes', () => {
    expect(refusalOf(() => sanitiseFolders(`${'d'.repeat(256)}/x`, 'x'))?.code).toBe('relative_path_too_long');
  });
});

describe('splitExtension and numberedName', () => {
  it.each([
    ['report.pdf', ['report', '.pdf'], 'report (2).pdf'],
    ['archive.tar.gz', ['archive', '.tar.gz'], 'archive (2).tar.gz'],
    ['my.report.v2.docx', ['my.report.v2', '.docx'], 'my.report.v2 (2).docx'],
    ['README', ['README', ''], 'README (2)'],
    ['tar.gz', ['tar', '.gz'], 'tar (2).gz'],
  ] as const)('%j', (name, split, second) => {
    expect(splitExtension(name)).toEqual(split);
    expect(numberedName(name, 1)).toBe(name);
    expect(numberedName(name, 2)).toBe(second);
  });
});

describe('composeKey', () => {
  it('joins endpoint, folders and name', () => {
    expect(composeKey('acme', [], 'a.pdf')).toBe('uploads/acme/a.pdf');
    expect(composeKey('acme', ['x', 'y'], 'a.pdf')).toBe('uploads/acme/x/y/a.pdf');
  });

  it('allows exactly 1,024 bytes and refuses 1,025', () => {
    const prefix = 'uploads/acme/';
    const name = 'n'.repeat(200);
    const folders = ['f'.repeat(200), 'g'.repeat(200), 'h'.repeat(200)];
    const used = prefix.length + folders.join('/').length + 1 + name.length;
    const last = 'k'.repeat(1024 - used - 1);
    expect(Buffer.byteLength(composeKey('acme', [...folders, last], name))).toBe(1024);
    expect(refusalOf(() => composeKey('acme', [...folders, `${last}k`], name))?.code).toBe('key_too_long');
  });
});

describe('parseObjectKey / isKeyInEndpoint', () => {
  it.each([
    ['uploads/acme/a.pdf', { endpoint: 'acme', folders: [], name: 'a.pdf' }],
    ['uploads/acme/x/y/a (2).pdf', { endpoint: 'acme', folders: ['x', 'y'], name: 'a (2).pdf' }],
    ['uploads/acme/日本語.txt', { endpoint: 'acme', folders: [], name: '日本語.txt' }],
    ['uploads/acme', null],
    ['uploads/acme/', null],
    ['uploads/acme/x/', null],
    ['uploads/acme//a', null],
    ['uploads/acme/../b/a', null],
    ['uploads/acme/./a', null],
    ['uploads/acme/.portal-pending', null],
    ['uploads/.portal-pending/acme/x.json', null],
    ['uploads/Acme/a', null],
    ['uploads/a/b', null],
    ['uploads/acme/a\u0007', null],
    ['uploads/acme/a\u202e', null],
    ['uploads/acme/a\\b', null],
    ['uploads/acme/ a', null],
    ['uploads/acme/e\u0301', null],
    ['_portal/endpoints/acme.json', null],
    ['uploadsacme/a', null],
    [42, null],
    [undefined, null],
  ])('%j -> %j', (key, expected) => {
    expect(parseObjectKey(key)).toEqual(expected);
  });

  it('keeps endpoints apart, including prefixes of each other', () => {
    expect(isKeyInEndpoint('uploads/john/a.pdf', 'john')).toBe(true);
    expect(isKeyInEndpoint('uploads/johnny/a.pdf', 'john')).toBe(false);
    expect(isKeyInEndpoint('uploads/john/a.pdf', 'johnny')).toBe(false);
  });

  it('accepts every key composeKey makes from sanitised input', () => {
    for (const raw of ['../a.pdf', ' .x y ', 'Ωmega\u0000.txt', 'r\u202efdp.exe']) {
      const name = sanitiseFileName(raw);
      const key = composeKey('acme', sanitiseFolders('../a/./b/', name), name);
      expect(parseObjectKey(key)).not.toBeNull();
    }
  });
});

describe('metadata', () => {
  it('encodes to ASCII and decodes back', () => {
    const meta = buildObjectMetadata({ originalName: 'Résumé „final“ 🎉.pdf', uploadedBy: 'jöe@exämple.com', declaredSize: 123 }, 'fallback.pdf');
    for (const value of Object.values(meta)) expect(value).toMatch(/^[\x21-\x7e]*$/);
    expect(readObjectMetadata(meta)).toEqual({ originalName: 'Résumé „final“ 🎉.pdf', uploadedBy: 'jöe@exämple.com', declaredSize: 123 });
  });

  it('falls back to the key name when the original would not fit S3 metadata limits', () => {
    const meta = buildObjectMetadata({ originalName: '語'.repeat(400), uploadedBy: 'a@b', declaredSize: 1 }, 'short.txt');
    expect(readObjectMetadata(meta).originalName).toBe('short.txt');
  });

  it('reads malformed or missing values as undefined', () => {
    expect(decodeMetadataValue('%E0%A4%A')).toBeUndefined();
    expect(readObjectMetadata(undefined)).toEqual({ originalName: undefined, uploadedBy: undefined, declaredSize: undefined });
    expect(readObjectMetadata({ 'declared-size': '-5' }).declaredSize).toBeUndefined();
  });

  it('gives a name that loses its composition when a mark is removed a key in NFC, which parses back (so it can be signed and listed)', () => {
    for (const raw of ['e\u200E\u0301.pdf', 'o\u202E\u0308\u200F.txt', 'CON.txt', 'a?b.txt']) {
      const key = composeKey('acme', [sanitiseSegment('dir\u200E\u0301')], sanitiseFileName(raw));
      expect(key.normalize('NFC'), raw).toBe(key);
      expect(parseObjectKey(key), raw).not.toBeNull();
    }
    expect(displayName('e\u200E\u0301 <CON>?.pdf')).toBe('\u00e9 <CON>?.pdf');
  });

  it('displayName keeps the name as typed, minus directory and control characters', () => {
    expect(displayName('dir/.env\u0000')).toBe('.env');
    expect(displayName('  Report.PDF ')).toBe('Report.PDF');
  });
});

describe('reservationKey', () => {
  it('lies outside every endpoint folder and is fixed-length whatever the key', () => {
    const key = reservationKey('acme', `uploads/acme/${'x'.repeat(1000)}`);
    expect(key).toMatch(/^uploads\/\.portal-pending\/acme\/[0-9a-f]{64}\.json$/);
    expect(parseObjectKey(key)).toBeNull();
    expect(reservationKey('acme', 'uploads/acme/a')).not.toBe(reservationKey('acme', 'uploads/acme/b'));
  });
});
