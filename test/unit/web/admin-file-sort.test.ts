// The file browser asks the catalog for its order and filters (sorting happens there, over every
// file, not over the rows loaded); these are the rules that turn the page's state into that query.
import { describe, expect, it } from 'vitest';
import { breadcrumbs, folderLabel, folderOfKey, listingQuery, nextSort, NO_FILTERS, truncatedFoldersNote } from '../../../web/src/admin/file-sort.js';

describe('file browser sort and filters', () => {
  it('flips the order of the same column, and starts another in its natural order', () => {
    expect(nextSort({ key: 'name', order: 'asc' }, 'name')).toEqual({ key: 'name', order: 'desc' });
    expect(nextSort({ key: 'name', order: 'desc' }, 'name')).toEqual({ key: 'name', order: 'asc' });
    expect(nextSort({ key: 'name', order: 'asc' }, 'size')).toEqual({ key: 'size', order: 'desc' });
    expect(nextSort({ key: 'size', order: 'asc' }, 'time')).toEqual({ key: 'time', order: 'desc' });
    expect(nextSort({ key: 'time', order: 'desc' }, 'name')).toEqual({ key: 'name', order: 'asc' });
  });

  it('asks for one folder, or every folder of the endpoint without a prefix', () => {
    const sort = { key: 'size', order: 'desc' } as const;
    expect(listingQuery({ endpoint: 'acme', prefix: 'q3/', scope: 'folder', sort, filters: NO_FILTERS, pageSize: 50 })).toEqual({
      endpoint: 'acme',
      prefix: 'q3/',
      scope: 'folder',
      sort: 'size',
      order: 'desc',
      pageSize: '50',
    });
    expect(listingQuery({ endpoint: 'acme', prefix: 'q3/', scope: 'endpoint', sort, filters: NO_FILTERS, pageSize: 1000 })).not.toHaveProperty('prefix');
  });

  it('sends a name search as a prefix or a substring, and whole UTC days as the time range', () => {
    const sort = { key: 'name', order: 'asc' } as const;
    expect(listingQuery({ scope: 'all', sort, filters: { search: ' Rep ', match: 'prefix', fromDay: '2026-11-01', toDay: '2026-11-30' }, pageSize: 100 })).toEqual({
      scope: 'all',
      sort: 'name',
      order: 'asc',
      pageSize: '100',
      name: 'Rep',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-30T23:59:59.999Z',
    });
    expect(listingQuery({ scope: 'all', sort, filters: { ...NO_FILTERS, search: 'q3', match: 'contains' }, pageSize: 100 })).toMatchObject({ contains: 'q3' });
  });

  it('labels folders, builds breadcrumbs, and finds the folder of a key', () => {
    expect(folderLabel('q3/reports/')).toBe('reports');
    expect(breadcrumbs('q3/reports/')).toEqual([
      { label: 'q3', prefix: 'q3/' },
      { label: 'reports', prefix: 'q3/reports/' },
    ]);
    expect(breadcrumbs('')).toEqual([]);
    expect(folderOfKey('uploads/acme/q3/reports/a.pdf')).toBe('q3/reports/');
    expect(folderOfKey('uploads/acme/a.pdf')).toBe('');
  });

  it('says when the folder list was cut, and how to reach the files of the other folders', () => {
    expect(truncatedFoldersNote(1000, false)).toBe('Showing the first 1,000 folders; this folder has more. Switch on "All folders" to list the files of every folder.');
    expect(truncatedFoldersNote(131, false)).toBe('Showing the first 131 folders (their names are long); this folder has more. Switch on "All folders" to list the files of every folder.');
    expect(truncatedFoldersNote(3, true)).toBe('Only the first 1,000 folders were searched by name. Switch on "All folders" to search the files of every folder.');
  });
});
