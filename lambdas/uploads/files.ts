// `GET /api/files`: the caller's own files, newest first, one page at a time, without download links
// (customers send files; only admins fetch them). Read from the file catalog (index endpoint-by-time),
// never by listing the bucket. The name shown is the key's (the sanitised name, which keeps the
// original except for unsafe characters and a ` (2)` added to a duplicate). Each file comes with the
// checksum S3 keeps for it, so the page can show it, and write a receipt, for any file received.
import type { FileEntry, FilePage } from '../../contract/api/uploads.js';
import { FILES_PAGE } from '../../contract/limits.js';
import type { CatalogDb } from '../shared/catalog/catalog-db.js';
import type { CatalogFile } from '../shared/catalog/catalog-items.js';
import { listCatalogFiles } from '../shared/catalog/file-listing.js';
import type { ListingQuery } from '../shared/catalog/listing-plan.js';
import { PortalError } from '../shared/errors.js';

export function parsePageSize(raw: string | undefined): number {
  if (raw === undefined || raw === '') return FILES_PAGE.default;
  const value = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= FILES_PAGE.max)) throw new PortalError('invalid_page_size', `pageSize must be from 1 to ${FILES_PAGE.max}`);
  return value;
}

const toEntry = (file: CatalogFile): FileEntry => {
  const slash = file.path.lastIndexOf('/');
  return {
    name: file.path.slice(slash + 1),
    relativePath: slash < 0 ? '' : file.path.slice(0, slash),
    size: file.size,
    lastModified: file.uploadedAt,
    scan: file.scan.state,
    // The checksum S3 keeps, as the catalog copied it: the customer can check a copy, and take a receipt, from any browser.
    ...(file.checksum ? { checksum: file.checksum } : {}),
  };
};

export async function listFiles(catalog: CatalogDb, endpoint: string, continuationToken: string | undefined, pageSize: number): Promise<FilePage> {
  if (continuationToken !== undefined && continuationToken.length === 0) throw new PortalError('invalid_token', 'Not a valid continuation token');
  const query: ListingQuery = { scope: 'endpoint', endpoint, folder: '', sort: 'time', order: 'desc', namePrefix: null, contains: null, from: null, to: null };
  // The page stays within the ALB's 1 MB response cap (file-listing.ts measures every entry).
  const page = await listCatalogFiles(catalog, query, { pageSize, token: continuationToken ?? null, toEntry });
  return { files: page.entries, nextToken: page.nextToken };
}
