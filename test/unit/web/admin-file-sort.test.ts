import { describe, expect, it } from 'vitest';
import type { FileEntry } from '../../../contract/api/admin.js';
import { breadcrumbs, folderLabel, sortFiles, sortFolders } from '../../../web/src/admin/file-sort.js';

const file = (name: string, size: number, lastModified: string): FileEntry => ({ key: `uploads/acme/${name}`, name, size, lastModified, uploadedBy: null });
const files = [file('b10.pdf', 5, '2026-01-03T00:00:00Z'), file('B2.pdf', 50, '2026-01-01T00:00:00Z'), file('a.zip', 500, '2026-01-02T00:00:00Z')];

describe('file browser sorting', () => {
  it('sorts names naturally and case-insensitively', () => {
    expect(sortFiles(files, 'name', 'asc').map((f) => f.name)).toEqual(['a.zip', 'B2.pdf', 'b10.pdf']);
    expect(sortFiles(files, 'name', 'desc').map((f) => f.name)).toEqual(['b10.pdf', 'B2.pdf', 'a.zip']);
  });

  it('sorts by size and by date', () => {
    expect(sortFiles(files, 'size', 'desc').map((f) => f.size)).toEqual([500, 50, 5]);
    expect(sortFiles(files, 'date', 'asc').map((f) => f.name)).toEqual(['B2.pdf', 'a.zip', 'b10.pdf']);
  });

  it('does not modify its input', () => {
    const copy = [...files];
    sortFiles(files, 'size', 'asc');
    expect(files).toEqual(copy);
  });

  it('sorts folders and labels them', () => {
    expect(sortFolders(['acme/z/', 'acme/a10/', 'acme/a2/'], 'asc')).toEqual(['acme/a2/', 'acme/a10/', 'acme/z/']);
    expect(folderLabel('q3/reports/')).toBe('reports');
  });

  it('builds breadcrumbs from a prefix', () => {
    expect(breadcrumbs('q3/reports/')).toEqual([
      { label: 'q3', prefix: 'q3/' },
      { label: 'reports', prefix: 'q3/reports/' },
    ]);
    expect(breadcrumbs('')).toEqual([]);
  });
});
