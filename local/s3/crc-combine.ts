// The CRC of two byte strings joined, from their two CRCs and the second one's length (zlib's
// crc32_combine, for any reflected CRC whose initial value and final XOR are all ones: CRC32, CRC32C,
// CRC64NVME). This is how S3 derives a FULL_OBJECT checksum at CompleteMultipartUpload from the
// checksums of the parts it verified on arrival, without reading the object's bytes a second time.
import type { ChecksumAlgorithm } from './checksums.js';

interface CrcSpec {
  width: number;
  /** The reflected polynomial. */
  poly: bigint;
}

const SPECS: Partial<Record<ChecksumAlgorithm, CrcSpec>> = {
  crc32: { width: 32, poly: 0xedb88320n },
  crc32c: { width: 32, poly: 0x82f63b78n },
  crc64nvme: { width: 64, poly: 0x9a6c9329ac4bc9b5n },
};

/** a(x) * b(x) mod p(x), reflected (the top bit is x^0). */
function multiplyModP({ width, poly }: CrcSpec, a: bigint, b: bigint): bigint {
  let product = 0n;
  for (let m = 1n << BigInt(width - 1); m > 0n && a !== 0n; m >>= 1n) {
    if (a & m) {
      product ^= b;
      a ^= m;
    }
    b = b & 1n ? (b >> 1n) ^ poly : b >> 1n;
  }
  return product;
}

/** x^(8 * bytes) mod p(x): what a CRC is multiplied by to move it past `bytes` bytes. */
function shiftFactor(spec: CrcSpec, bytes: number): bigint {
  let result = 1n << BigInt(spec.width - 1); // x^0
  let square = 1n << BigInt(spec.width - 2); // x^1
  // x^(8n) = (x^8)^n: square x up to x^8 first, then square-and-multiply over the bits of n.
  for (let i = 0; i < 3; i++) square = multiplyModP(spec, square, square);
  for (let n = BigInt(bytes); n > 0n; n >>= 1n) {
    if (n & 1n) result = multiplyModP(spec, result, square);
    square = multiplyModP(spec, square, square);
  }
  return result;
}

export const canCombine = (algorithm: ChecksumAlgorithm): boolean => SPECS[algorithm] !== undefined;

/**
 * The checksum (base64, big-endian) of the parts' bytes in order, from each part's checksum and size.
 * Parts of one size (all but the last, usually) share one shift factor.
 */
export function combinedChecksum(algorithm: ChecksumAlgorithm, parts: readonly { value: string; size: number }[]): string {
  const spec = SPECS[algorithm];
  if (!spec) throw new Error(`${algorithm} checksums do not combine`);
  const bytes = spec.width / 8;
  const factors = new Map<number, bigint>();
  let crc: bigint | undefined;
  for (const part of parts) {
    const value = BigInt(`0x${Buffer.from(part.value, 'base64').toString('hex')}`);
    if (crc === undefined) {
      crc = value;
      continue;
    }
    let factor = factors.get(part.size);
    if (factor === undefined) factors.set(part.size, (factor = shiftFactor(spec, part.size)));
    crc = multiplyModP(spec, factor, crc) ^ value;
  }
  return Buffer.from((crc ?? 0n).toString(16).padStart(bytes * 2, '0'), 'hex').toString('base64');
}
