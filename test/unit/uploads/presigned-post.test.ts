// Differential test: the portal's presigned POST must equal @aws-sdk/s3-presigned-post's, field for
// field and byte for byte, with the clock frozen.
import { S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost as sdkCreatePresignedPost } from '@aws-sdk/s3-presigned-post';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPresignedPost } from '../../../lambdas/uploads/presigned-post.js';

afterEach(() => {
  vi.useRealTimers();
});

const input = {
  Bucket: 'portal-test-bucket',
  Key: 'uploads/acme/Résumé (2).pdf',
  Conditions: [['content-length-range', 10, 10]],
  Fields: { 'Content-Type': 'application/pdf', 'x-amz-meta-original-name': 'R%C3%A9sum%C3%A9.pdf', 'x-amz-meta-declared-size': '10' },
  Expires: 1800,
};

const clients: Array<[string, () => S3Client]> = [
  ['virtual-hosted, session credentials', () => new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret/key+1', sessionToken: 'session-token==' } })],
  ['path style on a local endpoint, no session token', () => new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local-secret' } })],
  ['FIPS endpoint', () => new S3Client({ region: 'us-gov-west-1', useFipsEndpoint: true, credentials: { accessKeyId: 'AKID', secretAccessKey: 's' } })],
];

describe('createPresignedPost', () => {
  it.each(clients)('matches the AWS SDK (%s)', async (_label, makeClient) => {
    vi.useFakeTimers({ now: new Date('2026-11-25T12:34:56.789Z'), toFake: ['Date'] });
    const client = makeClient();
    const ours = await createPresignedPost(client, input);
    const theirs = await sdkCreatePresignedPost(client as never, input as never);
    expect(ours).toEqual(theirs);
  });

  it('refuses a key S3 would expand with the uploader-chosen filename', async () => {
    const client = clients[0]![1]();
    await expect(createPresignedPost(client, { ...input, Key: 'uploads/acme/${filename}' })).rejects.toThrow(/filename/);
  });

  it('changes the signature when the policy changes (the comparison is not vacuous)', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-25T12:34:56.789Z'), toFake: ['Date'] });
    const client = clients[0]![1]();
    const a = await createPresignedPost(client, input);
    const b = await createPresignedPost(client, { ...input, Conditions: [['content-length-range', 10, 11]] });
    expect(a.fields['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(a.fields['X-Amz-Signature']).not.toBe(b.fields['X-Amz-Signature']);
  });
});
