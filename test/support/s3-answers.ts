// What a mocked S3 client answers in unit tests (aws-sdk-client-mock): an object's body, the SDK's
// errors, and endpoint acme's record as a test stores it. Shared by the admin and notify fakes.
import { NoSuchKey, NotFound, S3ServiceException, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import type { EndpointRecord } from '../../lambdas/shared/endpoint-record.js';

/** A GetObject answer carrying `text` (the SDK's stream mixin is not needed for transformToString). */
export const objectBody = (text: string, etag = '"etag-1"') => ({
  Body: { transformToString: async () => text } as unknown as GetObjectCommandOutput['Body'],
  ETag: etag,
});

export function makeRecord(over: Partial<EndpointRecord> = {}): EndpointRecord {
  return {
    name: 'acme',
    displayName: 'ACME Ltd',
    customerEmail: 'bob@acme.example',
    createdAt: '2026-11-01T10:00:00.000Z',
    createdBy: 'alice@corp.example',
    updatedAt: '2026-11-01T10:00:00.000Z',
    expiresAt: null,
    maxFileSizeBytes: null,
    allowedExtensions: null,
    notes: '',
    disabled: false,
    logins: ['bob@acme.example'],
    ...over,
  };
}

export const s3Error = (name: string, status: number) =>
  new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status }, message: name });
export const noSuchKey = () => new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
export const notFound = () => new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } });
