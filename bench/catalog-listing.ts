// Figure 5: the admin file browser over the file catalog. One endpoint of BENCH_OBJECTS files
// (100,000), pages of 1,000, through the admin Lambda's app behind createAlbHandler in process (ALB
// event in, ALB result out, the admin's token verified on every call; figure 4 calls the uploads app
// the same way) against dynalite, next to raw ListObjectsV2 pages of the same size from the local S3
// server holding the same files (the reference). Each admin page is followed by its reference page,
// so a slow minute of a shared machine slows both sides of a ratio.
//
// Listings, each paged to its end and checked (every file once, in the asked order, the expected count):
// - by name (A-Z), the console's default order; reference: the endpoint's folder listed page by page;
// - by size, largest first (S3 cannot sort; reference: the same raw pages);
// - a name prefix search (the name index's key condition); reference: ListObjectsV2 of that key
//   prefix, the search S3 itself offers;
// - a name substring search: a filter over every item, each call reading at most
//   SUBSTRING_SEARCH_MAX_READ items; its p95 is reported without a target (S3 has no equivalent).
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import type { ALBEvent, ALBResult } from 'aws-lambda';
import type { FileListing } from '../contract/api/admin.js';
import { endpointPrefix } from '../contract/bucket-layout.js';
import { readEnv } from '../contract/lambda-env.js';
import { createAdminApp } from '../lambdas/admin/app.js';
import { lazyCognitoClient } from '../lambdas/admin/lazy-cognito.js';
import { ADMIN_SETTINGS_ENV, adminSettings } from '../lambdas/admin/settings.js';
import { createAlbHandler } from '../lambdas/shared/alb-handler.js';
import { sdkCatalogDb } from '../lambdas/shared/catalog/catalog-db.js';
import { createIdentityVerifier } from '../lambdas/shared/identity.js';
import { startCatalogServer } from '../local/catalog/dynalite-server.js';
import { toAlbEvent } from '../local/gateway/alb-event.js';
import { startS3Server } from '../local/s3/server.js';
import { AlbTestIdentity } from '../test/support/alb-token.js';
import { startCatalogChild } from './catalog-server-child.js';
import { countNames, LISTING_ENDPOINT, PREFIX_SEARCH, seedCatalog, seedClock, seedObjects, SUBSTRING_SEARCH } from './catalog-seed.js';
import { percentile } from './stats.js';

export const LISTING_PAGE_SIZE = 1000;
/** Runs of the name-prefix search, so that its p95 (over about as many pages as a whole listing) is not one page's time. */
export const PREFIX_RUNS = 9;
const REGION = 'eu-west-1';
const BUCKET = 'bench-listing';
const TABLE = 'bench-catalog';
const TARGET_GROUP = `arn:aws:elasticloadbalancing:${REGION}:123456789012:targetgroup/portal-admin/0123456789abcdef`;

export interface Timings {
  p50Ms: number;
  p95Ms: number;
  pageMs: number[];
}

export interface ListingRun {
  /** Files the listing answered over all its pages (each checked). */
  files: number;
  pages: number;
  admin: Timings;
  /** null for the substring search (S3 has nothing like it). */
  reference: Timings | null;
  /** Catalog items the admin calls read (more than `files` when a search filters). */
  scanned: number;
}

export interface CatalogListingResult {
  objects: number;
  pageSize: number;
  seedSeconds: { objects: number; catalog: number };
  byName: ListingRun;
  bySizeDesc: ListingRun;
  /** Pooled over PREFIX_RUNS runs (its pages are few: a p95 of one run would be its slowest page). */
  namePrefix: ListingRun & { prefix: string; runs: number };
  substring: ListingRun & { contains: string; runs: number };
}

type Handler = (event: ALBEvent) => Promise<ALBResult>;

const timings = (ms: number[]): Timings => ({ p50Ms: percentile(ms, 50), p95Ms: percentile(ms, 95), pageMs: ms.map((v) => Math.round(v * 10) / 10) });

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** The ALB's event for a console GET (headers as the ALB forwards a browser's request). */
function consoleGet(rawUrl: string, token: string): ALBEvent {
  return toAlbEvent({
    method: 'GET',
    rawUrl,
    targetGroupArn: TARGET_GROUP,
    body: Buffer.alloc(0),
    headers: {
      host: ['portal.example.com'],
      accept: ['application/json'],
      'user-agent': ['Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36'],
      'x-forwarded-for': ['203.0.113.7'],
      'x-forwarded-proto': ['https'],
      'x-forwarded-port': ['443'],
      'x-amzn-trace-id': [`Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`],
      'x-amzn-oidc-data': [token],
      'x-amzn-oidc-identity': ['bench-admin'],
    },
  });
}

interface ListingSpec {
  what: string;
  query: Record<string, string>;
  /** The reference's key prefix, or null for none. */
  referencePrefix: string | null;
  expected: number;
  /** Checks one file against the one before it (order, match). */
  check: (file: FileListing['files'][number], previous: FileListing['files'][number] | undefined) => string | null;
  /** Each call reads at most SUBSTRING_SEARCH_MAX_READ items: a page may be short or empty. */
  filtered?: boolean;
}

