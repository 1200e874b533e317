// A presigned POST policy, signed exactly as @aws-sdk/s3-presigned-post's createPresignedPost signs
// it (test/unit/uploads/presigned-post.test.ts compares the two byte for byte). Written here because
// that package pins an exact @aws-sdk/client-s3 version: whenever it lags the portal's own client-s3
// (3.1164 vs 3.1175 today), the bundle carries a second copy, about 75 KB minified.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createHmac } from 'node:crypto';

export interface PresignPostInput {
  Bucket: string;
  /** An exact key; `${filename}` (which S3 would expand to a name the uploader picks) is refused. */
  Key: string;
  Conditions: unknown[];
  /** Form fields the uploader must send as they are (each becomes an exact-match condition). */
  Fields: Record<string, string>;
  /** Seconds. */
  Expires: number;
}

export interface PresignedPostForm {
  url: string;
  fields: Record<string, string>;
}

const iso8601 = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** The form's target: the bucket's endpoint as the client resolves it (region, FIPS, custom endpoint, path style). */
async function bucketUrl(client: S3Client, bucket: string): Promise<string> {
  // Presigning a PUT is pure computation and resolves the endpoint exactly as for any request; the URL
  // minus its last path segment (the placeholder key) is the bucket's address.
  const url = new URL(await getSignedUrl(client, new PutObjectCommand({ Bucket: bucket, Key: 'x' }), { expiresIn: 60 }));
  const path = url.pathname.split('/').slice(0, -1).join('/');
  return `${url.origin}${path || '/'}`;
}

export async function createPresignedPost(client: S3Client, input: PresignPostInput): Promise<PresignedPostForm> {
  if (input.Key.includes('${filename}')) throw new Error('A presigned POST key must not contain ${filename}');
  const now = new Date(Date.now() + (client.config.systemClockOffset ?? 0));
  const signingDate = iso8601(now).replace(/[-:]/g, '');
  const shortDate = signingDate.slice(0, 8);
  const region = await client.config.region();
  const credentials = await client.config.credentials();
  const scope = `${shortDate}/${region}/s3/aws4_request`;
  const fields: Record<string, string> = {
    ...input.Fields,
    bucket: input.Bucket,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': signingDate,
    ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
  };
  const conditions = new Set<string>(input.Conditions.map((c) => JSON.stringify(c)));
  for (const [name, value] of Object.entries(fields)) conditions.add(JSON.stringify({ [name]: value }));
  conditions.add(JSON.stringify({ key: input.Key }));
  const policy = Buffer.from(
    JSON.stringify({
      expiration: iso8601(new Date(now.getTime() + input.Expires * 1000)),
      conditions: [...conditions].map((c) => JSON.parse(c) as unknown),
    }),
    'utf8',
  ).toString('base64');
  // SigV4: the signing key is derived from the secret, date, region and service; the policy is the string to sign.
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, shortDate), region), 's3'), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(policy, 'utf8').digest('hex');
  return {
    url: await bucketUrl(client, input.Bucket),
    fields: { ...fields, key: input.Key, Policy: policy, 'X-Amz-Signature': signature },
  };
}
