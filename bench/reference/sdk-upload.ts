// The throughput reference: `@aws-sdk/lib-storage`'s Upload from Node straight to S3, with the part
// size and parallelism the page uses. Run in its own process (bench/sdk-upload.ts spawns it), like
// the browser, so it does not share an event loop with the local S3 server it sends to.
//
// Checksums as the job says: `default` is lib-storage left to the SDK's defaults (the upload created
// with CRC32, each part's CRC32 computed by the SDK, natively in Node, and checked by S3), the
// reference without the page's integrity work; `CRC64NVME` is the page's algorithm (the SDK's CRC64NVME
// per part, in JavaScript unless the CRT is loaded; S3 derives the full-object checksum);
// `CRC64NVME-hash-wasm` is the same with the page's CRC64NVME library (hash-wasm) plugged into the SDK
// where the CRT would go, so that both sides do the same integrity work with the same code: the
// throughput target's reference. Either way the payload is
// sent UNSIGNED-PAYLOAD, as the page's presigned PUTs are: over plain http the SDK would otherwise also
// SHA-256 every part for the signature, CPU work no browser upload does, which would make the
// reference slower and the portal's ratio look better than it is.
//
// Input: one JSON argument (UploadJob). Output: one line `BENCH_RESULT {"ms":..,"etag":..}`.
import { createReadStream } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createRequire } from 'node:module';
import { createCrc64Nvme } from '../../web/src/shared/hashing/crc64nvme.js';

export interface UploadJob {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  bucket: string;
  key: string;
  file: string;
  partSize: number;
  queueSize: number;
  checksums: SdkChecksums;
}

export type SdkChecksums = 'default' | 'CRC64NVME' | 'CRC64NVME-hash-wasm';

/**
 * Makes the SDK compute CRC64NVME with hash-wasm (the page's library) through the hook the CRT package
 * uses, in both of the SDK's module builds; answers how many checksums it computed, so the run can prove
 * the SDK took it.
 */
async function useHashWasmCrc64(): Promise<() => number> {
  const hasher = await createCrc64Nvme();
  const initial = hasher.init().save();
  let made = 0;
  class HashWasmCrc64Nvme {
    private state = initial;
    constructor() {
      made++;
    }
    update(data: Uint8Array): void {
      this.state = hasher.load(this.state).update(data).save();
    }
    digest(): Promise<Uint8Array> {
      return Promise.resolve(hasher.load(this.state).digest('binary'));
    }
    reset(): void {
      this.state = initial;
    }
  }
  const esm = await import('@aws-sdk/checksums');
  esm.crc64NvmeCrtContainer.CrtCrc64Nvme = HashWasmCrc64Nvme;
  const cjs = createRequire(import.meta.url)('@aws-sdk/checksums') as typeof esm;
  cjs.crc64NvmeCrtContainer.CrtCrc64Nvme = HashWasmCrc64Nvme;
  return () => made;
}

async function main(job: UploadJob): Promise<void> {
  const hashWasmChecksums = job.checksums === 'CRC64NVME-hash-wasm' ? await useHashWasmCrc64() : null;
  const client = new S3Client({
    endpoint: job.endpoint,
    forcePathStyle: true,
    region: job.region,
    credentials: job.credentials,
    // The SDK's defaults ('WHEN_SUPPORTED'), except that downloads are not validated (there are none).
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
    params: {
      Bucket: job.bucket,
      Key: job.key,
      Body: createReadStream(job.file, { highWaterMark: 1024 * 1024 }),
      ...(job.checksums === 'default' ? {} : { ChecksumAlgorithm: 'CRC64NVME' as const }),
    },
    partSize: job.partSize,
    queueSize: job.queueSize,
  });
  const result = await upload.done();
  const ms = performance.now() - started;
  client.destroy();
  if (hashWasmChecksums && hashWasmChecksums() === 0) throw new Error('The SDK did not use hash-wasm for CRC64NVME');
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ ms, etag: result.ETag ?? null })}\n`);
}

main(JSON.parse(process.argv[2] ?? '{}') as UploadJob).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
