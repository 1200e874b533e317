// Presigned PUT URLs for one bucket, identical to getSignedUrl's but about 15x cheaper. getSignedUrl
// clones the client's middleware stack and evaluates S3's endpoint rules on every call (~0.7 ms idle,
// 3.5 ms on a loaded 2-core machine), and a 50 GB file at 16 MiB parts needs 3,200 URLs. So the
// endpoint (host, path style, signing region and service) is resolved once per bucket with
// getSignedUrl itself, and each URL is then signed with the SDK's own SigV4 signer, the one inside
// S3Client. Credentials come from the client's provider on every call, so role credential refreshes
// apply as usual. test/unit/uploads/part-signer.test.ts checks part URLs equal getSignedUrl's, byte
// for byte.
//
// Every header given is a SIGNED header that stays a header: the browser must send it with exactly
// this value. Left to itself, SigV4 presigning hoists `x-amz-*` headers into the query string, where
// S3 ignores a checksum (signed, but neither checked nor stored: aws-sdk-js-v3#4448), so all of them
// are unhoistable here.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { SignatureV4 } from '@smithy/signature-v4';

interface BucketEndpoint {
  protocol: string;
  hostname: string;
  port: number | undefined;
  /** '' (virtual-hosted) or '/bucket' (path style). */
  basePath: string;
  signer: SignatureV4;
}

export interface PresignPutInput {
  key: string;
  /** Query parameters of the request (`partNumber`, `uploadId`, ...). */
  query: Record<string, string>;
  /** Lower-case names; each is signed and must be sent as it is. */
  headers: Record<string, string>;
  expiresIn: number;
}

/** RFC 3986 encoding as the SDK applies it to key segments and query values. */
const escapeUri = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export class BucketPresigner {
  private endpoint?: Promise<BucketEndpoint>;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  private resolveEndpoint(): Promise<BucketEndpoint> {
    this.endpoint ??= (async () => {
      const probe = new URL(await getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key: 'x' }), { expiresIn: 60 }));
      // `AKID/20261125/eu-west-1/s3/aws4_request`: the region and service the SDK signs S3 requests with.
      const [, , region, service] = (probe.searchParams.get('X-Amz-Credential') ?? '').split('/');
      if (!region || !service) throw new Error('Could not determine the S3 signing scope');
      const signer = new SignatureV4({
        credentials: this.client.config.credentials,
        region,
        service,
        sha256: this.client.config.sha256,
        uriEscapePath: false,
        applyChecksum: false,
      });
      return {
        protocol: probe.protocol,
        hostname: probe.hostname,
        port: probe.port ? Number(probe.port) : undefined,
        basePath: probe.pathname.split('/').slice(0, -1).join('/'),
        signer,
      };
    })().catch((error: unknown) => {
      this.endpoint = undefined;
      throw error;
    });
    return this.endpoint;
  }

  async presignPut(input: PresignPutInput): Promise<string> {
    const endpoint = await this.resolveEndpoint();
    const host = `${endpoint.hostname}${endpoint.port !== undefined ? `:${endpoint.port}` : ''}`;
    const presigned = await endpoint.signer.presign(
      {
        method: 'PUT',
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        port: endpoint.port,
        path: `${endpoint.basePath}/${input.key.split('/').map(escapeUri).join('/')}`,
        query: input.query,
        // As S3RequestPresigner prepares it: an unsigned payload and the host, plus the caller's headers.
        headers: { ...input.headers, host, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
      },
      { expiresIn: input.expiresIn, unsignableHeaders: new Set(), unhoistableHeaders: new Set(Object.keys(input.headers)) },
    );
    const params = presigned.query ?? {};
    // Sorted and encoded as the SDK's formatUrl does.
    const query = Object.keys(params)
      .sort()
      .map((name) => `${escapeUri(name)}=${escapeUri(String(params[name]))}`)
      .join('&');
    return `${endpoint.protocol}//${host}${presigned.path}?${query}`;
  }
}
