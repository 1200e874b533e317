// The upload API's page-facing calls (issue 3): who am I and what may I send, and what arrived.
import { api } from '../shared/api-client.js';
import type { MeResponse } from '../../../lambdas/uploads/me.js';

/** GET /api/me: the uploads Lambda's own response type, so the two cannot drift apart. */
export type Me = MeResponse;

export interface ReceivedFile {
  name: string;
  size: number;
  uploadedAt: string | null;
}

export interface ReceivedFilesPage {
  files: ReceivedFile[];
  nextToken: string | null;
}

export const fetchMe = () => api.get<Me>('/api/me');

/**
 * GET /api/files?continuationToken= -> `{files: [{name, relativePath, size, lastModified}], nextToken}`
 * (lambdas/uploads/files.ts). Tolerant of missing fields: the list is informational.
 */
export async function fetchReceivedFiles(continuationToken?: string | null): Promise<ReceivedFilesPage> {
  const body = await api.get<unknown>('/api/files', { query: { continuationToken } });
  return normalizeFilesPage(body);
}

export function normalizeFilesPage(body: unknown): ReceivedFilesPage {
  const record = (body ?? {}) as Record<string, unknown>;
  const list = Array.isArray(record.files) ? record.files : Array.isArray(body) ? body : [];
  const files = list.map((item): ReceivedFile => {
    const f = (item ?? {}) as Record<string, unknown>;
    const key = typeof f.key === 'string' ? f.key : '';
    const base = [f.displayName, f.name, key.split('/').pop()].find((v): v is string => typeof v === 'string' && v !== '') ?? '(unnamed)';
    // Files from a folder drop keep their sub-folders: show "q3/reports/a.pdf".
    const name = typeof f.relativePath === 'string' && f.relativePath !== '' ? `${f.relativePath}/${base}` : base;
    const date = [f.uploadedAt, f.lastModified, f.uploadTime].find((v): v is string => typeof v === 'string');
    return { name, size: typeof f.size === 'number' ? f.size : 0, uploadedAt: date ?? null };
  });
  const token = [record.nextToken, record.continuationToken, record.nextContinuationToken].find((v): v is string => typeof v === 'string' && v !== '');
  return { files, nextToken: token ?? null };
}
