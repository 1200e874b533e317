// The throughput reference: `@aws-sdk/lib-storage`'s Upload from Node straight to S3, with the part
// size and parallelism the page uses. Run in its own process (bench/sdk-upload.ts spawns it), like
// the browser, so it does not share an event loop with the local S3 server it sends to.
//
// The client sends parts the way the page's presigned PUTs do: no checksum headers and an
// UNSIGNED-PAYLOAD signature. Left to its defaults, the SDK would SHA-256 every part (plain-http
// endpoints get signed payloads) and add a CRC32, CPU work the browser path does not do, which would
// make the reference slower and the portal's ratio look better than it is.
//
// Input: one JSON argument (UploadJob). Output: one line `BENCH_RESULT {"ms":..,"etag":..}`.
import { createReadStream } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

export interface UploadJob {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  bucket: string;
  key: string;
  file: string;
  partSize: number;
  queueSize: number;
}

async function main(job: UploadJob): Promise<void> {
  const client = new S3Client({
    endpoint: job.endpoint,
    forcePathStyle: true,
    region: job.region,
    credentials: job.credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
      return next(args);
    },
    { step: 'build', name: 'benchUnsignedPayload' },
  );
  const started = performance.now();
  const upload = new Upload({
    client,
    params: { Bucket: job.bucket, Key: job.key, Body: createReadStream(job.file, { highWaterMark: 1024 * 1024 }) },
    partSize: job.partSize,
    queueSize: job.queueSize,
  });
  const result = await upload.done();
  const ms = performance.now() - started;
  client.destroy();
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ ms, etag: result.ETag ?? null })}\n`);
}

main(JSON.parse(process.argv[2] ?? '{}') as UploadJob).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
