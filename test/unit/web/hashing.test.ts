import { randomBytes } from 'node:crypto';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { describe, expect, it } from 'vitest';
import { base64ToHex, fileChecksumOf } from '../../../web/src/shared/checksum-format.js';
import { createCrc64Nvme } from '../../../web/src/shared/hashing/crc64nvme.js';
import { FileHasher, HashClient, HashError, type HashChannel } from '../../../web/src/shared/hashing/file-hasher.js';
import { FileHashJob } from '../../../web/src/shared/hashing/hash-job.js';
import { createHashService } from '../../../web/src/shared/hashing/hash-service.js';
import type { FromHashWorker, ToHashWorker } from '../../../web/src/shared/hashing/messages.js';

/** The SDK's own CRC64NVME: the oracle every value here is checked against. */
async function sdkCrc64(bytes: Uint8Array): Promise<string> {
  const hash = new Crc64Nvme();
  hash.update(bytes);
  return Buffer.from(await hash.digest()).toString('base64');
}

const parts = (data: Buffer, partSize: number) => Array.from({ length: Math.max(1, Math.ceil(data.length / partSize)) }, (_, i) => data.subarray(i * partSize, (i + 1) * partSize));

/** A channel that runs the worker's service in process, answering on a later task as a worker would. */
function inProcessChannel(options: Parameters<typeof createHashService>[1] = {}) {
  const sent: ToHashWorker[] = [];
  let deliver: (message: FromHashWorker) => void = () => {};
  const service = createHashService((message) => setTimeout(() => deliver(message)), options);
  const channel: HashChannel = {
    send(message) {
      sent.push(message);
      service.receive(message);
    },
    listen(receive) {
      deliver = receive;
    },
  };
  return { channel, sent, service };
}

describe('checksum format', () => {
  it('turns S3 base64 into hex and refuses what is not a CRC64NVME value', () => {
    expect(base64ToHex('rosUhgp5mIg=')).toBe('ae8b14860a799888');
    expect(fileChecksumOf('rosUhgp5mIg=')).toEqual({ algorithm: 'CRC64NVME', type: 'FULL_OBJECT', base64: 'rosUhgp5mIg=', hex: 'ae8b14860a799888' });
    expect(fileChecksumOf('y/Q5Jg==')).toBeNull(); // a CRC32
    expect(fileChecksumOf(undefined)).toBeNull();
  });
});

describe('FileHashJob', () => {
  it('hashes each part and the whole file as the SDK does, in slices smaller than a part', async () => {
    const data = randomBytes(3 * 1000 + 123);
    const job = new FileHashJob(new Blob([data]), 1000, 256);
    const hasher = await createCrc64Nvme();
    const got = [];
    while (!job.done) got.push(await job.hashNextPart(hasher));
    const expected = await Promise.all(parts(data, 1000).map(async (bytes, i) => ({ partNumber: i + 1, size: bytes.length, checksum: await sdkCrc64(bytes) })));
    expect(got).toEqual(expected);
    expect(job.wholeChecksum).toBe(await sdkCrc64(data));
  });

  // The whole file's checksum is combined from the parts' (each byte is hashed once): checked against
  // the SDK's CRC64NVME of all the bytes at once, for every shape a file's last part can have.
  it.each([
    ['one part', 700, 1000],
    ['an exact multiple of the part size', 5000, 1000],
    ['a short last part', 4321, 1000],
    ['a 1-byte last part', 3001, 1000],
    ['a part size that is not a power of two', 10_007, 1237],
    ['an empty file', 0, 1000],
  ])('gives the whole file the SDK\'s CRC64NVME of all its bytes: %s', async (_shape, size, partSize) => {
    const data = randomBytes(size);
    const job = new FileHashJob(new Blob([data]), partSize, 300);
    const hasher = await createCrc64Nvme();
    const sizes = [];
    while (!job.done) sizes.push((await job.hashNextPart(hasher)).size);
    expect(sizes).toEqual(parts(data, partSize).map((part) => part.length));
    expect(job.wholeChecksum).toBe(await sdkCrc64(data));
  });

  it('keeps each job to its own part state and parts while jobs take turns on the shared hasher', async () => {
    const a = randomBytes(5000);
    const b = randomBytes(4000);
    const jobA = new FileHashJob(new Blob([a]), 1000, 300);
    const jobB = new FileHashJob(new Blob([b]), 1000, 700);
    const hasher = await createCrc64Nvme();
    while (!jobA.done || !jobB.done) {
      // Both reads in flight at once: each loads and saves its state around every slice.
      await Promise.all([jobA.done ? null : jobA.hashNextPart(hasher), jobB.done ? null : jobB.hashNextPart(hasher)]);
    }
    expect(jobA.wholeChecksum).toBe(await sdkCrc64(a));
    expect(jobB.wholeChecksum).toBe(await sdkCrc64(b));
  });

  it('gives a file of one part (and an empty file) the part checksum as the whole', async () => {
    const hasher = await createCrc64Nvme();
    for (const data of [randomBytes(999), Buffer.alloc(0)]) {
      const job = new FileHashJob(new Blob([data]), 1000);
      expect(job.totalParts).toBe(1);
      const part = await job.hashNextPart(hasher);
      expect(part).toEqual({ partNumber: 1, size: data.length, checksum: await sdkCrc64(data) });
      expect(job.wholeChecksum).toBe(part.checksum);
      await expect(job.hashNextPart(hasher)).rejects.toThrow(/hashed already/);
    }
  });
});

