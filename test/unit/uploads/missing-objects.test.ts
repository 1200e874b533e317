// In AWS the uploads role may list the bucket only under `uploads/` (an s3:prefix condition GetObject
// never meets), so S3 answers its GetObject on a missing key with 403 AccessDenied, not 404. A missing
// endpoint record or upload reservation must still read as "missing" (a 403/404/409 answer), not 500.
import { GetObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { endpointRecordKey } from '../../../contract/bucket-layout.js';
import { reservationKey } from '../../../lambdas/shared/upload-reservation.js';
import { useHarness, createViaApi, MiB } from './harness.js';

const h = useHarness((harness) => {
  harness.bucket.missingObjectAnswer = 'AccessDenied';
});

const getKeys = () => h.s3Mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key);

describe('GetObject answering 403 AccessDenied for a missing key', () => {
  it('reads a missing endpoint record as missing: 403 endpoint_unknown for its customer, 404 for an admin', async () => {
    const customer = await h.call('GET', '/api/me', { token: h.customer('vanished') });
    expect(customer).toMatchObject({ status: 403, body: { error: { code: 'endpoint_unknown' } } });
    const admin = await h.call('POST', '/api/s3/multipart', { token: h.admin(), body: { filename: 'a.pdf', metadata: { size: '1', endpoint: 'vanished' } } });
    expect(admin).toMatchObject({ status: 404, body: { error: { code: 'endpoint_not_found' } } });
    expect(getKeys()).toContain(endpointRecordKey('vanished'));
  });

  it('reads a missing reservation as missing: completion answers 409 upload_unverifiable, not 500', async () => {
    const created = await createViaApi(h, 'report.pdf', 5 * MiB);
    expect(created.status).toBe(200);
    const { key, uploadId } = created.body;
    const etag = h.bucket.putPart(uploadId, 1, 5 * MiB);
    h.bucket.objects.delete(reservationKey('acme', key));
    const result = await h.call('POST', `/api/s3/multipart/${encodeURIComponent(uploadId)}/complete`, { token: h.customer(), query: { key }, body: { parts: [{ PartNumber: 1, ETag: etag }] } });
    expect(result).toMatchObject({ status: 409, body: { error: { code: 'upload_unverifiable' } } });
    expect(getKeys()).toContain(reservationKey('acme', key));
  });

  it('still fails loudly (500) for other 403s on those keys', async () => {
    h.s3Mock
      .on(GetObjectCommand, { Key: endpointRecordKey('acme') })
      .rejectsOnce(new S3ServiceException({ name: 'SignatureDoesNotMatch', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'bad signature' }));
    expect((await h.call('GET', '/api/me', { token: h.customer('acme') })).status).toBe(500);
  });
});
