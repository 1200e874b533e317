// The CRC of byte strings joined, from their CRCs and lengths (zlib's crc32_combine, for any reflected
// CRC whose initial value and final XOR are all ones: CRC32, CRC32C, CRC64NVME). S3 derives a
// multipart upload's FULL_OBJECT checksum this way at CompleteMultipartUpload, from the part checksums
// it verified on arrival. The page derives the same value from the part checksums it computed, so each
// byte of a file is hashed once; the local S3 server completes uploads with this same code.
//
// Plain TypeScript for both the browser and Node: base64 goes through atob/btoa, not Buffer.

/** A reflected CRC whose initial value and final XOR are all ones. */
export interface ReflectedCrc {
  readonly width: 32 | 64;
  /** The reflected polynomial. */
  readonly poly: bigint;
}

/** The portal's checksum (`CHECKSUM_ALGORITHM` in checksums.ts): NVMe's polynomial, reflected. */
export const CRC64NVME: ReflectedCrc = { width: 64, poly: 0x9a6c9329ac4bc9b5n };

/** One part as the combine takes it: its CRC as S3 writes it (base64, big-endian) and its length in bytes. */
export interface PartCrc {
  value: string;
  size: number;
}

/** a(x) * b(x) mod p(x), reflected (the top bit is x^0). */
function multiplyModP({ width, poly }: ReflectedCrc, a: bigint, b: bigint): bigint {
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
function shiftFactor(crc: ReflectedCrc, bytes: number): bigint {
  let result = 1n << BigInt(crc.width - 1); // x^0
  let square = 1n << BigInt(crc.width - 2); // x^1
  // x^(8n) = (x^8)^n: square x up to x^8 first, then square-and-multiply over the bits of n.
  for (let i = 0; i < 3; i++) square = multiplyModP(crc, square, square);
  for (let n = BigInt(bytes); n > 0n; n >>= 1n) {
    if (n & 1n) result = multiplyModP(crc, result, square);
    square = multiplyModP(crc, square, square);
  }
  return result;
}

function fromBase64(crc: ReflectedCrc, base64: string): bigint {
  const binary = atob(base64);
  if (binary.length !== crc.width / 8) throw new RangeError(`Not a ${crc.width}-bit CRC: ${base64}`);
  let value = 0n;
  for (let i = 0; i < binary.length; i++) value = (value << 8n) | BigInt(binary.charCodeAt(i));
  return value;
}

function toBase64(crc: ReflectedCrc, value: bigint): string {
  let binary = '';
  for (let shift = crc.width - 8; shift >= 0; shift -= 8) binary += String.fromCharCode(Number((value >> BigInt(shift)) & 0xffn));
  return btoa(binary);
}

/**
 * The CRC (base64, big-endian) of the parts' bytes in order, from each part's CRC and size; the CRC of
 * no bytes for no parts. Parts of one size (all but the last, usually) share one shift factor.
 */
export function combinedChecksum(crc: ReflectedCrc, parts: readonly PartCrc[]): string {
  const factors = new Map<number, bigint>();
  let combined: bigint | undefined;
  for (const part of parts) {
    const value = fromBase64(crc, part.value);
    if (combined === undefined) {
      combined = value;
      continue;
    }
    let factor = factors.get(part.size);
    if (factor === undefined) factors.set(part.size, (factor = shiftFactor(crc, part.size)));
    combined = multiplyModP(crc, factor, combined) ^ value;
  }
  return toBase64(crc, combined ?? 0n);
}
