import { randomBytes } from 'node:crypto';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { describe, expect, it } from 'vitest';
import { CRC64NVME, combinedChecksum } from '../../../contract/crc-combine.js';
import { combinableCrc, createChecksum } from '../../../local/s3/checksums.js';

const checksumOf = (algorithm: 'crc32' | 'crc32c' | 'crc64nvme', data: Buffer) => {
  const hash = createChecksum(algorithm);
  hash.update(data);
  return hash.digest().toString('base64');
};

// One combine for the page (a file's checksum from its parts') and the local S3 server (a FULL_OBJECT
// checksum at completion, as S3 derives it).
describe('a CRC of joined bytes from the parts\' CRCs and sizes', () => {
  it.each(['crc32', 'crc32c', 'crc64nvme'] as const)('%s: the parts combined equal the whole, for parts of any sizes', (algorithm) => {
    const crc = combinableCrc(algorithm)!;
    const data = randomBytes(200_003);
    const cuts = [0, 1, 4096, 70_000, 140_000, 200_003];
    const parts = cuts.slice(1).map((end, i) => data.subarray(cuts[i], end));
    expect(combinedChecksum(crc, parts.map((part) => ({ value: checksumOf(algorithm, part), size: part.length })))).toBe(checksumOf(algorithm, data));
    expect(combinedChecksum(crc, [{ value: checksumOf(algorithm, data), size: data.length }])).toBe(checksumOf(algorithm, data));
  });

  it("computes CRC64NVME as the AWS SDK does (its hash-wasm implementation), and combines to the SDK's whole-file value", async () => {
    const data = randomBytes(3 * 65_536 + 17);
    const sdk = new Crc64Nvme();
    sdk.update(data);
    const expected = Buffer.from(await sdk.digest()).toString('base64');
    expect(checksumOf('crc64nvme', data)).toBe(expected);
    const halves = [data.subarray(0, 65_536), data.subarray(65_536)];
    expect(combinedChecksum(CRC64NVME, halves.map((part) => ({ value: checksumOf('crc64nvme', part), size: part.length })))).toBe(expected);
  });

  it.each([
    ['crc32', 'y/Q5Jg=='],
    ['crc32c', '4waSgw=='],
    ['crc64nvme', 'rosUhgp5mIg='],
  ] as const)('%s of "123456789" is the catalogued check value, also when two hashes interleave', (algorithm, check) => {
    const first = createChecksum(algorithm);
    const second = createChecksum(algorithm);
    first.update(Buffer.from('1234'));
    second.update(Buffer.from('12345'));
    first.update(Buffer.from('56789'));
    second.update(Buffer.from('6789'));
    expect(first.digest().toString('base64')).toBe(check);
    expect(second.digest().toString('base64')).toBe(check);
  });

  it('takes empty parts, and gives no parts the CRC of no bytes', () => {
    const data = randomBytes(1000);
    const empty = checksumOf('crc64nvme', Buffer.alloc(0));
    expect(combinedChecksum(CRC64NVME, [])).toBe(empty);
    const parts = [
      { value: empty, size: 0 },
      { value: checksumOf('crc64nvme', data), size: data.length },
      { value: empty, size: 0 },
    ];
    expect(combinedChecksum(CRC64NVME, parts)).toBe(checksumOf('crc64nvme', data));
  });

  it('refuses a value of another width, or that is not padded base64', () => {
    expect(() => combinedChecksum(CRC64NVME, [{ value: checksumOf('crc32', randomBytes(10)), size: 10 }])).toThrow(/Not a 64-bit CRC/);
    for (const value of ['rosUhgp5mIg', 'rosUhgp5mIgA', 'rosUhgp5m*g=', 'rosUhgp5mI==', 'rosUhgp5mIg=A']) {
      expect(() => combinedChecksum(CRC64NVME, [{ value: 'rosUhgp5mIg=', size: 5 }, { value, size: 5 }]), value).toThrow(/Not a 64-bit CRC/);
    }
    // The same value well formed combines.
    expect(combinedChecksum(CRC64NVME, [{ value: 'rosUhgp5mIg=', size: 5 }])).toBe('rosUhgp5mIg=');
  });

  it('combines only CRCs', () => {
    expect(combinableCrc('crc64nvme')).toBe(CRC64NVME);
    expect(combinableCrc('sha256')).toBeUndefined();
    expect(combinableCrc('sha1')).toBeUndefined();
  });
});
