// A stored file's checksum as the portal shows it (receipts, answers, audit): S3's base64 value with
// its hex form derived, as most CRC tools print it.
import { CHECKSUM_ALGORITHM, CHECKSUM_TYPE, isChecksumValue, type FileChecksum } from '../../contract/checksums.js';

/** Null unless `base64` is a CRC64NVME value and the type, when S3 names one, is FULL_OBJECT. */
export function toFileChecksum(base64: string | undefined, type?: string): FileChecksum | null {
  if (!isChecksumValue(base64)) return null;
  if (type !== undefined && type !== CHECKSUM_TYPE) return null;
  return { algorithm: CHECKSUM_ALGORITHM, type: CHECKSUM_TYPE, base64, hex: Buffer.from(base64, 'base64').toString('hex') };
}
