// Figure 5: paging through an endpoint folder of many objects, through the admin API
// (`GET /admin/api/files?endpoint=&pageSize=1000` via the gateway, as the console does) next to raw
// ListObjectsV2 pages of the same folder from the same S3 server (the reference), page by page with
// the same continuation token, so both see the same load.
//
// Seeding goes through the local S3 server's own storage layer (BucketStore), before the server
// starts: 100,000 PutObjects over HTTP would take minutes on two cores. The objects look like portal
// uploads (tiny bodies, the uploads Lambda's metadata). The endpoint has no record: creating one
// through the admin API is refused while its folder holds files, and listing does not read it.
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { buildObjectMetadata } from '../lambdas/shared/object-metadata.js';
import { LOCAL_BUCKET } from '../local/portal-options.js';
import { wholeSeconds } from '../local/s3/context.js';
import { BucketStore } from '../local/s3/object-store.js';
import { percentile } from './stats.js';
import type { BrowserClient } from '../test/support/local-portal.js';

export const LISTING_ENDPOINT = 'bench-list';
export const LISTING_PAGE_SIZE = 1000;
const SEED_CONCURRENCY = 32;

const keyOf = (i: number) => `uploads/${LISTING_ENDPOINT}/file-${String(i).padStart(7, '0')}.bin`;

/** Writes `count` objects into the bucket the local portal in `portalDataDir` will serve. */
export async function seedListing(portalDataDir: string, count: number): Promise<void> {
  // Where startLocalPortal's S3 server keeps the bucket (local/portal.ts, local/s3/server.ts).
  const store = new BucketStore(LOCAL_BUCKET, join(portalDataDir, 's3', 'buckets', LOCAL_BUCKET));
  store.load();
  const body = Buffer.from('bench listing object\n');
  const etag = `"${createHash('md5').update(body).digest('hex')}"`;
  const lastModified = wholeSeconds(new Date());
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const key = keyOf(i);
      const name = key.slice(key.lastIndexOf('/') + 1);
      const blob = await store.newBlob(key);
      await writeFile(blob, body);
      await store.put(key, blob, {
        contentType: 'application/octet-stream',
        size: body.length,
        etag,
        lastModified,
        userMeta: buildObjectMetadata({ originalName: name, uploadedBy: 'bench-customer@example.com', declaredSize: body.length }, name),
      });
    }
  };
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, worker));
}

export interface ListingResult {
  pages: number;
  objects: number;
  admin: { p50Ms: number; p95Ms: number; pageMs: number[] };
  reference: { p50Ms: number; p95Ms: number; pageMs: number[] };
}

interface FileListing {
  files: { key: string }[];
  nextToken: string | null;
}

export async function measureListing(input: { portalUrl: string; admin: BrowserClient; s3: S3Client; bucket: string; expected: number }): Promise<ListingResult> {
  const adminTimes: number[] = [];
  const referenceTimes: number[] = [];
  const seen = new Set<string>();
  let token: string | null = null;
  // The reference follows S3's own tokens: the admin API's page token is the catalog's, not S3's.
  let s3Token: string | undefined;
  let s3Done = false;
  // Bounded: the pages the objects need, plus one for an empty last page.
  const maxPages = Math.ceil(input.expected / LISTING_PAGE_SIZE) + 1;
  for (let page = 0; page < maxPages; page++) {
    const query = new URLSearchParams({ endpoint: LISTING_ENDPOINT, pageSize: String(LISTING_PAGE_SIZE), ...(token ? { continuationToken: token } : {}) });
    let started = performance.now();
    const response = await input.admin.fetch(`${input.portalUrl}/admin/api/files?${query}`);
    const text = await response.text();
    adminTimes.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`admin listing page ${page + 1} answered ${response.status}: ${text.slice(0, 300)}`);
    const listing = JSON.parse(text) as FileListing;

    // S3's listing may end a page earlier than the catalog's, which learns it has ended from an empty page.
    let rawCount = 0;
    if (!s3Done) {
      started = performance.now();
      const raw = await input.s3.send(
        new ListObjectsV2Command({ Bucket: input.bucket, Prefix: `uploads/${LISTING_ENDPOINT}/`, Delimiter: '/', MaxKeys: LISTING_PAGE_SIZE, ContinuationToken: s3Token }),
      );
      referenceTimes.push(performance.now() - started);
      rawCount = raw.Contents?.length ?? 0;
      s3Token = raw.NextContinuationToken;
      s3Done = s3Token === undefined;
    }
    if (rawCount !== listing.files.length) {
      throw new Error(`page ${page + 1}: the admin API listed ${listing.files.length} files, ListObjectsV2 ${rawCount}`);
    }
    for (const file of listing.files) {
      if (seen.has(file.key)) throw new Error(`the admin listing returned ${file.key} twice`);
      seen.add(file.key);
    }
    token = listing.nextToken;
    if (!token) break;
  }
  if (token) throw new Error(`the admin listing had not ended after ${maxPages} pages`);
  if (seen.size !== input.expected) throw new Error(`the admin listing returned ${seen.size} files, expected ${input.expected}`);
  return {
    pages: adminTimes.length,
    objects: seen.size,
    admin: { p50Ms: percentile(adminTimes, 50), p95Ms: percentile(adminTimes, 95), pageMs: adminTimes.map((ms) => Math.round(ms)) },
    reference: { p50Ms: percentile(referenceTimes, 50), p95Ms: percentile(referenceTimes, 95), pageMs: referenceTimes.map((ms) => Math.round(ms * 10) / 10) },
  };
}
