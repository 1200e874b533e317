// The flexible checksums S3 accepts (x-amz-checksum-*), computed while a body streams so they can be verified without buffering.
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { createCRC64 } from 'hash-wasm';
import { CRC64NVME, type ReflectedCrc } from '../../contract/crc-combine.js';

export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export function isChecksumAlgorithm(value: string): value is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(value);
}

/** How a multipart object's checksum is made: from all its bytes, or from its parts' checksums (suffixed `-N`). */
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  /** Base64 of the big-endian digest; a COMPOSITE object value carries a `-<parts>` suffix. */
  value: string;
}

/** Length of each raw digest, to reject malformed values as InvalidDigest rather than BadDigest. */
export const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { crc32: 4, crc32c: 4, crc64nvme: 8, sha1: 20, sha256: 32 };

/**
 * The algorithms whose checksums combine (contract/crc-combine.ts): a FULL_OBJECT checksum of theirs is
 * derived from the parts' checksums, as S3 derives it. CRC32 and CRC32C are this S3 stand-in's alone;
 * CRC64NVME is the portal's, defined in the contract.
 */
const COMBINABLE_CRCS: Partial<Record<ChecksumAlgorithm, ReflectedCrc>> = {
  crc32: { width: 32, poly: 0xedb88320n },
  crc32c: { width: 32, poly: 0x82f63b78n },
  crc64nvme: CRC64NVME,
};

export const combinableCrc = (algorithm: ChecksumAlgorithm): ReflectedCrc | undefined => COMBINABLE_CRCS[algorithm];

export interface Hasher {
  update(data: Buffer): void;
  digest(): Buffer;
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

class Crc32 implements Hasher {
  private value = 0;
  update(data: Buffer): void {
    this.value = crc32(data, this.value);
  }
  digest(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(this.value >>> 0);
    return out;
  }
}

class Crc32c implements Hasher {
  private value = 0xffffffff;
  update(data: Buffer): void {
    let c = this.value;
    for (let i = 0; i < data.length; i++) c = (CRC32C_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8)) >>> 0;
    this.value = c;
  }
  digest(): Buffer {
    const out = Buffer.alloc(4);
    out.writeUInt32BE((this.value ^ 0xffffffff) >>> 0);
    return out;
  }
}

/**
 * CRC-64/NVME with hash-wasm (the library the portal's page hashes with), about twice as fast as the
 * JavaScript slice-by-8 this server had: it verifies every part of every checksummed upload, on the
 * same cores as the browser sending them. One WebAssembly instance serves every hash: each keeps its
 * 12-byte state and loads it around each update, which runs synchronously.
 */
const wasmCrc64 = await createCRC64(CRC64NVME.poly.toString(16).padStart(16, '0'));
const CRC64_INITIAL = wasmCrc64.init().save();

class Crc64Nvme implements Hasher {
  private state = CRC64_INITIAL;
  update(data: Buffer): void {
    this.state = wasmCrc64.load(this.state).update(data).save();
  }
  digest(): Buffer {
    return Buffer.from(wasmCrc64.load(this.state).digest('binary'));
  }
}

export function createChecksum(algorithm: ChecksumAlgorithm): Hasher {
  switch (algorithm) {
    case 'crc32':
      return new Crc32();
    case 'crc32c':
      return new Crc32c();
    case 'crc64nvme':
      return new Crc64Nvme();
    case 'sha1':
    case 'sha256': {
      const hash = createHash(algorithm);
      return { update: (d) => void hash.update(d), digest: () => hash.digest() };
    }
  }
}

/**
 * S3's checksum of a COMPOSITE multipart object, computed like its multipart ETag: the digest of the
 * concatenated raw part digests (in part order), base64, then a dash and the number of parts.
 */
export function compositeChecksum(algorithm: ChecksumAlgorithm, partValues: readonly string[]): string {
  const hasher = createChecksum(algorithm);
  for (const value of partValues) hasher.update(Buffer.from(value, 'base64'));
  return `${hasher.digest().toString('base64')}-${partValues.length}`;
}
