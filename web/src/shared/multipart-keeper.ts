// Keeps a file's multipart upload on S3 until the person cancels it. @uppy/aws-s3 5.1.0 aborts the
// multipart upload on any final error of a fresh upload (HTTPCommunicationQueue.uploadFile calls
// abortFileUpload) and clears its key and upload id, so every part sent was deleted and a retry
// started again from byte 0 under a new name. Here a failure keeps both on the file (and so in
// Golden Retriever's copy): a retry lists the parts S3 holds and sends only the missing ones.
//
// A file refused on resume as a different file (stored-part-check.ts) is not the file those parts came
// from: removing it throws away the wrong bytes, not the parts. Its upload stays on S3, listed with the
// login's unfinished uploads (where it can be cancelled), until the bucket's lifecycle rule ends it.
import { isDifferentFileError } from './stored-part-check.js';

export interface MultipartIds {
  key: string;
  uploadId: string;
}

/** Why @uppy/aws-s3 asks to abort: the person removed the file or cancelled all, or the upload failed. */
export type AbortCause = 'cancelled' | 'failed';

/**
 * Parts on S3 can be hours of someone's bandwidth: only the person may throw them away. A failed
 * upload stays resumable (the bucket's lifecycle rule removes it if nobody comes back).
 */
export const shouldAbortOnS3 = (cause: AbortCause): boolean => cause === 'cancelled';

/** What the keeper reads of an Uppy file; `s3Multipart` is where @uppy/aws-s3 keeps the ids. */
export interface KeptFile {
  id: string;
  s3Multipart?: Partial<MultipartIds>;
  progress?: { uploadComplete?: boolean };
}

/** Uppy's file events; `upload-error` passes the error as well. */
type FileHandler = (file?: KeptFile, error?: unknown) => void;
type KeeperEvent = 'upload-error' | 'upload-success' | 'file-added' | 'file-removed' | 'cancel-all';

/**
 * The little of Uppy the keeper uses (a fake in unit tests); an `Uppy` is one. Uppy's file type does
 * not declare `s3Multipart`, but its setFileState merges whatever state it is given.
 */
export interface KeeperUppy {
  getFile(id: string): KeptFile | undefined;
  getFiles(): KeptFile[];
  setFileState(id: string, state: Partial<KeptFile>): void;
  on(event: KeeperEvent, handler: FileHandler): unknown;
  off(event: KeeperEvent, handler: FileHandler): unknown;
}

/**
 * Install before any upload starts: the listeners must run before @uppy/aws-s3's per-file ones,
 * which clear the ids on "Cancel all" before the files are removed.
 */
export function keepMultipartUploads(uppy: KeeperUppy, abortOnS3: (ids: MultipartIds) => Promise<unknown>) {
  /** The multipart upload created for each file in this page: Uppy forgets it when a fresh upload fails. */
  const created = new Map<string, MultipartIds>();
  /** Files the person removed (one by one or with "Cancel all"), until the same file is added again. */
  const cancelled = new Set<string>();
  /** Upload ids a DELETE went out for: our listeners and @uppy/aws-s3 may both ask. */
  const aborted = new Set<string>();
  /** Files refused as a different file: their upload outlives their removal. */
  const refused = new Set<string>();

  const idsOf = (file: KeptFile): MultipartIds | undefined => {
    const { key, uploadId } = file.s3Multipart ?? {};
    return key && uploadId ? { key, uploadId } : created.get(file.id);
  };
  const abortOnce = async (ids: MultipartIds): Promise<void> => {
    if (aborted.has(ids.uploadId)) return;
    aborted.add(ids.uploadId);
    // A failed abort leaves the parts to the bucket's lifecycle rule; the file is gone either way.
    await abortOnS3(ids).catch(() => undefined);
  };

  // Aborted here rather than only through the plugin: a failed (or restored, not yet resumed) file
  // has no uploader left in @uppy/aws-s3, so removing it would otherwise leave its parts behind.
  const onRemoved: FileHandler = (file) => {
    if (!file) return;
    const ids = idsOf(file);
    created.delete(file.id);
    // Not a cancel of the upload, so @uppy/aws-s3's own abort request is refused as for a failure.
    if (refused.delete(file.id)) return;
    cancelled.add(file.id);
    if (ids && !file.progress?.uploadComplete) void abortOnce(ids);
  };
  // Read while the ids are still on the files (@uppy/aws-s3 clears them before they are removed).
  const onCancelAll = () => uppy.getFiles().forEach(onRemoved);
  // The same file again (the original, after a refusal): its upload is the person's to cancel again.
  const onAdded: FileHandler = (file) => {
    if (!file) return;
    cancelled.delete(file.id);
    refused.delete(file.id);
  };
  // @uppy/aws-s3 has cleared the ids by the time it reports the error: put them back.
  const onError: FileHandler = (file, error) => {
    if (file && isDifferentFileError(error)) refused.add(file.id);
    const current = file && uppy.getFile(file.id);
    const ids = current && created.get(current.id);
    if (!current || !ids || current.s3Multipart?.uploadId) return;
    uppy.setFileState(current.id, { s3Multipart: { ...current.s3Multipart, ...ids } });
  };
  const onSuccess: FileHandler = (file) => {
    if (!file) return;
    created.delete(file.id);
    refused.delete(file.id);
  };

  const listeners: [KeeperEvent, FileHandler][] = [
    ['cancel-all', onCancelAll],
    ['file-removed', onRemoved],
    ['file-added', onAdded],
    ['upload-error', onError],
    ['upload-success', onSuccess],
  ];
  for (const [event, handler] of listeners) uppy.on(event, handler);

  return {
    /** Call with each `createMultipartUpload` result. */
    remember(fileId: string, ids: MultipartIds): void {
      created.set(fileId, ids);
    },
    /** The `abortMultipartUpload` option: @uppy/aws-s3 calls it on cancel and on any failure. */
    abortMultipartUpload(file: { id: string }, { key, uploadId }: { key: string; uploadId?: string }): Promise<void> {
      // Without an upload id nothing was created on S3.
      if (!uploadId) return Promise.resolve();
      return shouldAbortOnS3(cancelled.has(file.id) ? 'cancelled' : 'failed') ? abortOnce({ key, uploadId }) : Promise.resolve();
    },
    stop(): void {
      for (const [event, handler] of listeners) uppy.off(event, handler);
    },
  };
}
