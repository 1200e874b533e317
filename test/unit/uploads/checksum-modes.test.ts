// Whether an upload is checksummed, from its reservation, remembered per upload id (the plain one-part
// sign call must not cost an S3 read per part), within a bounded memory.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { reservationKey } from '../../../lambdas/shared/upload-reservation.js';
import { ChecksumModes } from '../../../lambdas/uploads/checksum-modes.js';
import { FakeBucket, s3Error } from './fake-bucket.js';

function setup(maxRemembered?: number) {
  const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
  const mock = mockClient(s3);
  const bucket = new FakeBucket();
  bucket.install(mock);
  const reserve = (key: string, fields: Record<string, unknown>) =>
    bucket.putObject(reservationKey('acme', key), JSON.stringify({ version: 1, key, endpoint: 'acme', kind: 'multipart', declaredSize: 1, ...fields }));
  const reads = () => mock.commandCalls(GetObjectCommand).length;
  return { modes: new ChecksumModes(s3, 'b', maxRemembered), reserve, reads, bucket, mock };
}

describe('ChecksumModes', () => {
  it("answers the reservation's algorithm, null for a stock upload, a reservation written before checksums, a small file's or none", async () => {
    const { modes, reserve } = setup();
    reserve('uploads/acme/summed.bin', { checksumAlgorithm: 'CRC64NVME' });
    reserve('uploads/acme/stock.bin', { checksumAlgorithm: null });
    reserve('uploads/acme/old.bin', {});
    reserve('uploads/acme/small.txt', { kind: 'put', checksumAlgorithm: 'CRC64NVME' });
    expect(await modes.of('acme', 'uploads/acme/summed.bin', 'u1')).toBe('CRC64NVME');
    expect(await modes.of('acme', 'uploads/acme/stock.bin', 'u2')).toBeNull();
    expect(await modes.of('acme', 'uploads/acme/old.bin', 'u3')).toBeNull();
    expect(await modes.of('acme', 'uploads/acme/small.txt', 'u4')).toBeNull();
    expect(await modes.of('acme', 'uploads/acme/none.bin', 'u5')).toBeNull();
  });

  it('reads a reservation once per upload id, and again for another upload of the same key', async () => {
    const { modes, reserve, reads } = setup();
    reserve('uploads/acme/a.bin', { checksumAlgorithm: 'CRC64NVME' });
    for (let i = 0; i < 5; i++) await modes.of('acme', 'uploads/acme/a.bin', 'u1');
    expect(reads()).toBe(1);
    await modes.of('acme', 'uploads/acme/a.bin', 'u2');
    expect(reads()).toBe(2);
  });

  it('forgets the oldest upload first when full', async () => {
    const { modes, reserve, reads, bucket } = setup(2);
    for (const key of ['a', 'b', 'c']) reserve(`uploads/acme/${key}`, { checksumAlgorithm: 'CRC64NVME' });
    await modes.of('acme', 'uploads/acme/a', 'ua');
    await modes.of('acme', 'uploads/acme/b', 'ub');
    await modes.of('acme', 'uploads/acme/c', 'uc'); // 'a' goes
    expect(reads()).toBe(3);
    await modes.of('acme', 'uploads/acme/c', 'uc');
    expect(reads()).toBe(3);
    await modes.of('acme', 'uploads/acme/a', 'ua');
    expect(reads()).toBe(4);
    expect(bucket.objects.size).toBe(3);
  });

  it('never remembers a failed read: the next call reads again', async () => {
    const { modes, reserve, reads, mock, bucket } = setup();
    reserve('uploads/acme/a.bin', { checksumAlgorithm: 'CRC64NVME' });
    mock.on(GetObjectCommand).rejects(s3Error('InternalError', 500));
    await expect(modes.of('acme', 'uploads/acme/a.bin', 'u1')).rejects.toMatchObject({ name: 'InternalError' });
    bucket.install(mock);
    expect(await modes.of('acme', 'uploads/acme/a.bin', 'u1')).toBe('CRC64NVME');
    expect(reads()).toBe(2);
  });
});
