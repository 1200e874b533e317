// The flexible checksums S3 accepts (x-amz-checksum-*), computed while a body streams so they can be verified without buffering.
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { createCRC32, createCRC64, type IHasher } from 'hash-wasm';
import { CRC64NVME, type ReflectedCrc } from '../../contract/crc-combine.js';

export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export function isChecksumAlgorithm(value: string): value is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(value);
}

/** How a multipart object's checksum is made: from all its bytes, or from its parts' checksums (suffixed `-N`). */
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

export interface ObjectChecksum {
  algorithm: ChecksumAlgorithm;
  /** Base64 of the big-endian digest; a COMPOSITE object value carries a `-<parts>` suffix. */
  value: string;
}

/**
 * What S3 keeps for an object uploaded (PutObject, POST Object) without any checksum: since its
 * default data integrity protections (2025), a CRC64NVME of the whole object, which HeadObject with
 * checksum mode returns like a sent one ("S3 added the default checksum, CRC64NVME, to the uploaded
 * object", the API reference's Checksum). A multipart upload created without an algorithm is not
 * given one: the documentation names part checksums only for uploads created with an algorithm.
 */
export const DEFAULT_CHECKSUM_ALGORITHM: ChecksumAlgorithm = 'crc64nvme';

/** Length of each raw digest, to reject malformed values as InvalidDigest rather than BadDigest. */
export const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { crc32: 4, crc32c: 4, crc64nvme: 8, sha1: 20, sha256: 32 };

const CRC32C: ReflectedCrc = { width: 32, poly: 0x82f63b78n };

/**
 * The algorithms whose checksums combine (contract/crc-combine.ts): a FULL_OBJECT checksum of theirs is
 * derived from the parts' checksums, as S3 derives it. CRC32 and CRC32C are this S3 stand-in's alone;
 * CRC64NVME is the portal's, defined in the contract.
 */
const COMBINABLE_CRCS: Partial<Record<ChecksumAlgorithm, ReflectedCrc>> = {
  crc32: { width: 32, poly: 0xedb88320n },
  crc32c: CRC32C,
  crc64nvme: CRC64NVME,
};

export const combinableCrc = (algorithm: ChecksumAlgorithm): ReflectedCrc | undefined => COMBINABLE_CRCS[algorithm];

export interface Hasher {
  update(data: Buffer): void;
  digest(): Buffer;
}

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

/**
 * CRC32C and CRC-64/NVME with hash-wasm (the library the portal's page hashes with), about twice as fast
 * as a JavaScript table CRC: this server verifies every part of every checksummed upload, on the same
 * cores as the browser sending them. One WebAssembly instance per algorithm serves every hash: each
 * keeps its small state and loads it around each update, which runs synchronously.
 */
class WasmCrc implements Hasher {
  private state: Uint8Array;
  constructor(private readonly wasm: IHasher) {
    this.state = wasm.init().save();
  }
  update(data: Buffer): void {
    this.state = this.wasm.load(this.state).update(data).save();
  }
  digest(): Buffer {
    return Buffer.from(this.wasm.load(this.state).digest('binary'));
  }
}

const wasmCrc32c = await createCRC32(Number(CRC32C.poly));
const wasmCrc64 = await createCRC64(CRC64NVME.poly.toString(16).padStart(16, '0'));

export function createChecksum(algorithm: ChecksumAlgorithm): Hasher {
  switch (algorithm) {
    case 'crc32':
      return new Crc32();
    case 'crc32c':
      return new WasmCrc(wasmCrc32c);
    case 'crc64nvme':
      return new WasmCrc(wasmCrc64);
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
