// The reference for bundle size and cold start: the least an upload control plane can be,
// an S3Client and getSignedUrl answering one request, bundled exactly like the portal's Lambdas.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

const s3 = new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' });

export async function handler(event: { queryStringParameters?: Record<string, string> }) {
  const key = event.queryStringParameters?.key ?? 'uploads/reference/file.bin';
  const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: process.env.BUCKET_NAME ?? 'bucket', Key: key }), { expiresIn: 900 });
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ url }), isBase64Encoded: false };
}
