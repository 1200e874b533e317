// `GET /api/files`: the caller's own completed files, one page at a time, without download links
// (customers send files; only admins fetch them). ListObjectsV2 returns no metadata, and a HeadObject per
// file would cost a request each, so the name shown is the key's (the sanitised name, which keeps the
// original except for unsafe characters and a ` (2)` added to a duplicate).
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { FileEntry, FilePage } from '../../contract/api/uploads.js';
import { FILES_PAGE } from '../../contract/limits.js';
import { PortalError } from '../shared/errors.js';
import { parseObjectKey } from '../shared/object-key.js';
import { listWithinBudget } from '../shared/response-budget.js';
import { endpointPrefix } from '../../contract/bucket-layout.js';
import type { UploadsCore } from './core.js';
import { s3ErrorName } from '../shared/s3-errors.js';

export function parsePageSize(raw: string | undefined): number {
  if (raw === undefined || raw === '') return FILES_PAGE.default;
  const value = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= FILES_PAGE.max)) throw new PortalError('invalid_page_size', `pageSize must be from 1 to ${FILES_PAGE.max}`);
  return value;
}

export async function listFiles(core: UploadsCore, endpoint: string, continuationToken: string | undefined, pageSize: number): Promise<FilePage> {
  if (continuationToken !== undefined && (continuationToken.length === 0 || continuationToken.length > 4096)) {
    throw new PortalError('invalid_token', 'Not a valid continuation token');
  }
  // A page of up to 1,000 maximal keys would not fit the ALB's 1 MB response cap: see response-budget.ts.
  return listWithinBudget(pageSize, async (maxKeys) => {
    let result;
    try {
      result = await core.s3.send(
        new ListObjectsV2Command({
          Bucket: core.settings.bucket,
          // The trailing slash: endpoint `john` never lists `johnny/`.
          Prefix: endpointPrefix(endpoint),
          ContinuationToken: continuationToken,
          MaxKeys: maxKeys,
        }),
      );
    } catch (error) {
      if (s3ErrorName(error) === 'InvalidArgument') throw new PortalError('invalid_token', 'Not a valid continuation token');
      throw error;
    }
    const files: FileEntry[] = [];
    for (const object of result.Contents ?? []) {
      // Only keys the portal could have written: no folder markers, nothing hidden or internal.
      const parsed = parseObjectKey(object.Key);
      if (!parsed || parsed.endpoint !== endpoint) continue;
      files.push({
        name: parsed.name,
        relativePath: parsed.folders.join('/'),
        size: object.Size ?? 0,
        lastModified: object.LastModified?.toISOString() ?? null,
      });
    }
    const page: FilePage = { files, nextToken: result.IsTruncated && result.NextContinuationToken ? result.NextContinuationToken : null };
    return { page, listed: result.Contents?.length ?? 0 };
  });
}
