// The receipt of a file in "Received files": the same FileReceipt, built by the same fileReceipt(), as
// the page gives for its own uploads, from what the catalog answers (GET /api/files), so a customer can
// take one from any browser, after a reload or for a file sent elsewhere. Only for a checksum the
// receipt can state: the portal's CRC64NVME of the whole file (a stock client's upload may carry
// another algorithm, or none).
import { customerFileKey } from '../../../contract/bucket-layout.js';
import { CHECKSUM_ALGORITHM, CHECKSUM_TYPE, type FileReceipt } from '../../../contract/checksums.js';
import { fileChecksumOf } from '../shared/checksum-format.js';
import { fileReceipt } from '../shared/receipt.js';
import type { ReceivedFile } from './api.js';

/** The key S3 stores the file under: the endpoint's folder, then the file's path in it. */
export const receivedFileKey = (endpoint: string, file: Pick<ReceivedFile, 'name'>): string => customerFileKey(endpoint, file.name);

/** The file's receipt, or null when it has no whole-file CRC64NVME (or no time of arrival). */
export function receivedFileReceipt(endpoint: string, file: ReceivedFile): FileReceipt | null {
  const stored = file.checksum;
  if (!stored || stored.algorithm !== CHECKSUM_ALGORITHM || (stored.type !== null && stored.type !== CHECKSUM_TYPE) || file.uploadedAt === null) return null;
  const checksum = fileChecksumOf(stored.base64);
  if (!checksum) return null;
  return fileReceipt({ displayName: file.name, key: receivedFileKey(endpoint, file), endpoint, size: file.size, checksum, completedAt: file.uploadedAt });
}
