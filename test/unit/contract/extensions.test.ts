import { describe, expect, it } from 'vitest';
import { isExtensionAllowed } from '../../../contract/extensions.js';

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
  ] as const)('isExtensionAllowed(%j, %j) = %j', (name, allowed, expected) => {
    expect(isExtensionAllowed(name, allowed as string[] | null)).toBe(expected);
  });

  it.each([
    ['report.PDF', ['pdf'], true],
    ['backup.tar.gz', ['tar.gz'], true],
    ['backup.gz', ['tar.gz'], false],
    ['archive.tar.gz', ['gz'], true],
    ['pdf', ['pdf'], false],
    ['.pdf', ['pdf'], false],
    ['notes.txt', ['pdf', 'zip'], false],
    ['anything.bin', null, true],
    ['anything.bin', [], true],
  ])('%s with %j -> %s', (name, allowed, ok) => expect(isExtensionAllowed(name, allowed)).toBe(ok));
});
