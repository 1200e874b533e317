import { describe, expect, it } from 'vitest';
import { normalizeFilesPage } from '../../../web/src/customer/api.js';

describe('received files listing', () => {
  it('reads the API\'s fields and shows sub-folders before the name', () => {
    expect(
      normalizeFilesPage({
        files: [
          { name: 'a.pdf', relativePath: '', size: 3, lastModified: '2026-11-25T10:00:00Z' },
          { name: 'b.pdf', relativePath: 'q3/reports', size: 4, lastModified: null },
        ],
        nextToken: 't',
      }),
    ).toEqual({
      files: [
        { name: 'a.pdf', size: 3, uploadedAt: '2026-11-25T10:00:00Z' },
        { name: 'q3/reports/b.pdf', size: 4, uploadedAt: null },
      ],
      nextToken: 't',
    });
  });

  it('accepts S3-style spellings and falls back to the key\'s last segment', () => {
    expect(normalizeFilesPage({ files: [{ key: 'uploads/acme/q3/b.zip', size: 9, lastModified: '2026-11-25T11:00:00Z' }], continuationToken: null })).toEqual({
      files: [{ name: 'b.zip', size: 9, uploadedAt: '2026-11-25T11:00:00Z' }],
      nextToken: null,
    });
  });

  it('treats anything unexpected as an empty page', () => {
    expect(normalizeFilesPage(null)).toEqual({ files: [], nextToken: null });
    expect(normalizeFilesPage({ files: [{}] })).toEqual({ files: [{ name: '(unnamed)', size: 0, uploadedAt: null }], nextToken: null });
  });
});
