// One catalog listing as the pages show it: the first page whenever the query changes, more pages
// appended with the listing's own token, and what the last page cost (items read, milliseconds).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { FileEntry, FileListing } from '../../../contract/api/admin.js';
import { failureText } from '../shared/api-client.js';
import { adminApi } from './api.js';

export interface FileListingState {
  files: FileEntry[] | null;
  folders: string[];
  /** The first page's `foldersTruncated`: the folder has more sub-folders than `folders`. */
  foldersTruncated: boolean;
  nextToken: string | null;
  busy: boolean;
  error: string;
  /** Catalog items read and milliseconds taken, summed over the pages loaded. */
  scanned: number;
  tookMs: number;
  loadMore: () => void;
  reload: () => void;
  /** Takes a deleted file out of the rows. */
  forget: (key: string) => void;
}

export function useFileListing(query: Record<string, string>): FileListingState {
  const [files, setFiles] = useState<FileEntry[] | null>(null);
  const [folders, setFolders] = useState<string[]>([]);
  const [foldersTruncated, setFoldersTruncated] = useState(false);
  const [nextToken, setNextToken] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [cost, setCost] = useState({ scanned: 0, tookMs: 0 });
  const request = useRef(0);
  const key = JSON.stringify(query);

  const load = async (token: string | null) => {
    const id = ++request.current;
    setBusy(true);
    try {
      const page: FileListing = await adminApi.listFiles(query, token);
      if (id !== request.current) return;
      setFolders((current) => (token ? current : page.folders));
      setFoldersTruncated((current) => (token ? current : page.foldersTruncated));
      setFiles((current) => (token && current ? [...current, ...page.files] : page.files));
      setNextToken(page.nextToken);
      setCost((current) => (token ? { scanned: current.scanned + page.scanned, tookMs: current.tookMs + page.tookMs } : { scanned: page.scanned, tookMs: page.tookMs }));
      setError('');
    } catch (e) {
      if (id === request.current) setError(failureText(e, 'The files could not be listed.'));
    } finally {
      if (id === request.current) setBusy(false);
    }
  };

  useEffect(() => {
    setFiles(null);
    setFolders([]);
    setFoldersTruncated(false);
    setNextToken(null);
    void load(null);
  }, [key]);

  return {
    files,
    folders,
    foldersTruncated,
    nextToken,
    busy,
    error,
    scanned: cost.scanned,
    tookMs: cost.tookMs,
    loadMore: () => void (nextToken && load(nextToken)),
    reload: () => void load(null),
    forget: (fileKey) => setFiles((current) => current?.filter((f) => f.key !== fileKey) ?? null),
  };
}
