// Differential test: the fast part signer must produce exactly getSignedUrl's URL (clock frozen), for
// awkward keys, session credentials, path-style local endpoints and other partitions, with and without
// a checksummed part's signed headers. And a checksummed part's URL must carry its checksum as a signed
// header, never as a query parameter (which S3 would ignore).
import { S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BucketPresigner } from '../../../lambdas/uploads/bucket-presigner.js';
import { PartSigner } from '../../../lambdas/uploads/part-signer.js';

afterEach(() => {
  vi.useRealTimers();
});

const base = { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const;
const clients: Array<[string, () => S3Client]> = [
  ['eu-west-1, session credentials', () => new S3Client({ ...base, region: 'eu-west-1', credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's/e+c', sessionToken: 'tok/en+==' } })],
  ['us-east-1', () => new S3Client({ ...base, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } })],
  ['local path style with port', () => new S3Client({ ...base, region: 'us-east-1', endpoint: 'http://127.0.0.1:9123', forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } })],
  ['GovCloud FIPS', () => new S3Client({ ...base, region: 'us-gov-west-1', useFipsEndpoint: true, credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } })],
  ['China partition', () => new S3Client({ ...base, region: 'cn-north-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } })],
];

const keys = [
  'uploads/acme/report.pdf',
  'uploads/acme/Résumé (2) final!.pdf',
  "uploads/acme/it's *100%* + more ~ [x] #1 ?&=.txt",
  'uploads/acme/日本語/フォルダ/ファイル 🎉.bin',
  'uploads/acme/a  b/c',
];

/** The checksum headers getSignedUrl must keep as headers: the SDK's way of binding them into the signature. */
const UNHOISTABLE = new Set(['x-amz-checksum-crc64nvme', 'x-amz-sdk-checksum-algorithm']);
const BINDING = { size: 16 * 1024 * 1024, checksum: 'rosUhgp5mIg=' };

const signerFor = (client: S3Client, bucket = 'portal-test-bucket') => new PartSigner(new BucketPresigner(client, bucket));

describe('PartSigner', () => {
  it.each(clients)('matches getSignedUrl byte for byte (%s)', async (_label, makeClient) => {
    vi.useFakeTimers({ now: new Date('2026-11-25T12:34:56.789Z'), toFake: ['Date'] });
    const client = makeClient();
    const signer = signerFor(client);
    for (const key of keys) {
      for (const [uploadId, partNumber] of [['2~abc.def_GHI-jkl', 1], ['u+/=', 10000]] as const) {
        const plain = await getSignedUrl(client, new UploadPartCommand({ Bucket: 'portal-test-bucket', Key: key, UploadId: uploadId, PartNumber: partNumber }), { expiresIn: 1800 });
        expect(await signer.sign(key, uploadId, partNumber, 1800), key).toBe(plain);
        const command = new UploadPartCommand({
          Bucket: 'portal-test-bucket',
          Key: key,
          UploadId: uploadId,
          PartNumber: partNumber,
          ContentLength: BINDING.size,
          ChecksumCRC64NVME: BINDING.checksum,
          ChecksumAlgorithm: 'CRC64NVME',
        });
        const checksummed = await getSignedUrl(client, command, { expiresIn: 1800, unhoistableHeaders: new Set(UNHOISTABLE) });
        expect(await signer.sign(key, uploadId, partNumber, 1800, BINDING), key).toBe(checksummed);
      }
    }
  });

  it("binds a checksummed part's length and checksum as signed headers, and puts no checksum in the query", async () => {
    const url = new URL(await signerFor(clients[0]![1]()).sign('uploads/acme/a.bin', 'u1', 7, 1800, BINDING));
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(['content-length', 'host', 'x-amz-checksum-crc64nvme', 'x-amz-sdk-checksum-algorithm']);
    const names = [...url.searchParams.keys()].map((name) => name.toLowerCase());
    expect(names.filter((name) => name.startsWith('x-amz-checksum') || name === 'x-amz-sdk-checksum-algorithm')).toEqual([]);
    expect(url.search).not.toContain('rosUhgp5mIg');
  });

  it('the same check catches getSignedUrl left to hoist the checksum into the query (the test can fail)', async () => {
    const client = clients[0]![1]();
    const hoisted = new URL(
      await getSignedUrl(client, new UploadPartCommand({ Bucket: 'b', Key: 'k', UploadId: 'u', PartNumber: 1, ContentLength: 10, ChecksumCRC64NVME: BINDING.checksum, ChecksumAlgorithm: 'CRC64NVME' }), { expiresIn: 60 }),
    );
    expect(hoisted.searchParams.get('X-Amz-SignedHeaders')?.split(';')).not.toContain('x-amz-checksum-crc64nvme');
    expect(hoisted.searchParams.get('x-amz-checksum-crc64nvme')).toBe(BINDING.checksum);
  });

  it('signs differently for another part, size, checksum, expiry or moment (the comparison is not vacuous)', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-25T12:34:56.789Z'), toFake: ['Date'] });
    const signer = signerFor(clients[1]![1](), 'b');
    const urls = new Set([
      await signer.sign('k', 'u', 1, 60),
      await signer.sign('k', 'u', 2, 60),
      await signer.sign('k', 'u', 1, 61),
      await signer.sign('k', 'u', 1, 60, BINDING),
      await signer.sign('k', 'u', 1, 60, { ...BINDING, size: BINDING.size + 1 }),
      await signer.sign('k', 'u', 1, 60, { ...BINDING, checksum: 'AAAAAAAAAAA=' }),
    ]);
    vi.setSystemTime(new Date('2026-11-25T12:34:57.789Z'));
    urls.add(await signer.sign('k', 'u', 1, 60));
    expect(urls.size).toBe(7);
  });
});
