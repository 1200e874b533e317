import { describe, expect, it } from 'vitest';
import { isExtensionAllowed, MAX_ALLOWED_EXTENSIONS, normaliseExtensionEntry, normaliseExtensionList } from '../../../contract/extensions.js';
import { parseCreateEndpoint } from '../../../lambdas/admin/endpoint-input.js';
import { buildCreateRequest, EMPTY_FORM } from '../../../web/src/admin/endpoint-form.js';

// One rule for the page (before a file is added) and the uploads Lambda (at create and completion).
// An empty list means "any type" for both, as the admin API stores it (null) and documents it.
describe('isExtensionAllowed', () => {
  it.each([
    ['a.pdf', ['pdf'], true],
    ['A.PDF', ['pdf'], true],
    ['a.pdf', ['.pdf'], true],
    ['a.tar.gz', ['tar.gz'], true],
    ['a.tar.gz', ['gz'], true],
    ['a.gz', ['tar.gz'], false],
    ['pdf', ['pdf'], false],
    ['a.pdf.exe', ['pdf'], false],
    ['a.pdfx', ['pdf'], false],
    ['a.exe', [], true],
    ['a.exe', null, true],
    ['a', ['', 'pdf'], false],
    ['report.PDF', ['pdf'], true],
    ['backup.tar.gz', ['tar.gz'], true],
    ['backup.gz', ['tar.gz'], false],
    ['archive.tar.gz', ['gz'], true],
    ['.pdf', ['pdf'], false],
    ['notes.txt', ['pdf', 'zip'], false],
    ['anything.bin', null, true],
    ['anything.bin', [], true],
  ])('%s with %j -> %s', (name, allowed, ok) => expect(isExtensionAllowed(name, allowed)).toBe(ok));
});

// One rule for an endpoint's list of extensions: the console checks it before sending, the admin
// Lambda again.
describe('normaliseExtensionEntry', () => {
  const ENTRIES = [
    ['pdf', 'pdf'],
    ['.PDF', 'pdf'],
    [' tar.gz ', 'tar.gz'],
    ['a.b.c', 'a.b.c'],
    ['x'.repeat(16), 'x'.repeat(16)],
    ['x'.repeat(17), null],
    ['a.b.c.d', null],
    ['tar..gz', null],
    ['tar.', null],
    ['ex*e', null],
    ['pd f', null],
    ['', null],
    ['.', null],
    [42, null],
  ] as const;

  it.each(ENTRIES)('%j -> %j', (value, expected) => expect(normaliseExtensionEntry(value)).toBe(expected));

  const NOW = Date.parse('2026-11-25T12:00:00Z');
  const page = (allowedTypes: string) => buildCreateRequest({ ...EMPTY_FORM, name: 'acme', customerEmail: 'a@acme.example', allowedTypes }, NOW);
  const server = (allowedExtensions: string[]) => () => parseCreateEndpoint({ name: 'acme', customerEmail: 'a@acme.example', allowedExtensions }, new Date(NOW));

  // The console's field splits on spaces, commas and semicolons and drops what is left empty ('.').
  const typable = ENTRIES.filter(([value]) => typeof value === 'string' && value.trim().replace(/^\.+/, '') && !/[\s,;]/.test(value.trim()));
  it.each(typable)('the page and the admin Lambda agree on %j', (value, expected) => {
    const result = page(value as string);
    if (expected === null) {
      expect(!result.ok && result.errors.allowedTypes).toBeTruthy();
      expect(server([value as string])).toThrow(expect.objectContaining({ code: 'invalid_extensions' }));
    } else {
      expect(result.ok && result.request.allowedExtensions).toEqual([expected]);
      expect(server([value as string])().settings.allowedExtensions).toEqual([expected]);
    }
  });

  it(`takes at most ${MAX_ALLOWED_EXTENSIONS} extensions, on both sides`, () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `e${i}`);
    expect(page(list(MAX_ALLOWED_EXTENSIONS).join(', ')).ok).toBe(true);
    expect(server(list(MAX_ALLOWED_EXTENSIONS))().settings.allowedExtensions).toHaveLength(MAX_ALLOWED_EXTENSIONS);
    const over = page(list(MAX_ALLOWED_EXTENSIONS + 1).join(', '));
    expect(!over.ok && over.errors.allowedTypes).toContain(`at most ${MAX_ALLOWED_EXTENSIONS}`);
    expect(server(list(MAX_ALLOWED_EXTENSIONS + 1))).toThrow(expect.objectContaining({ code: 'invalid_extensions' }));
  });
});

// One list rule for the console (before it sends, and to tell a change from a reorder) and the admin
// Lambda (what it stores).
describe('normaliseExtensionList', () => {
  it('normalises each entry, drops duplicates and sorts', () => {
    expect(normaliseExtensionList(['zip', '.PDF', ' tar.gz', 'pdf'])).toEqual({ ok: true, extensions: ['pdf', 'tar.gz', 'zip'] });
  });

  it('makes an empty list null (any type)', () => {
    expect(normaliseExtensionList([])).toEqual({ ok: true, extensions: null });
  });

  it('names the first entry that is not an extension', () => {
    expect(normaliseExtensionList(['pdf', 'ex*e', 7])).toEqual({ ok: false, invalid: 'ex*e' });
    expect(normaliseExtensionList([7])).toEqual({ ok: false, invalid: 7 });
  });

  it('is what the page sends and the admin Lambda stores, whatever the order typed', () => {
    const NOW = Date.parse('2026-11-25T12:00:00Z');
    const typed = buildCreateRequest({ ...EMPTY_FORM, name: 'acme', customerEmail: 'a@b.co', allowedTypes: 'zip .PDF, tar.gz zip' }, NOW);
    const request = typed.ok ? typed.request : undefined;
    expect(request?.allowedExtensions).toEqual(['pdf', 'tar.gz', 'zip']);
    expect(parseCreateEndpoint(request, new Date(NOW)).settings.allowedExtensions).toEqual(request?.allowedExtensions);
  });
});