describe('hash service and FileHasher', () => {
  it('hashes ahead of need and hands out each part, then the whole file', async () => {
    const data = randomBytes(10_000);
    const { channel } = inProcessChannel({ sliceBytes: 512 });
    const hasher = new HashClient(() => channel).hash(new Blob([data]), 2048);
    expect(hasher.totalParts).toBe(5);
    expect((await hasher.part(3)).checksum).toBe(await sdkCrc64(data.subarray(4096, 6144)));
    expect(await hasher.whole()).toBe(await sdkCrc64(data));
    expect(hasher.hashedThrough).toBe(5);
    // Cached: a retried part asks the worker nothing.
    expect(hasher.hashed(1)).toEqual({ partNumber: 1, size: 2048, checksum: await sdkCrc64(data.subarray(0, 2048)) });
    expect(hasher.hashed(5)!.size).toBe(10_000 - 4 * 2048);
  });

  it('hashes first the file whose part someone waits for', async () => {
    const { channel, service } = inProcessChannel({ sliceBytes: 100 });
    const client = new HashClient(() => channel);
    const first = client.hash(new Blob([randomBytes(50_000)]), 1000);
    const second = client.hash(new Blob([randomBytes(50_000)]), 1000);
    await second.part(2);
    // The first file was started, then left for the one with a waiter.
    expect(first.hashedThrough).toBeLessThan(10);
    await first.whole();
    expect(service.pending).toBe(0);
  });

  it('fails the waiters of a file that cannot be read, and of every file when the hasher cannot start', async () => {
    const unreadable = { size: 3000, slice: () => ({ arrayBuffer: () => Promise.reject(new DOMException('The file changed', 'NotReadableError')) }) } as unknown as Blob;
    const { channel } = inProcessChannel();
    await expect(new HashClient(() => channel).hash(unreadable, 1000).part(1)).rejects.toThrow(HashError);

    const refused = inProcessChannel({ createHasher: () => Promise.reject(new Error('WebAssembly.compile(): refused by the CSP')) });
    const hasher = new HashClient(() => refused.channel).hash(new Blob([randomBytes(10)]), 1000);
    await expect(hasher.whole()).rejects.toThrow(/refused by the CSP/);
  });

  it('rejects a waiter that gives up, and the others still get their part', async () => {
    const { channel } = inProcessChannel({ sliceBytes: 64 });
    const hasher = new HashClient(() => channel).hash(new Blob([randomBytes(64_000)]), 1000);
    const controller = new AbortController();
    const gaveUp = hasher.part(60, controller.signal);
    const waits = hasher.part(61);
    controller.abort();
    await expect(gaveUp).rejects.toThrow();
    expect((await waits).partNumber).toBe(61);
  });

  it('refuses a part the file does not have, and tells the waiters when the file goes', async () => {
    const sent: ToHashWorker[] = [];
    const hasher = new FileHasher(7, 3000, 1000, (message) => sent.push(message));
    await expect(hasher.part(4)).rejects.toThrow(RangeError);
    const waiting = hasher.whole();
    hasher.release();
    await expect(waiting).rejects.toThrow(HashError);
    expect(sent).toEqual([{ type: 'need', id: 7, partNumber: 3 }, { type: 'drop', id: 7 }]);
  });
});
