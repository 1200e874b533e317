// Differential test: the fast part signer must produce exactly getSignedUrl's URL (clock frozen), for
// awkward keys, session credentials, path-style local endpoints and other partitions.
import { S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterEach, describe, expect, it, vi } from 'vitest';
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

describe('PartSigner', () => {
  it.each(clients)('matches getSignedUrl byte for byte (%s)', async (_label, makeClient) => {
    vi.useFakeTimers({ now: new Date('2026-11-25T12:34:56.789Z'), toFake: ['Date'] });
    const client = makeClient();
    const signer = new PartSigner(client, 'portal-test-bucket');
    for (const key of keys) {
      for (const [uploadId, partNumber] of [['2~abc.def_GHI-jkl', 1], ['u+/=', 10000]] as const) {
        const expected = await getSignedUrl(client, new UploadPartCommand({ Bucket: 'portal-test-bucket', Key: key, UploadId: uploadId, PartNumber: partNumber }), { expiresIn: 1800 });
        expect(await signer.sign(key, uploadId, partNumber, 1800), key).toBe(expected);
      }
    }
  });

  it('signs differently for another part, expiry or moment (the comparison is not vacuous)', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-25T12:34:56.789Z'), toFake: ['Date'] });
    const signer = new PartSigner(clients[1]![1](), 'b');
    const urls = new Set([await signer.sign('k', 'u', 1, 60), await signer.sign('k', 'u', 2, 60), await signer.sign('k', 'u', 1, 61)]);
    vi.setSystemTime(new Date('2026-11-25T12:34:57.789Z'));
    urls.add(await signer.sign('k', 'u', 1, 60));
    expect(urls.size).toBe(4);
  });
});
