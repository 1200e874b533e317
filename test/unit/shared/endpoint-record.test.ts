// readEndpointRecord: a missing record is null whether S3 says 404 NoSuchKey (a caller that may list
// the bucket) or 403 AccessDenied (the uploads role, whose ListBucket is prefix-conditioned); any
// other failure is an error.
import { afterEach, describe, expect, it } from 'vitest';
import { GetObjectCommand, NoSuchKey, S3Client, S3ServiceException, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { readEndpointRecord } from '../../../lambdas/shared/endpoint-record.js';
import { isMissingReservedObject } from '../../../lambdas/shared/missing-object.js';

const s3 = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
const mock = mockClient(s3);
afterEach(() => mock.reset());

const serviceError = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });
const accessDenied = () => serviceError('AccessDenied', 403);

describe('readEndpointRecord', () => {
  it('reads the record and its ETag', async () => {
    mock.on(GetObjectCommand, { Key: '_portal/endpoints/acme.json' }).resolves({
      Body: { transformToString: async () => JSON.stringify({ name: 'acme', logins: [] }) } as unknown as GetObjectCommandOutput['Body'],
      ETag: '"e1"',
    });
    expect(await readEndpointRecord(s3, 'bucket', 'acme')).toEqual({ record: { name: 'acme', logins: [] }, etag: '"e1"' });
  });

  it.each([
    ['403 AccessDenied (no unconditional ListBucket: how S3 hides a missing key)', accessDenied()],
    ['404 NoSuchKey', new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } })],
  ])('answers null for %s', async (_label, error) => {
    mock.on(GetObjectCommand).rejects(error);
    expect(await readEndpointRecord(s3, 'bucket', 'acme')).toBeNull();
  });

  it.each([
    ['SignatureDoesNotMatch', 403],
    ['ExpiredToken', 400],
    ['InvalidObjectState', 403],
    ['NoSuchBucket', 404],
    ['InternalError', 500],
  ])('still throws %s (%i)', async (name, status) => {
    mock.on(GetObjectCommand).rejects(serviceError(name, status));
    await expect(readEndpointRecord(s3, 'bucket', 'acme')).rejects.toMatchObject({ name });
  });
});

describe('isMissingReservedObject', () => {
  it.each([
    [{ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }, true],
    [{ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }, true],
    [{ name: 'NotFound', $metadata: { httpStatusCode: 404 } }, true],
    [{ name: 'Unknown', $metadata: { httpStatusCode: 404 } }, true],
    [{ name: 'Forbidden', $metadata: { httpStatusCode: 403 } }, false],
    [{ name: 'AccessDenied', $metadata: { httpStatusCode: 400 } }, false],
    [{ name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } }, false],
    [new Error('socket hang up'), false],
    [null, false],
  ])('%j -> %s', (error, missing) => {
    expect(isMissingReservedObject(error)).toBe(missing);
  });
});
