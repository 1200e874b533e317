// The upload API's page-facing calls: who am I and what may I send, and what arrived. The shapes are
// the uploads Lambda's own (contract/api/uploads.ts), so the two cannot drift apart.
import { UPLOADS_ROUTES, type FileEntry, type FilePage, type MeResponse } from '../../../contract/api/uploads.js';
import type { StoredChecksum } from '../../../contract/checksums.js';
import type { ScanState } from '../../../contract/malware-scan.js';
import { api } from '../shared/api-client.js';

export type Me = MeResponse;

export interface ReceivedFile {
  /** Sub-folders first: `q3/reports/a.pdf` (the file's path in the endpoint's folder). */
  name: string;
  size: number;
  uploadedAt: string | null;
  /** The malware scan's state, or null when the server does not say. */
  scan: ScanState | null;
  /** The checksum S3 keeps for the file, or null when it keeps none (or the server does not say). */
  checksum: StoredChecksum | null;
}

export interface ReceivedFilesPage {
  files: ReceivedFile[];
  nextToken: string | null;
}

export const fetchMe = () => api.get<Me>(UPLOADS_ROUTES.me.path);

export async function fetchReceivedFiles(continuationToken?: string | null): Promise<ReceivedFilesPage> {
  return toReceivedFiles(await api.get<FilePage>(UPLOADS_ROUTES.files.path, { query: { continuationToken } }));
}

/** Files from a folder drop keep their sub-folders: shown as "q3/reports/a.pdf". */
export const toReceivedFile = (file: FileEntry): ReceivedFile => ({
  name: file.relativePath ? `${file.relativePath}/${file.name}` : file.name,
  size: file.size,
  uploadedAt: file.lastModified,
  scan: file.scan ?? null,
  checksum: file.checksum ?? null,
});

/** What a customer is told about a file: it arrived, and what the malware check made of it. */
export function receivedStatus(scan: ScanState | null): string {
  switch (scan) {
    case 'pending':
      return 'Received, being checked';
    case 'infected':
      return 'Refused: malware found';
    case 'unsupported':
    case 'failed':
    case 'too_large':
      return 'Received, could not be checked (the recipient decides)';
    default:
      return 'Received';
  }
}

export const toReceivedFiles = (page: FilePage): ReceivedFilesPage => ({ files: page.files.map(toReceivedFile), nextToken: page.nextToken });
