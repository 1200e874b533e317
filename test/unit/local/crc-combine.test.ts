import { randomBytes } from 'node:crypto';
import { Crc64Nvme } from '@aws-sdk/crc64-nvme';
import { describe, expect, it } from 'vitest';
import { createChecksum } from '../../../local/s3/checksums.js';
import { canCombine, combinedChecksum } from '../../../local/s3/crc-combine.js';

const checksumOf = (algorithm: 'crc32' | 'crc32c' | 'crc64nvme', data: Buffer) => {
  const hash = createChecksum(algorithm);
  hash.update(data);
  return hash.digest().toString('base64');
};

describe("the local S3 server's FULL_OBJECT checksum from its parts' checksums", () => {
  it.each(['crc32', 'crc32c', 'crc64nvme'] as const)('%s: the parts combined equal the whole, for parts of any sizes', (algorithm) => {
    const data = randomBytes(200_003);
    const cuts = [0, 1, 4096, 70_000, 140_000, 200_003];
    const parts = cuts.slice(1).map((end, i) => data.subarray(cuts[i], end));
    expect(combinedChecksum(algorithm, parts.map((part) => ({ value: checksumOf(algorithm, part), size: part.length })))).toBe(checksumOf(algorithm, data));
    expect(combinedChecksum(algorithm, [{ value: checksumOf(algorithm, data), size: data.length }])).toBe(checksumOf(algorithm, data));
  });

  it("computes CRC64NVME as the AWS SDK does (its hash-wasm implementation), and combines to the SDK's whole-file value", async () => {
    const data = randomBytes(3 * 65_536 + 17);
    const sdk = new Crc64Nvme();
    sdk.update(data);
    const expected = Buffer.from(await sdk.digest()).toString('base64');
    expect(checksumOf('crc64nvme', data)).toBe(expected);
    const halves = [data.subarray(0, 65_536), data.subarray(65_536)];
    expect(combinedChecksum('crc64nvme', halves.map((part) => ({ value: checksumOf('crc64nvme', part), size: part.length })))).toBe(expected);
  });

  it('combines only CRCs', () => {
    expect(canCombine('crc64nvme')).toBe(true);
    expect(canCombine('sha256')).toBe(false);
    expect(() => combinedChecksum('sha256', [])).toThrow(/do not combine/);
  });
});
