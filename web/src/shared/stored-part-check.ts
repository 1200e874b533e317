// A resume can never mix two files. Before an interrupted upload continues (after a pause, a network
// loss or a reload), each part S3 already holds is compared with the same part of the file the page
// has now: same size, same CRC64NVME. A person who picks a different file with the same name and size
// is told so before a single byte of it is sent, and nothing already sent is touched.
import type { ListPartsResponse } from '../../../contract/api/uploads.js';
import type { HashedParts } from './part-url-batcher.js';

/** The file the page holds is not the one the interrupted upload was sending. */
export class DifferentFileError extends Error {
  override readonly name = 'DifferentFileError';
  constructor(
    readonly fileName: string,
    /** The first stored part that does not match. */
    readonly partNumber: number,
    message: string,
  ) {
    super(message);
  }
}

export const isDifferentFileError = (error: unknown): error is DifferentFileError => error instanceof Error && error.name === 'DifferentFileError';

const different = (fileName: string, partNumber: number) =>
  new DifferentFileError(
    fileName,
    partNumber,
    `"${fileName}" is not the file this upload began with: part ${partNumber} already sent differs from the same part of this file. Nothing already sent was lost: add the original file again to continue. Removing this one keeps the upload among your unfinished uploads until you cancel it there or it expires.`,
  );

/**
 * Resolves when every stored part matches the file (waiting for the hasher to reach the last stored
 * part); rejects with DifferentFileError at the first one that does not.
 */
export async function assertSameFile(fileName: string, stored: ListPartsResponse, parts: HashedParts, signal?: AbortSignal): Promise<void> {
  for (const storedPart of [...stored].sort((a, b) => a.PartNumber - b.PartNumber)) {
    const n = storedPart.PartNumber;
    if (n > parts.totalParts) throw different(fileName, n);
    if (!storedPart.ChecksumCRC64NVME) {
      throw new DifferentFileError(
        fileName,
        n,
        `"${fileName}": the parts already sent carry no checksum, so this file cannot be checked against them, and they are not used. Nothing already sent is deleted: the upload stays among your unfinished uploads until you cancel it there or it expires. To send this file, remove it and add it again: it is sent from the start as a new upload.`,
      );
    }
    const mine = await parts.part(n, signal);
    if (storedPart.Size !== mine.size || storedPart.ChecksumCRC64NVME !== mine.checksum) throw different(fileName, n);
  }
}
