// The CRC of byte strings joined, from their CRCs and lengths (zlib's crc32_combine, for any reflected
// CRC whose initial value and final XOR are all ones: CRC32, CRC32C, CRC64NVME). S3 derives a
// multipart upload's FULL_OBJECT checksum this way at CompleteMultipartUpload, from the part checksums
// it verified on arrival. The page derives the same value from the part checksums it computed, so each
// byte of a file is hashed once; the local S3 server completes uploads with this same code.
//
// Plain TypeScript for both the browser and Node, with its own base64 for the 8-byte values (no Buffer;
// atob alone took 20-60 ms for 10,000 values in a fresh Chromium worker).

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

/**
 * Multiplication by one factor, a byte at a time. Entry (k, v) holds, as big-endian bytes, the factor
 * times a CRC whose byte k (big-endian) is v and whose other bytes are zero; the product being linear
 * in the CRC, a CRC times the factor is the XOR of its bytes' entries. So the combine's loop looks up a
 * table per byte instead of multiplying bigints bit by bit: 10,000 parts of one size combine in 15-40 ms
 * in a fresh Chromium worker on 2 busy cores (a few ms once warm), against about 150 ms bit by bit.
 */
function productTable(crc: ReflectedCrc, factor: bigint): Uint8Array {
  const bytes = crc.width / 8;
  const table = new Uint8Array(bytes * 256 * bytes);
  // The factor times each single bit of a CRC, from the top bit (x^0, reflected) down, each the one
  // before times x: a reflected shift.
  let product = factor;
  for (let bit = crc.width - 1; bit >= 0; bit--) {
    const at = ((bytes - 1 - (bit >> 3)) * 256 + (1 << (bit & 7))) * bytes;
    for (let j = 0; j < bytes; j += 4) {
      // Four bytes per bigint operation (a Uint8Array keeps each value's low 8 bits).
      const word = Number((product >> BigInt(crc.width - 32 - 8 * j)) & 0xffffffffn);
      table.set([word >>> 24, word >>> 16, word >>> 8, word], at + j);
    }
    product = product & 1n ? (product >> 1n) ^ crc.poly : product >> 1n;
  }
  // Every other byte value: the entry of its lowest set bit XOR the entry of the rest.
  for (let k = 0; k < bytes; k++) {
    for (let value = 3; value < 256; value++) {
      const low = value & -value;
      if (low === value) continue;
      const at = (k * 256 + value) * bytes;
      const lowAt = (k * 256 + low) * bytes;
      const restAt = (k * 256 + (value ^ low)) * bytes;
      for (let j = 0; j < bytes; j++) table[at + j] = table[lowAt + j]! ^ table[restAt + j]!;
    }
  }
  return table;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const SEXTETS = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) SEXTETS[BASE64.charCodeAt(i)] = i;

/** A base64 CRC (padded, as S3 writes it) into `out`, big-endian, one byte per byte of `out`. */
function readCrc(base64: string, out: Uint8Array): void {
  const significant = Math.ceil((out.length * 8) / 6);
  const padded = Math.ceil(out.length / 3) * 4;
  let valid = base64.length === padded;
  let bits = 0;
  let pending = 0;
  let at = 0;
  for (let i = 0; valid && i < padded; i++) {
    const code = base64.charCodeAt(i);
    if (i >= significant) {
      valid = code === 61; // '='
      continue;
    }
    const sextet = code < 128 ? SEXTETS[code]! : -1;
    valid = sextet >= 0;
    pending = ((pending << 6) | sextet) & 0x3fff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      // The last character's low bits, past the last byte, are padding (zero as S3 writes them).
      if (at < out.length) out[at++] = (pending >> bits) & 0xff;
    }
  }
  if (!valid) throw new RangeError(`Not a ${out.length * 8}-bit CRC in base64: ${base64}`);
}

function writeCrc(bytes: Uint8Array): string {
  let text = '';
  let bits = 0;
  let pending = 0;
  for (const byte of bytes) {
    pending = ((pending << 8) | byte) & 0x3fff;
    for (bits += 8; bits >= 6; ) {
      bits -= 6;
      text += BASE64[(pending >> bits) & 63];
    }
  }
  if (bits > 0) text += BASE64[(pending << (6 - bits)) & 63];
  return text.padEnd(Math.ceil(text.length / 4) * 4, '=');
}

/**
 * The CRC (base64, big-endian) of the parts' bytes in order, from each part's CRC and size; the CRC of
 * no bytes for no parts. Parts of one size (all but the last, usually) share one shift factor and its
 * product table; each size costs about half a millisecond to prepare.
 */
export function combinedChecksum(crc: ReflectedCrc, parts: readonly PartCrc[]): string {
  const bytes = crc.width / 8;
  const tables = new Map<number, Uint8Array>();
  let combined = new Uint8Array(bytes);
  let next = new Uint8Array(bytes);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    readCrc(part.value, next);
    if (i > 0) {
      let table = tables.get(part.size);
      if (table === undefined) tables.set(part.size, (table = productTable(crc, shiftFactor(crc, part.size))));
      // The CRC so far moved past this part's bytes (times x^(8 * size)), XOR the part's own CRC.
      for (let k = 0; k < bytes; k++) {
        const at = (k * 256 + combined[k]!) * bytes;
        for (let j = 0; j < bytes; j++) next[j]! ^= table[at + j]!;
      }
    }
    const done = combined;
    combined = next;
    next = done;
  }
  return writeCrc(combined);
}