export async function measureCatalogListing(input: { workDir: string; objects: number; substringRuns: number; prefixRuns: number; log: (line: string) => void }): Promise<CatalogListingResult> {
  const dir = join(input.workDir, 'listing');
  await mkdir(dir, { recursive: true });
  const credentials = { accessKeyId: 'BENCHLISTINGKEY', secretAccessKey: randomBytes(20).toString('hex') };
  const identity = await AlbTestIdentity.start();
  const closers: (() => Promise<void>)[] = [async () => identity.close()];
  try {
    // The objects and the catalog items at once: dynalite in a child process on the other core.
    const catalogDir = join(dir, 'catalog');
    const newest = seedClock(new Date());
    const seedStarted = performance.now();
    const child = await startCatalogChild(catalogDir, TABLE, REGION);
    const seedClient = new dynamodb.DynamoDBClient({ endpoint: child.url, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const since = (from: number) => (performance.now() - from) / 1000;
    let objectSeconds = 0;
    let catalogSeconds = 0;
    try {
      await Promise.all([
        seedObjects(BUCKET, join(dir, 's3', 'buckets', BUCKET), input.objects, newest).then(() => {
          objectSeconds = since(seedStarted);
          input.log(`listing: ${input.objects} objects written in ${objectSeconds.toFixed(1)} s`);
        }),
        seedCatalog(sdkCatalogDb(TABLE, async () => ({ client: seedClient, sdk: dynamodb })), input.objects, newest).then(() => {
          catalogSeconds = since(seedStarted);
          input.log(`listing: ${input.objects} catalog items written in ${catalogSeconds.toFixed(1)} s`);
        }),
      ]);
    } finally {
      seedClient.destroy();
      await child.stop();
    }

    // The measured catalog runs in this process, as in the local portal (the table exists: nothing is created).
    const catalog = await startCatalogServer({ dataDir: catalogDir, port: 0, table: TABLE, region: REGION });
    closers.push(() => catalog.close());
    const db = sdkCatalogDb(catalog.table, async () => ({ client: catalog.client, sdk: dynamodb }));

    const server = await startS3Server({ dataDir: join(dir, 's3'), credentials: [credentials], region: REGION, buckets: [BUCKET] });
    closers.push(() => server.close());
    // Configured as the Lambdas' client (lambdas/shared/aws-clients.ts); the admin app and the reference share it.
    const s3 = new S3Client({ endpoint: server.url, forcePathStyle: true, region: REGION, credentials, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
    closers.push(async () => s3.destroy());

    const logger = new Logger({ serviceName: 'admin', logLevel: 'ERROR' });
    const app = createAdminApp({
      settings: adminSettings(readEnv('admin', ADMIN_SETTINGS_ENV, { BUCKET_NAME: BUCKET, CATALOG_TABLE: TABLE, USER_POOL_ID: `${REGION}_BenchPool`, PORTAL_URL: 'https://portal.example.com' })),
      s3,
      cognito: lazyCognitoClient(() => {
        throw new Error('the file listing never calls Cognito');
      }),
      catalog: db,
      verifyIdentity: createIdentityVerifier(identity.settings()),
      logger,
    });
    const handler: Handler = createAlbHandler(logger, app);

    const adminPage = async (query: Record<string, string>, token: string | null): Promise<{ ms: number; listing: FileListing }> => {
      const params = new URLSearchParams({ ...query, pageSize: String(LISTING_PAGE_SIZE), ...(token ? { continuationToken: token } : {}) });
      const event = consoleGet(`/admin/api/files?${params.toString()}`, identity.adminToken()); // token minted outside the clock
      const call = await timed(() => handler(event));
      if (call.value.statusCode !== 200) throw new Error(`admin listing answered ${call.value.statusCode}: ${call.value.body?.slice(0, 300)}`);
      return { ms: call.ms, listing: JSON.parse(call.value.body ?? '{}') as FileListing };
    };
    const referencePage = async (prefix: string, token: string | undefined) => {
      const call = await timed(() => s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, MaxKeys: LISTING_PAGE_SIZE, ContinuationToken: token })));
      return { ms: call.ms, count: call.value.Contents?.length ?? 0, next: call.value.IsTruncated ? call.value.NextContinuationToken : undefined };
    };

    const run = async (spec: ListingSpec): Promise<ListingRun> => {
      const adminMs: number[] = [];
      const referenceMs: number[] = [];
      let files = 0;
      let scanned = 0;
      let token: string | null = null;
      let referenceToken: string | undefined;
      let previous: FileListing['files'][number] | undefined;
      const seen = new Set<string>();
      const maxPages = spec.filtered ? Math.ceil(input.objects / 1000) + 2 : Math.ceil(spec.expected / LISTING_PAGE_SIZE) + 1;
      for (let page = 0; page < maxPages; page++) {
        const { ms, listing } = await adminPage(spec.query, token);
        adminMs.push(ms);
        scanned += listing.scanned;
        for (const file of listing.files) {
          const problem = spec.check(file, previous);
          if (problem) throw new Error(`${spec.what}, page ${page + 1}: ${problem}`);
          if (seen.has(file.key)) throw new Error(`${spec.what}: ${file.key} came twice`);
          seen.add(file.key);
          previous = file;
        }
        files += listing.files.length;
        if (spec.referencePrefix !== null) {
          // The reference restarts at the prefix's first page when it runs out before the admin listing.
          const reference = await referencePage(spec.referencePrefix, referenceToken);
          if (reference.count !== LISTING_PAGE_SIZE && reference.next) throw new Error(`ListObjectsV2 answered ${reference.count} keys on a page of ${LISTING_PAGE_SIZE}`);
          referenceMs.push(reference.ms);
          referenceToken = reference.next;
        }
        token = listing.nextToken;
        if (!token) break;
      }
      if (token) throw new Error(`${spec.what}: the listing had not ended after ${maxPages} pages`);
      if (files !== spec.expected) throw new Error(`${spec.what}: ${files} files listed, expected ${spec.expected}`);
      return { files, pages: adminMs.length, admin: timings(adminMs), reference: referenceMs.length ? timings(referenceMs) : null, scanned };
    };

    const endpointQuery = { endpoint: LISTING_ENDPOINT, scope: 'endpoint' };
    const folder = endpointPrefix(LISTING_ENDPOINT);
    // Untimed: the first calls load the SDK clients, the key and the JIT's first compilations.
    for (let i = 0; i < 3; i++) {
      await adminPage({ ...endpointQuery, sort: 'name', order: 'asc' }, null);
      await referencePage(folder, undefined);
    }

    input.log('listing: by name');
    const byName = await run({
      what: 'by name',
      query: { ...endpointQuery, sort: 'name', order: 'asc' },
      referencePrefix: folder,
      expected: input.objects,
      check: (file, previous) => (previous && previous.name.toLowerCase() > file.name.toLowerCase() ? `${file.name} after ${previous.name}` : null),
    });
    input.log('listing: by size, largest first');
    const bySizeDesc = await run({
      what: 'by size',
      query: { ...endpointQuery, sort: 'size', order: 'desc' },
      referencePrefix: folder,
      expected: input.objects,
      check: (file, previous) => (previous && previous.size < file.size ? `${file.size} bytes after ${previous.size}` : null),
    });
    // A search repeated: its percentiles pooled over every run's pages (each run checked as any other).
    const repeated = async (times: number, spec: ListingSpec) => {
      const runs: ListingRun[] = [];
      for (let r = 0; r < times; r++) runs.push(await run(spec));
      const pooled = (side: (one: ListingRun) => Timings | null) => (side(runs[0]!) ? timings(runs.flatMap((one) => side(one)!.pageMs)) : null);
      return { files: runs[0]!.files, pages: runs[0]!.pages, scanned: runs[0]!.scanned, admin: pooled((one) => one.admin)!, reference: pooled((one) => one.reference), runs: runs.length };
    };
    input.log(`listing: names starting with "${PREFIX_SEARCH}" (${input.prefixRuns} runs)`);
    const namePrefix = await repeated(input.prefixRuns, {
      what: 'name prefix search',
      query: { ...endpointQuery, sort: 'name', order: 'asc', name: PREFIX_SEARCH },
      referencePrefix: folder + PREFIX_SEARCH,
      expected: countNames(input.objects, (name) => name.startsWith(PREFIX_SEARCH)),
      check: (file, previous) =>
        !file.name.startsWith(PREFIX_SEARCH) ? `${file.name} does not start with ${PREFIX_SEARCH}` : previous && previous.name > file.name ? `${file.name} after ${previous.name}` : null,
    });
    input.log(`listing: names containing "${SUBSTRING_SEARCH}" (${input.substringRuns} runs)`);
    const substring = await repeated(input.substringRuns, {
      what: 'name substring search',
      query: { ...endpointQuery, sort: 'name', order: 'asc', contains: SUBSTRING_SEARCH },
      referencePrefix: null,
      expected: countNames(input.objects, (name) => name.includes(SUBSTRING_SEARCH)),
      check: (file) => (file.name.includes(SUBSTRING_SEARCH) ? null : `${file.name} does not contain ${SUBSTRING_SEARCH}`),
      filtered: true,
    });
    return {
      objects: input.objects,
      pageSize: LISTING_PAGE_SIZE,
      seedSeconds: { objects: Math.round(objectSeconds * 10) / 10, catalog: Math.round(catalogSeconds * 10) / 10 },
      byName,
      bySizeDesc,
      namePrefix: { ...namePrefix, reference: namePrefix.reference!, prefix: PREFIX_SEARCH },
      substring: { ...substring, contains: SUBSTRING_SEARCH },
    };
  } finally {
    for (const close of closers.reverse()) await close();
    await rm(dir, { recursive: true, force: true });
  }
}
