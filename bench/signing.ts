// Figure 4: signing part URLs with the uploads handler in process and warm. The handler is the real
// app (createUploadsApp behind createAlbHandler, i.e. ALB event in, ALB result out, the identity
// token verified on every call) against the fixture's S3 server; only Powertools metrics are left
// out (their EMF lines would land in the bench's stdout). The reference is getSignedUrl per URL with
// an S3 client configured like the Lambda's, each URL bound to a part's length and checksum as the
// portal's are (signed headers), in the same process, interleaved with the portal's batches so load
// changes on a shared machine hit both alike.
import { Logger } from '@aws-lambda-powertools/logger';
import { UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { createAlbHandler } from '../lambdas/shared/alb-handler.js';
import { createIdentityVerifier } from '../lambdas/shared/identity.js';
import { createCatalogDb } from '../lambdas/shared/catalog/catalog-db.js';
import { createUploadsApp } from '../lambdas/uploads/app.js';
import { createSignInVerifier } from '../lambdas/uploads/sign-in-verifier.js';
import { readEnv } from '../contract/lambda-env.js';
import { S3_MAX_PARTS } from '../contract/limits.js';
import { UPLOAD_SETTINGS_ENV, uploadSettings } from '../lambdas/uploads/settings.js';
import { FIXTURE_BUCKET, FIXTURE_KEY, fixturePart, type LambdaFixture } from './cold/fixture.js';
import { percentile } from './stats.js';

export interface SigningOptions {
  /** Batch calls timed (each signs `batchParts` URLs). */
  batches: number;
  batchParts: number;
  /** Single-part sign calls timed. */
  singles: number;
  /** Untimed calls first, so JIT, key cache and endpoint cache are warm. */
  warmup: number;
}

export interface SigningResult {
  urls: number;
  batchParts: number;
  batch: { perUrlP50Ms: number; perUrlP99Ms: number; callP50Ms: number; callP99Ms: number };
  single: { p50Ms: number; p99Ms: number };
  reference: { p50Ms: number; p99Ms: number; samples: number };
}

type Handler = (event: ALBEvent) => Promise<ALBResult>;

function expectUrls(result: ALBResult, count: number): void {
  if (result.statusCode !== 200) throw new Error(`sign call answered ${result.statusCode}: ${result.body?.slice(0, 300)}`);
  const body = JSON.parse(result.body ?? '{}') as { presignedUrls?: Record<string, string>; url?: string };
  const got = body.presignedUrls ? Object.keys(body.presignedUrls).length : body.url ? 1 : 0;
  if (got !== count) throw new Error(`sign call returned ${got} URLs, expected ${count}`);
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

export async function measureSigning(fixture: LambdaFixture, options: SigningOptions): Promise<SigningResult> {
  const logger = new Logger({ serviceName: 'uploads', logLevel: 'ERROR' });
  const settings = uploadSettings(readEnv('uploads', UPLOAD_SETTINGS_ENV, { BUCKET_NAME: FIXTURE_BUCKET }));
  const app = createUploadsApp({
    s3: fixture.s3,
    settings,
    verifyIdentity: createIdentityVerifier(fixture.identity.settings()),
    signIns: createSignInVerifier(fixture.identity.settings().customer),
    // Signing never reads the catalog; this one would fail loudly if it did.
    catalog: createCatalogDb({ CATALOG_TABLE: 'bench-unused', DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' }),
    logger,
  });
  const handler: Handler = createAlbHandler(logger, app);
  const uploadId = 'bench-signing-upload-id';
  const parts = (batch: number) => Array.from({ length: options.batchParts }, (_, i) => ((batch * options.batchParts + i) % S3_MAX_PARTS) + 1);
  const part = fixturePart(1);
  const unhoistableHeaders = new Set(['x-amz-checksum-crc64nvme', 'x-amz-sdk-checksum-algorithm']);
  const reference = () =>
    getSignedUrl(
      fixture.s3,
      new UploadPartCommand({
        Bucket: FIXTURE_BUCKET,
        Key: FIXTURE_KEY,
        UploadId: uploadId,
        PartNumber: 1,
        ContentLength: part.size,
        ChecksumCRC64NVME: part.checksum,
        ChecksumAlgorithm: 'CRC64NVME',
      }),
      { expiresIn: settings.presignExpiresSeconds, unhoistableHeaders },
    );

  for (let i = 0; i < options.warmup; i++) {
    expectUrls(await handler(fixture.batchEvent(parts(i), uploadId)), options.batchParts);
    expectUrls(await handler(fixture.signEvent(1 + i, uploadId)), 1);
    for (let j = 0; j < 10; j++) await reference();
  }

  const batchCalls: number[] = [];
  const referenceCalls: number[] = [];
  // Reference URLs per portal batch, so both sides sign the same number of URLs in the same periods.
  const referencePerBatch = options.batchParts;
  for (let b = 0; b < options.batches; b++) {
    const event = fixture.batchEvent(parts(b), uploadId); // token minted outside the clock
    const call = await timed(() => handler(event));
    expectUrls(call.value, options.batchParts);
    batchCalls.push(call.ms);
    for (let r = 0; r < referencePerBatch; r++) referenceCalls.push((await timed(reference)).ms);
  }
  const singleCalls: number[] = [];
  for (let s = 0; s < options.singles; s++) {
    const event = fixture.signEvent((s % S3_MAX_PARTS) + 1, uploadId);
    const call = await timed(() => handler(event));
    expectUrls(call.value, 1);
    singleCalls.push(call.ms);
  }

  const perUrl = batchCalls.map((ms) => ms / options.batchParts);
  return {
    urls: options.batches * options.batchParts,
    batchParts: options.batchParts,
    batch: { perUrlP50Ms: percentile(perUrl, 50), perUrlP99Ms: percentile(perUrl, 99), callP50Ms: percentile(batchCalls, 50), callP99Ms: percentile(batchCalls, 99) },
    single: { p50Ms: percentile(singleCalls, 50), p99Ms: percentile(singleCalls, 99) },
    reference: { p50Ms: percentile(referenceCalls, 50), p99Ms: percentile(referenceCalls, 99), samples: referenceCalls.length },
  };
}
