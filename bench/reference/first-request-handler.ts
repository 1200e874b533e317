// The reference for the cold-start ratios: the uploads Lambda's first request (a customer's batch of
// part URLs) answered the plainest way, with the same libraries and the same network calls the job
// needs: aws-jwt-verify's AlbJwtVerifier with its own key fetcher, a GetObject for the endpoint record
// and one for the upload's reservation (what the upload was started with: each part's size is bound by
// its declared size), one after the other, and getSignedUrl per part (binding its size and checksum as
// headers, as the portal's URLs do).
// No router, logger, metrics or access rules; bundled like the Lambdas.
// The presign-only reference (presign-handler.ts) makes no network call at all, so next to it a handler
// that must verify a token and read a record measures the network's first use, not its own code.
import { GetObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { AlbJwtVerifier } from 'aws-jwt-verify';
import { AlbJwksCache } from 'aws-jwt-verify/alb-cache';
import { endpointRecordKey } from '../../contract/bucket-layout.js';
import { reservationKey } from '../../lambdas/shared/upload-reservation.js';

interface Event {
  path: string;
  body?: string | null;
  isBase64Encoded?: boolean;
  multiValueHeaders?: Record<string, string[] | undefined>;
  multiValueQueryStringParameters?: Record<string, string[] | undefined>;
}

const env = (name: string): string => process.env[name] ?? '';
const keysUrl = env('ALB_KEYS_URL');
const s3 = new S3Client({
  requestChecksumCalculation: 'WHEN_REQUIRED',
  ...(process.env.S3_ENDPOINT ? { endpoint: process.env.S3_ENDPOINT, forcePathStyle: true } : {}),
});
const verifier = AlbJwtVerifier.create(
  { albArn: env('ALB_ARN'), issuer: env('CUSTOMER_ISSUER'), clientId: env('CUSTOMER_CLIENT_ID'), jwksUri: keysUrl },
  // The fixture's http fallback (no openssl): aws-jwt-verify's own fetcher is https-only.
  keysUrl.startsWith('http://') ? { jwksCache: new AlbJwksCache({ fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() } }) } : undefined,
);

export async function handler(event: Event) {
  const query = (name: string) => decodeURIComponent(event.multiValueQueryStringParameters?.[name]?.[0] ?? '');
  const payload = await verifier.verify(event.multiValueHeaders?.['x-amzn-oidc-data']?.[0] ?? '');
  const endpoint = typeof payload['custom:endpoint'] === 'string' ? payload['custom:endpoint'] : '';
  const record = await s3.send(new GetObjectCommand({ Bucket: env('BUCKET_NAME'), Key: endpointRecordKey(endpoint) }));
  const { disabled } = JSON.parse(await record.Body!.transformToString()) as { disabled: boolean };
  if (disabled) return { statusCode: 403, body: '' };
  const reservation = await s3.send(new GetObjectCommand({ Bucket: env('BUCKET_NAME'), Key: reservationKey(endpoint, query('key')) }));
  const { kind } = JSON.parse(await reservation.Body!.transformToString()) as { kind: string };
  if (kind !== 'multipart') return { statusCode: 409, body: '' };
  const uploadId = decodeURIComponent(event.path.split('/')[4] ?? '');
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
  const { parts } = JSON.parse(body) as { parts: { partNumber: number; size: number; checksum: string }[] };
  const presignedUrls = Object.fromEntries(
    await Promise.all(
      parts.map(async (part): Promise<[number, string]> => [
        part.partNumber,
        await getSignedUrl(
          s3,
          new UploadPartCommand({
            Bucket: env('BUCKET_NAME'),
            Key: query('key'),
            UploadId: uploadId,
            PartNumber: part.partNumber,
            ContentLength: part.size,
            ChecksumCRC64NVME: part.checksum,
            ChecksumAlgorithm: 'CRC64NVME',
          }),
          { expiresIn: 1800, unhoistableHeaders: new Set(['x-amz-checksum-crc64nvme', 'x-amz-sdk-checksum-algorithm']) },
        ),
      ]),
    ),
  );
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ presignedUrls }), isBase64Encoded: false };
}
