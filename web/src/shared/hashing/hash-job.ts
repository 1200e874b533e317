// One file's hashing, part after part in order: each part's bytes go once into a fresh part hash,
// whose checksum S3 checks that part against. The whole file's checksum, the FULL_OBJECT checksum S3
// checks the assembled file against, is combined from the part checksums and sizes once the last part
// is hashed (contract/crc-combine.ts, as S3 derives it), so each byte is read and hashed once, whatever
// the upload does with the parts (retries, pauses) in the meantime.
//
// The hasher is shared by every job of a worker: a job keeps only its 12-byte state between reads
// (save/load), so a thousand queued files cost no WebAssembly instance each, and jobs may take turns
// part by part.
import type { PartToSign } from '../../../../contract/api/uploads.js';
import { combinedChecksum, CRC64NVME, type PartCrc } from '../../../../contract/crc-combine.js';
import { bytesToBase64 } from '../checksum-format.js';
import type { Crc64Hasher } from './crc64nvme.js';

/**
 * Bytes read from the file at once: parts are read in slices of at most this, so a 5 GiB part of a
 * 48 TiB file never sits in memory whole. 16 MiB is the portal's usual part size: one read per part.
 */
export const HASH_SLICE_BYTES = 16 * 1024 * 1024;

export class FileHashJob {
  readonly totalParts: number;
  #nextPart = 1;
  /** The checksum and size of every part hashed so far, in order: the whole file's checksum is made of them. */
  #parts: PartCrc[] = [];
  #wholeChecksum: string | undefined;
  /** The next slice, already being read while the current one is hashed. */
  #readAhead: { start: number; bytes: Promise<ArrayBuffer> } | undefined;

  constructor(
    readonly blob: Blob,
    readonly partSize: number,
    readonly sliceBytes: number = HASH_SLICE_BYTES,
  ) {
    if (!(partSize > 0) || !Number.isSafeInteger(partSize)) throw new RangeError(`Invalid part size: ${partSize}`);
    this.totalParts = Math.max(1, Math.ceil(blob.size / partSize));
  }

  get done(): boolean {
    return this.#nextPart > this.totalParts;
  }

  /** The part the next call hashes. */
  get nextPart(): number {
    return this.#nextPart;
  }

  /** The whole file's base64 CRC64NVME, once every part was hashed. */
  get wholeChecksum(): string | undefined {
    return this.#wholeChecksum;
  }

  /** Hashes the next part; after the last one, `wholeChecksum` is set. */
  async hashNextPart(hasher: Crc64Hasher): Promise<PartToSign> {
    if (this.done) throw new Error('Every part of this file was hashed already');
    const partNumber = this.#nextPart;
    const start = (partNumber - 1) * this.partSize;
    const end = Math.min(this.blob.size, start + this.partSize);
    let state = hasher.init().save();
    for (let offset = start; offset < end; ) {
      const sliceEnd = Math.min(end, offset + this.sliceBytes);
      const bytes = new Uint8Array(await this.#read(offset, sliceEnd));
      this.#prefetch(sliceEnd);
      // Loaded and saved around each slice, in one synchronous step: other jobs use the same hasher
      // while this one waits for its next read.
      state = hasher.load(state).update(bytes).save();
      offset = sliceEnd;
    }
    const checksum = bytesToBase64(hasher.load(state).digest('binary'));
    this.#parts.push({ value: checksum, size: end - start });
    this.#nextPart++;
    if (this.done) {
      // A file of one part: the combine hands back that part's checksum.
      this.#wholeChecksum = combinedChecksum(CRC64NVME, this.#parts);
      this.#parts = [];
      this.#readAhead = undefined;
    }
    return { partNumber, size: end - start, checksum };
  }

  /** Lets go of a slice read ahead (another file is hashed first), so at most one waits in memory. */
  dropReadAhead(): void {
    this.#readAhead = undefined;
  }

  #read(start: number, end: number): Promise<ArrayBuffer> {
    const ahead = this.#readAhead;
    this.#readAhead = undefined;
    if (ahead?.start === start) return ahead.bytes;
    return this.blob.slice(start, end).arrayBuffer();
  }

  /** Starts reading the slice after `offset` (within its part), so disk and hash work overlap. */
  #prefetch(offset: number): void {
    if (offset >= this.blob.size) return;
    const partEnd = Math.min(this.blob.size, (Math.floor(offset / this.partSize) + 1) * this.partSize);
    const bytes = this.blob.slice(offset, Math.min(partEnd, offset + this.sliceBytes)).arrayBuffer();
    // A read nobody takes (the job was dropped) must not surface as an unhandled rejection.
    bytes.catch(() => undefined);
    this.#readAhead = { start: offset, bytes };
  }
}
