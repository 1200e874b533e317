// readScanVerdict: the one reading of GuardDuty's tag (reconcile, the admin download of a file the
// catalog does not know yet, release). A missing object is null, never an error of its own; an object
// without the tag, or with a value GuardDuty does not write, has no verdict; any other failure is an error.
import { afterEach, describe, expect, it } from 'vitest';
import { GetObjectTaggingCommand, NoSuchKey, NotFound, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { readScanVerdict } from '../../../lambdas/shared/catalog/scan-tags.js';

const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
const mock = mockClient(s3);
afterEach(() => mock.reset());

const KEY = 'uploads/acme/big.iso';

describe('readScanVerdict', () => {
  it.each([
    [[{ Key: 'GuardDutyMalwareScanStatus', Value: 'THREATS_FOUND' }, { Key: 'PortalScanRelease', Value: 'released' }], 'THREATS_FOUND'],
    [[{ Key: 'GuardDutyMalwareScanStatus', Value: 'UNSUPPORTED' }], 'UNSUPPORTED'],
    [[{ Key: 'GuardDutyMalwareScanStatus', Value: 'SOMETHING_NEW' }], null],
    [[], null],
    [undefined, null],
  ])('tags %j: status %s', async (TagSet, status) => {
    mock.on(GetObjectTaggingCommand, { Bucket: 'bucket', Key: KEY }).resolves({ TagSet });
    expect(await readScanVerdict(s3, 'bucket', KEY)).toEqual({ status });
  });

  it.each([
    ['404 NoSuchKey', new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } })],
    ['a bare 404 NotFound', new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } })],
  ])('a missing object (%s) is null', async (_label, error) => {
    mock.on(GetObjectTaggingCommand).rejects(error);
    expect(await readScanVerdict(s3, 'bucket', KEY)).toBeNull();
  });

  it.each([
    ['403 AccessDenied', 'AccessDenied', 403],
    ['404 NoSuchBucket', 'NoSuchBucket', 404],
    ['503 SlowDown', 'SlowDown', 503],
  ])('%s is an error', async (_label, name, status) => {
    mock.on(GetObjectTaggingCommand).rejects(new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name }));
    await expect(readScanVerdict(s3, 'bucket', KEY)).rejects.toMatchObject({ name });
  });
});
