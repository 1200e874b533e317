// The checksum that proves a stored file is the customer's file, bit for bit. The page computes it
// from the file on the customer's disk, S3 verifies every part and the assembled object against it and
// keeps it, and the receipt, the catalog and the audit trail show it.
//
// CRC64NVME: S3's default algorithm, and with it the stored checksum of a multipart upload is a
// FULL_OBJECT checksum, the CRC of the whole file whatever the part size, so anyone can check a
// download against it with any CRC64NVME tool. (SHA-256 would be composite only for multipart
// uploads: a checksum of the part checksums, which depends on the part size.)

export const CHECKSUM_ALGORITHM = 'CRC64NVME';
export type ChecksumAlgorithm = typeof CHECKSUM_ALGORITHM;
export const CHECKSUM_TYPE = 'FULL_OBJECT';

/** The request and response header that carries the value, signed into part and small-file URLs. */
export const CHECKSUM_HEADER = 'x-amz-checksum-crc64nvme';
/** The header that names the algorithm of an SDK-style request, signed along with the value. */
export const SDK_CHECKSUM_ALGORITHM_HEADER = 'x-amz-sdk-checksum-algorithm';
export const CHECKSUM_TYPE_HEADER = 'x-amz-checksum-type';

/** A CRC64NVME value as S3 writes it: base64 of the 8-byte big-endian CRC (12 characters). */
const CRC64NVME_BASE64 = /^[A-Za-z0-9+/]{10}[AEIMQUYcgkosw048]=$/;
export const isChecksumValue = (value: unknown): value is string => typeof value === 'string' && CRC64NVME_BASE64.test(value);

/**
 * A stored file's checksum as S3 keeps it (HeadObject with ChecksumMode ENABLED, copied into the file
 * catalog when the file arrived): what both APIs answer for a received file.
 */
export interface StoredChecksum {
  /** `CRC64NVME` for every file sent from the portal's page; an upload by another client may carry `CRC32`, `CRC32C`, `SHA1` or `SHA256`. */
  algorithm: string;
  /** `FULL_OBJECT` (the checksum of the whole file) or `COMPOSITE` (a checksum of the parts' checksums, suffixed `-N`); null when S3 did not say. */
  type: string | null;
  /** As S3 answers it: base64, with a composite checksum's `-N` suffix. */
  base64: string;
}

/** The portal's own checksum of a file (CRC64NVME, FULL_OBJECT) as receipts, completions and the audit trail show it. */
export interface FileChecksum extends StoredChecksum {
  algorithm: ChecksumAlgorithm;
  type: typeof CHECKSUM_TYPE;
  /** The same 8 bytes in hex, as most CRC tools print it. */
  hex: string;
}

/** What the customer downloads as proof of what was received ("Download receipt": JSON and CSV). */
export interface FileReceipt {
  displayName: string;
  key: string;
  endpoint: string;
  size: number;
  algorithm: ChecksumAlgorithm;
  checksumBase64: string;
  checksumHex: string;
  completedAt: string;
}
